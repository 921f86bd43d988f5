// A rewritten TB runs a flag-setting subtraction (SUBS, CMP, RSBS) as one
// step (backend/interp-flags.ts): the front end's IR of each is the pattern
// the step stands for, look-alikes that the one step would get wrong are
// left alone, and a loop that sets and reads the flags through all three
// forms, run interpreted past its rewrite, leaves the registers and flags
// that ARM's rules give.

import t from 'tap';
import { A32_GLOBALS } from '../../../src/emulator/arm/cpu-state.js';
import { translateBlock } from '../../../src/emulator/arm/translator.js';
import { SUB_FLAGS_OPS, subFlagsLength, tempReads } from '../../../src/emulator/backend/interp-flags.js';
import { REWRITE_RUNS } from '../../../src/emulator/backend/interp-tb.js';
import { prepareInterpOps } from '../../../src/emulator/backend/interp-peephole.js';
import { Cond } from '../../../src/emulator/ir/cond.js';
import { removeDeadCode } from '../../../src/emulator/ir/liveness.js';
import type { Op, Opcode } from '../../../src/emulator/ir/opcodes.js';
import { runA32Program } from '../exec/run-a32-program.js';

const G = A32_GLOBALS.count;

/** The rewritten ops of a TB of A32 words at 0x1000 (ending in an svc after them), as the cold tier's rewrite sees them. */
function rewrittenOps(words: readonly number[]): Op[] {
  const all = [...words, 0xef000000];
  const code = { fetch32: (a: number): number | null => all[(a - 0x1000) / 4] ?? null, fetch16: (): null => null };
  const ir = translateBlock(0x1000, 0, code, 64);
  return [...prepareInterpOps(removeDeadCode(ir.builder.ops, ir.builder.tempCount, ir.builder.globals), G).ops];
}

/** subFlagsLength at every op that starts a match. */
function matches(ops: readonly Op[]): number[] {
  const reads = tempReads(ops, G);
  return ops.map((_, i) => subFlagsLength(ops, i, G, reads)).filter((n) => n > 0);
}

t.test('the front end\'s SUBS, CMP and RSBS are the pattern', async (t) => {
  t.same(matches(rewrittenOps([0xe0513002])), [SUB_FLAGS_OPS + 1], 'subs r3, r1, r2: with the copy into r3');
  t.same(matches(rewrittenOps([0xe2500001])), [SUB_FLAGS_OPS + 1], 'subs r0, r0, #1');
  t.same(matches(rewrittenOps([0xe152000a])), [SUB_FLAGS_OPS], 'cmp r2, r10: no copy');
  t.same(matches(rewrittenOps([0xe3510102])), [SUB_FLAGS_OPS], 'cmp r1, #0x80000000');
  t.same(matches(rewrittenOps([0xe2713c01])), [SUB_FLAGS_OPS + 1], 'rsbs r3, r1, #0x100');
  t.same(matches(rewrittenOps([0xe0813002, 0xe1a03002])), [], 'add and mov: nothing');
});

const op = (opc: Opcode, ...args: number[]): Op => ({ opc, args });
/** The pattern over globals 16-19 (the flags), inputs r1 and r2, temps 40 and 41. */
const PATTERN = [
  op('sub', 16, 1, 2), op('mov', 17, 16), op('setcond', 18, 1, 2, Cond.GEU),
  op('xor', 40, 1, 2), op('xor', 41, 1, 16), op('and', 19, 40, 41),
];

t.test('look-alikes the one step would get wrong are left alone', async (t) => {
  const lengthOf = (ops: Op[]): number => subFlagsLength(ops, 0, G, tempReads(ops, G));
  t.equal(lengthOf(PATTERN), SUB_FLAGS_OPS, 'the pattern itself');
  t.equal(lengthOf([...PATTERN, op('mov', 40, 41)]), 0, 'a temp of the overflow read again');
  const withInput = (a: number): Op[] => PATTERN.map((o) => op(o.opc, ...o.args.map((x, k) => (x === 1 && k > 0 ? a : x))));
  t.equal(lengthOf(withInput(18)), 0, 'an input that the sequence overwrites (the carry) before it reads it again');
  t.equal(lengthOf(PATTERN.map((o, i) => (i === 2 ? op('setcond', 18, 1, 2, Cond.LTU) : o))), 0, 'another condition');
  t.equal(lengthOf(PATTERN.map((o, i) => (i === 4 ? op('xor', 41, 2, 16) : o))), 0, 'the overflow from the other input');
});

/** ARM's flags of a - b as CPSR bits 31..28 (N Z C V). */
function subNzcv(a: number, b: number): number {
  const r = (a - b) | 0;
  const n = r < 0 ? 8 : 0;
  const z = r === 0 ? 4 : 0;
  const c = a >>> 0 >= b >>> 0 ? 2 : 0;
  const v = ((a ^ b) & (a ^ r)) < 0 ? 1 : 0;
  return n | z | c | v;
}

const ROUNDS = 1000;
const LOOP = [
  0xe30799b9, // movw r9, #0x79b9
  0xe3499e37, // movt r9, #0x9e37        step of r1
  0xe300a001, // movw r10, #1
  0xe348a000, // movt r10, #0x8000       r10 = 0x80000001
  0xe30003e8, // movw r0, #1000          rounds
];
/** The loop, from L. */
const BODY = [
  0xe0811009, // L: add r1, r1, r9
  0xe02223e1, //    eor r2, r2, r1, ror #7
  0xe0513002, //    subs r3, r1, r2
  0xe10fb000, //    mrs r11, apsr
  0xe08cce2b, //    add r12, r12, r11, lsr #28
  0xe0244003, //    eor r4, r4, r3
  0xe152000a, //    cmp r2, r10
  0xe10fb000, //    mrs r11, apsr
  0xe08cce2b, //    add r12, r12, r11, lsr #28
  0xe2713c01, //    rsbs r3, r1, #0x100
  0xe10fb000, //    mrs r11, apsr
  0xe08cce2b, //    add r12, r12, r11, lsr #28
  0xe0244003, //    eor r4, r4, r3
  0xe3510102, //    cmp r1, #0x80000000
  0xe10fb000, //    mrs r11, apsr
  0xe08cce2b, //    add r12, r12, r11, lsr #28
  0xe1520002, //    cmp r2, r2            equal inputs: carry set
  0xe10fb000, //    mrs r11, apsr
  0xe08cce2b, //    add r12, r12, r11, lsr #28
  0xe2500001, //    subs r0, r0, #1
  0x1affffea, //    bne L
  0xef000000, //    svc #0
];

t.test(`a loop of SUBS, CMP and RSBS, interpreted ${ROUNDS} times (rewritten from run ${REWRITE_RUNS}), sets ARM's flags`, async (t) => {
  const { h, vcpu } = runA32Program([...LOOP, ...BODY], 0);
  let r1 = 0;
  let r2 = 0;
  let r4 = 0;
  let r12 = 0;
  for (let i = ROUNDS; i > 0; i--) {
    r1 = (r1 + 0x9e3779b9) | 0;
    r2 = (r2 ^ ((r1 >>> 7) | (r1 << 25))) | 0;
    r12 = (r12 + subNzcv(r1, r2)) | 0;
    r4 ^= (r1 - r2) | 0;
    r12 = (r12 + subNzcv(r2, 0x80000001)) | 0;
    r12 = (r12 + subNzcv(0x100, r1)) | 0;
    r4 ^= (0x100 - r1) | 0;
    r12 = (r12 + subNzcv(r1, 0x80000000 | 0)) | 0;
    r12 = (r12 + subNzcv(r2, r2)) | 0;
  }
  t.same([h.env[1], h.env[2], h.env[4], h.env[12], h.env[0]], [r1, r2, r4, r12, 0], 'r1, r2, r4, the flags\' sum, r0');
  // The first round runs in the program's first TB; the loop's own TB runs the other rounds, rewritten from its REWRITE_RUNS-th.
  t.equal(vcpu.stats().rewrittenInsns, (ROUNDS - REWRITE_RUNS) * (BODY.length - 1), 'the loop ran rewritten from its rewrite on');
});
