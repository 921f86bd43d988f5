// The cold tier's rewrite of copies and constants (backend/interp-peephole.ts)
// and the steps that take immediates (backend/interp-alu.ts): what the pass
// removes and keeps on hand-written TBs; random TBs (ALU ops, copies,
// constants, forward branches, temps written twice or read twice) run as
// interpreter steps, rewritten at their first run, against a reference
// evaluator of the IR built on the constant folder (ir/fold.ts), so every
// rewrite (and every flag-setting subtraction run as one step,
// backend/interp-flags.ts) must keep every guest register's value and the
// exit; and a TB is
// rewritten at its REWRITE_RUNS-th run, not before, with the same results.

import t from 'tap';
import { type InterpBuilder, buildInterpTb, REWRITE_RUNS, runInterpTb } from '../../../src/emulator/backend/interp-tb.js';
import type { StepRuntime } from '../../../src/emulator/backend/interp-ops.js';
import { prepareInterpOps } from '../../../src/emulator/backend/interp-peephole.js';
import { Cond, evalCond } from '../../../src/emulator/ir/cond.js';
import { ExitReason } from '../../../src/emulator/ir/exit-reason.js';
import { foldUnaryOrBinary } from '../../../src/emulator/ir/fold.js';
import type { Op, Opcode } from '../../../src/emulator/ir/opcodes.js';

const N_GLOBALS = 8;
const PC_SLOT = 7;
const TEMP_SLOTS = 64;
const ALU_OPS: Opcode[] = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'andc', 'shl', 'shr', 'sar', 'rotr', 'divs', 'divu'];
const op = (opc: Opcode, ...args: number[]): Op => ({ opc, args });
const opcodes = (ops: readonly Op[]): string => ops.map((o) => `${o.opc} ${o.args.join(',')}`).join('; ');

t.test('a copy into a register after its only read goes; so does a constant every reader took', async (t) => {
  // t8 = 4; t9 = r1 + t8; r2 = t9; t10 = r1 - t8; r3 = t10
  const { ops, consts } = prepareInterpOps([
    op('movi', 8, 4), op('add', 9, 1, 8), op('mov', 2, 9), op('sub', 10, 1, 8), op('mov', 3, 10),
  ], N_GLOBALS);
  t.equal(opcodes(ops), 'add 2,1,8; sub 3,1,8');
  t.equal(consts.get(8), 4);
});

t.test('what the pass leaves alone', async (t) => {
  // t9 read again after its copy into r3, r3 unchanged up to that read: the read reads r3.
  t.equal(opcodes(prepareInterpOps([op('add', 9, 1, 2), op('mov', 3, 9), op('mov', 4, 9)], N_GLOBALS).ops),
    'add 3,1,2; mov 4,3');
  // ... and the last reader may write r3 itself.
  t.equal(opcodes(prepareInterpOps([op('add', 9, 1, 2), op('mov', 3, 9), op('sub', 3, 9, 1)], N_GLOBALS).ops),
    'add 3,1,2; sub 3,3,1');
  // r3 written (as an output, as an env slot) or an op that runs code of its own before the read: the copy stays.
  for (const between of [op('movi', 3, 0), op('st_env', 10, 3), op('mb', 0)]) {
    const ops = [op('add', 9, 1, 2), op('mov', 3, 9), between, op('mov', 4, 9)];
    t.equal(opcodes(prepareInterpOps(ops, N_GLOBALS).ops), opcodes(ops), `${between.opc} between`);
  }
  // t9 set twice: the copy stays.
  const setTwice = [op('add', 9, 1, 2), op('mov', 3, 9), op('mov', 4, 9), op('add', 9, 1, 1), op('mov', 5, 9)];
  t.equal(opcodes(prepareInterpOps(setTwice, N_GLOBALS).ops), opcodes(setTwice));
  // A constant read as a first input of sub (no immediate form there): its movi stays.
  t.equal(opcodes(prepareInterpOps([op('movi', 8, 7), op('sub', 1, 8, 2), op('add', 3, 2, 8)], N_GLOBALS).ops),
    'movi 8,7; sub 1,8,2; add 3,2,8');
  // A temp written twice is not a constant.
  const twice = prepareInterpOps([op('movi', 8, 7), op('add', 1, 2, 8), op('movi', 8, 9), op('add', 3, 2, 8)], N_GLOBALS);
  t.equal(opcodes(twice.ops), 'movi 8,7; add 1,2,8; movi 8,9; add 3,2,8');
  t.notOk(twice.consts.has(8));
  // A copy into a temp, or not right after the op: unchanged.
  t.equal(opcodes(prepareInterpOps([op('add', 9, 1, 2), op('mov', 10, 9), op('mov', 3, 10)], N_GLOBALS).ops),
    'add 9,1,2; mov 3,9');
  t.equal(opcodes(prepareInterpOps([op('add', 9, 1, 2), op('insn_start', 0, 0), op('mov', 3, 9)], N_GLOBALS).ops),
    'add 9,1,2; insn_start 0,0; mov 3,9');
  // A constant copied into a register becomes a movi there.
  t.equal(opcodes(prepareInterpOps([op('movi', 8, 5), op('add', 1, 1, 8), op('mov', 2, 8)], N_GLOBALS).ops),
    'add 1,1,8; movi 2,5');
});

/** A small deterministic generator (xorshift32). */
function rng(seed: number): (n: number) => number {
  let s = seed | 0 || 1;
  return (n) => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) % n;
  };
}

const CONSTS = [0, 1, 2, 4, 31, 32, 0xff, -1, 0x7fffffff, -0x80000000, 12345];

/** A random well-formed TB: every temp read is set on every path to it (branches go forward). */
function randomTb(r: (n: number) => number): Op[] {
  const ops: Op[] = [];
  let next = N_GLOBALS;
  let defined: number[] = [];
  const open: { label: number; defined: number[] }[] = [];
  let labels = 0;
  const input = (): number => (defined.length > 0 && r(3) !== 0 ? defined[r(defined.length)]! : r(PC_SLOT));
  const dest = (): number => {
    const k = r(6);
    if (k === 0) return r(PC_SLOT);
    if (k === 1 && defined.length > 0) return defined[r(defined.length)]!;
    const tmp = next++;
    defined.push(tmp);
    return tmp;
  };
  // Inputs are picked before the output, so that a new temp is never read by the op that sets it.
  const alu = (): void => { const [x, y] = [input(), input()]; ops.push(op(ALU_OPS[r(ALU_OPS.length)]!, dest(), x, y)); };
  for (let n = 0; n < 40; n++) {
    const k = r(8);
    if (k === 0) {
      ops.push(op('movi', dest(), CONSTS[r(CONSTS.length)]!));
    } else if (k === 1) {
      const x = input();
      ops.push(op('mov', dest(), x));
    } else if (k === 2) {
      // A result copied into a register right away (the front end's common shape).
      const [x, y] = [input(), input()];
      const tmp = dest();
      ops.push(op(ALU_OPS[r(ALU_OPS.length)]!, tmp, x, y));
      ops.push(op('mov', r(PC_SLOT), tmp));
    } else if (k === 3) {
      const [x, y] = [input(), input()];
      ops.push(op('setcond', dest(), x, y, r(10)));
    } else if (k === 4 && open.length < 3) {
      const label = labels++;
      ops.push(op('brcond', input(), input(), r(10), label));
      open.push({ label, defined: defined.slice() });
    } else if (k === 6 && r(2) === 0) {
      // The front end's flag-setting subtraction (backend/interp-flags.ts runs it as one step when it may).
      const [x, y] = [input(), input()];
      const flags = [0, 1, 2, 3, 4, 5, 6].sort(() => r(3) - 1).slice(0, 4);
      const [nf, zf, cf, vf] = flags as [number, number, number, number];
      const [t1, t2] = [next++, next++];
      ops.push(op('sub', nf, x, y), op('mov', zf, nf), op('setcond', cf, x, y, Cond.GEU), op('xor', t1, x, y), op('xor', t2, x, nf),
        op('and', vf, t1, t2));
      if (r(2) === 0) ops.push(op('mov', r(PC_SLOT), nf));
    } else if (k === 5 && open.length > 0) {
      const o = open.pop()!;
      ops.push(op('set_label', o.label));
      defined = o.defined;
    } else {
      alu();
    }
  }
  while (open.length > 0) ops.push(op('set_label', open.pop()!.label));
  ops.push(op('exit_special', ExitReason.SYSCALL, 0x1000));
  return ops;
}

/** The reference: the IR evaluated op by op with the folder's arithmetic. */
function evaluate(ops: readonly Op[], regs: Int32Array): void {
  const v = new Map<number, number>();
  const get = (x: number): number => (x < N_GLOBALS ? regs[x]! : v.get(x)!);
  const set = (x: number, value: number): void => { if (x < N_GLOBALS) regs[x] = value; else v.set(x, value | 0); };
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    const a = o.args;
    switch (o.opc) {
      case 'set_label': break;
      case 'movi': set(a[0]!, a[1]!); break;
      case 'brcond':
        if (evalCond(a[2]! as Cond, get(a[0]!), get(a[1]!))) i = ops.findIndex((x) => x.opc === 'set_label' && x.args[0] === a[3]);
        break;
      case 'setcond': set(a[0]!, evalCond(a[3]! as Cond, get(a[1]!), get(a[2]!)) ? 1 : 0); break;
      case 'exit_special': regs[PC_SLOT] = a[1]!; return;
      default: set(a[0]!, foldUnaryOrBinary(o.opc, a.slice(1).map(get), [])!);
    }
  }
}

const F = new Int32Array(N_GLOBALS + TEMP_SLOTS);
const builder: InterpBuilder = {
  rt: { F } as unknown as StepRuntime,
  tempSlots: TEMP_SLOTS,
  nGlobals: N_GLOBALS,
  pcSlot: PC_SLOT,
  compileOp: () => { throw new Error('no compiled ops here'); },
};

t.test('random TBs: the steps after the rewrite leave every register as the IR says', async (t) => {
  let removed = 0;
  let checked = 0;
  for (let seed = 1; seed <= 3000; seed++) {
    const r = rng(seed * 7919);
    const ops = randomTb(r);
    const start = Int32Array.from({ length: N_GLOBALS }, () => CONSTS[r(CONSTS.length)]! ^ r(1 << 16));
    const want = start.slice();
    evaluate(ops, want);
    const tb = buildInterpTb(ops, builder, () => ops, 1);
    if (tb === null) continue;
    F.fill(0x5a5a5a5a);
    F.set(start);
    const code = runInterpTb(tb);
    const got = F.slice(0, N_GLOBALS);
    checked++;
    removed += ops.filter((o) => o.opc !== 'set_label').length - tb.steps.length;
    if (code !== ExitReason.SYSCALL || got.join() !== want.join()) {
      t.fail(`seed ${seed}: exit ${code}, registers ${got.join()} want ${want.join()}\n${opcodes(ops)}`);
      return;
    }
  }
  t.ok(checked > 2500, `${checked} TBs checked`);
  t.ok(removed > checked * 3, `${removed} steps fewer than ops`);
});

t.test('a TB runs its IR as built until its REWRITE_RUNS-th run, then rewritten, alike', async (t) => {
  // r2 = r1 + 4; r3 = r2 - 4; r4 = r3 ^ r1 (through temps and copies)
  const ops = [
    op('movi', 8, 4), op('add', 9, 1, 8), op('mov', 2, 9), op('sub', 10, 2, 8), op('mov', 3, 10),
    op('xor', 11, 3, 1), op('mov', 4, 11), op('exit_special', ExitReason.SYSCALL, 0x1000),
  ];
  const tb = buildInterpTb(ops, builder, () => ops)!;
  const counts: number[] = [];
  for (let run = 1; run <= REWRITE_RUNS + 1; run++) {
    F.fill(0);
    F[1] = run * 1000;
    t.equal(runInterpTb(tb), ExitReason.SYSCALL);
    if (F[2] !== run * 1000 + 4 || F[3] !== run * 1000 || F[4] !== 0) t.fail(`run ${run}: ${Array.from(F.subarray(0, 5)).join()}`);
    counts.push(tb.steps.length);
  }
  t.same([counts[0], counts[REWRITE_RUNS - 2], counts[REWRITE_RUNS - 1], counts[REWRITE_RUNS]], [8, 8, 4, 4],
    'steps: 8 as built (movi, add, mov, sub, mov, xor, mov, exit), 4 from the rewrite on (add, sub, xor, exit)');
  t.equal(tb.irAgain, null, 'the IR source is dropped once rewritten');
  // Code changed before the rewrite: the TB keeps its first steps.
  const changed = buildInterpTb(ops, builder, () => null, 1)!;
  t.equal(runInterpTb(changed), ExitReason.SYSCALL);
  t.equal(changed.steps.length, 8, 'not rewritten when the code changed');
});
