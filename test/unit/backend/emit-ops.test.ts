// Three independent implementations of every pure op must agree: the
// JavaScript the compiled tier emits (emit-ops.ts), the interpreter's steps
// (interp-ops.ts; a two-input op in each form a step takes: a TB's first
// build, a rewritten TB's own closures, an immediate second input) and the
// optimiser's constant folder (ir/fold.ts). The
// multi-output ops (mulu2, muls2, add2, sub2), which the folder does not
// handle, are checked between the two tiers and against BigInt arithmetic.

import t from 'tap';
import { OP_LOWERING, type JsEmitContext } from '../../../src/emulator/backend/emit-ops.js';
import { STEP_FACTORY, type StepContext, type StepRuntime } from '../../../src/emulator/backend/interp-ops.js';
import { immediateInput } from '../../../src/emulator/backend/interp-peephole.js';
import { foldUnaryOrBinary, mulhs, mulhu, rbit } from '../../../src/emulator/ir/fold.js';
import { Cond } from '../../../src/emulator/ir/cond.js';
import type { Opcode } from '../../../src/emulator/ir/opcodes.js';

const UNARY: Opcode[] = ['mov', 'neg', 'not', 'clz', 'bswap32', 'bswap16', 'rbit', 'ext8s', 'ext8u', 'ext16s', 'ext16u'];
const BINARY: Opcode[] = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'andc', 'shl', 'shr', 'sar', 'rotr', 'divs', 'divu'];
const EDGE = [0, 1, -1, 2, 31, 32, 33, 0x7fffffff, -0x80000000, 0x80, 0xff, 0xffff, 0x12345678, -0x12345678];

function noControl(): never {
  throw new Error('control op in a pure-op test');
}

/** Runs one op as compiled JavaScript: temps 100.. are locals t100..; returns the outputs. */
function runJs(opc: Opcode, nOuts: number, ins: number[], consts: number[]): number[] {
  const args = [...Array.from({ length: nOuts }, (_, i) => 100 + i), ...ins.map((_, i) => 110 + i), ...consts];
  const cx: JsEmitContext = {
    t: (x) => `t${x}`,
    atomics: undefined as never, sync: '',
    insnStart: noControl, branch: noControl, set_label: noControl, gotoTb: noControl, exitIndirect: noControl, exitSpecial: noControl,
  };
  const stmt = OP_LOWERING[opc](args, cx);
  const decl = ins.map((v, i) => `let t${110 + i} = ${v | 0};`).join(' ');
  const outs = Array.from({ length: nOuts }, (_, i) => `t${100 + i}`);
  const f = new Function('mulhu', 'mulhs', 'rbit', `${decl} let ${outs.map((o) => `${o} = 0`).join(', ')}; ${stmt} return [${outs.join(', ')}];`);
  return f(mulhu, mulhs, rbit) as number[];
}

/**
 * How a step is built: a TB's first build, a rewritten TB's own closures, or those with
 * the second input as an immediate (backend/interp-alu.ts).
 */
type StepForm = 'first' | 'fast' | 'imm';

/** Runs one op as an interpreter step over a frame: temp k is frame slot k. */
function runStep(opc: Opcode, nOuts: number, ins: number[], consts: number[], form: StepForm = 'first'): number[] {
  const F = new Int32Array(16);
  const args = [...Array.from({ length: nOuts }, (_, i) => i), ...ins.map((_, i) => 8 + i), ...consts];
  ins.forEach((v, i) => { F[8 + i] = v; });
  const rt = { F } as unknown as StepRuntime;
  // The immediate form: the second input's temp holds a constant (its slot keeps a wrong value).
  const immediates = new Map<number, number>(form === 'imm' ? [[9, ins[1]!]] : []);
  if (form === 'imm') F[9] = ~ins[1]!;
  const cx: StepContext = { rt, s: (x) => x, consts: immediates, fast: form !== 'first', label: noControl, pcSlot: 15, compiled: noControl };
  const step = STEP_FACTORY[opc]({ opc, args }, cx);
  if (step === null || step() !== -1) throw new Error(`${opc}: not a plain step`);
  return Array.from(F.subarray(0, nOuts));
}

function agree(t: { fail(msg: string): unknown }, opc: Opcode, ins: number[], consts: number[]): void {
  const want = foldUnaryOrBinary(opc, ins, consts);
  const js = runJs(opc, 1, ins, consts)[0];
  // The immediate form where the op has one (the second input of a constant temp 9).
  const takesImmediate = immediateInput({ opc, args: [0, 8, 9, ...consts] }, new Map([[9, 0]])) === 2;
  const forms: StepForm[] = takesImmediate ? ['first', 'fast', 'imm'] : ['first', 'fast'];
  for (const form of forms) {
    const step = runStep(opc, 1, ins, consts, form)[0];
    if (js !== want || step !== want) t.fail(`${opc}(${ins.join(', ')}; ${consts.join(', ')}): js ${js}, step (${form}) ${step}, folder ${want}`);
  }
}

t.test('unary and binary ops agree with the folder in both tiers', async (t) => {
  let checks = 0;
  for (const opc of UNARY) for (const a of EDGE) { agree(t, opc, [a], []); checks++; }
  for (const opc of BINARY) for (const a of EDGE) for (const b of EDGE) { agree(t, opc, [a, b], []); checks++; }
  t.ok(checks > 2000, `${checks} cases`);
  const immediate = BINARY.filter((opc) => immediateInput({ opc, args: [0, 8, 9] }, new Map([[9, 0]])) === 2);
  t.same(immediate, ['add', 'sub', 'mul', 'and', 'or', 'xor', 'andc', 'shl', 'shr', 'sar'], 'ops checked with an immediate');
});

t.test('bitfield ops agree with the folder in both tiers', async (t) => {
  let checks = 0;
  for (const a of EDGE) {
    for (const [pos, len] of [[0, 1], [0, 8], [4, 12], [16, 16], [31, 1], [0, 32], [3, 29]] as const) {
      agree(t, 'extract', [a], [pos, len]);
      agree(t, 'sextract', [a], [pos, len]);
      agree(t, 'deposit', [a, 0x5a5a5a5a], [pos, len]);
      checks += 3;
    }
  }
  t.ok(checks > 200, `${checks} cases`);
});

t.test('comparisons agree with the folder in both tiers', async (t) => {
  for (let c = Cond.EQ; c <= Cond.GTU; c++) {
    for (const a of EDGE) {
      for (const b of EDGE) {
        agree(t, 'setcond', [a, b], [c]);
        agree(t, 'movcond', [a, b, 111, 222], [c]);
      }
    }
  }
});

t.test('64-bit products and carries agree with BigInt in both tiers', async (t) => {
  const u = (x: number): bigint => BigInt(x >>> 0);
  const s = (x: number): bigint => BigInt(x | 0);
  const split = (v: bigint): number[] => [Number(BigInt.asIntN(32, v)), Number(BigInt.asIntN(32, v >> 32n))];
  for (const a of EDGE) {
    for (const b of EDGE) {
      const cases: [Opcode, number[], number[]][] = [
        ['mulu2', [a, b], split(u(a) * u(b))],
        ['muls2', [a, b], split(s(a) * s(b))],
        ['add2', [a, b, b, a], split(((u(b) << 32n) | u(a)) + ((u(a) << 32n) | u(b)))],
        ['sub2', [a, b, b, a], split(((u(b) << 32n) | u(a)) - ((u(a) << 32n) | u(b)))],
      ];
      for (const [opc, ins, want] of cases) {
        const js = runJs(opc, 2, ins, []);
        const step = runStep(opc, 2, ins, []);
        if (js.join() !== want.join() || step.join() !== want.join()) t.fail(`${opc}(${ins.join(', ')}): js ${js}, step ${step}, want ${want}`);
      }
    }
  }
});

t.test('an output may alias an input in both tiers', async (t) => {
  // add2 lo = al: the JS and the step compute both words before writing either.
  const F = new Int32Array(16);
  F[0] = -1; F[1] = 0; F[2] = 1; F[3] = 0;
  const cx: StepContext = { rt: { F } as unknown as StepRuntime, s: (x) => x, consts: new Map(), fast: false, label: noControl, pcSlot: 15, compiled: noControl };
  STEP_FACTORY.add2({ opc: 'add2', args: [0, 1, 0, 1, 2, 3] }, cx)!();
  t.same([F[0], F[1]], [0, 1], 'step: carry out of an aliased low word');
  const f = new Function('mulhu', 'mulhs', 'rbit', `let t0 = -1, t1 = 0, t2 = 1, t3 = 0; ${OP_LOWERING.add2([0, 1, 0, 1, 2, 3], {
    t: (x: number) => `t${x}`, atomics: undefined as never, sync: '',
    insnStart: noControl, branch: noControl, set_label: noControl, gotoTb: noControl, exitIndirect: noControl, exitSpecial: noControl,
  })} return [t0, t1];`);
  t.same(f(mulhu, mulhs, rbit), [0, 1], 'js: carry out of an aliased low word');
});
