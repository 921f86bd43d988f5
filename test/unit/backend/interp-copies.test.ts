// A rewritten TB runs two adjacent register copies (mov, movi) as one step
// (backend/interp-copies.ts), also across the next instruction's
// insn_start: the flag-setting moves and logical ops leave such pairs after
// the rewrite, an ALU op without flags leaves none; the
// step runs the two copies in order (the second reads the first's output
// when it names it), in each of its four forms; and a loop of MOVS, ANDS,
// EORS and two MOVs whose flags decide later instructions, run interpreted past its
// rewrite, ends with the registers ARM's rules give.

import t from 'tap';
import { A32_GLOBALS } from '../../../src/emulator/arm/cpu-state.js';
import { translateBlock } from '../../../src/emulator/arm/translator.js';
import { COPY_OPS, COPY_OPS_ACROSS, copiesLength, copiesStep } from '../../../src/emulator/backend/interp-copies.js';
import type { StepContext, StepRuntime } from '../../../src/emulator/backend/interp-ops.js';
import { prepareInterpOps } from '../../../src/emulator/backend/interp-peephole.js';
import { STEP_NEXT } from '../../../src/emulator/backend/interp-step.js';
import { REWRITE_RUNS } from '../../../src/emulator/backend/interp-tb.js';
import type { Op } from '../../../src/emulator/ir/opcodes.js';
import { removeDeadCode } from '../../../src/emulator/ir/liveness.js';
import { runA32Program } from '../exec/run-a32-program.js';

const G = A32_GLOBALS.count;

/** Pairs of copies copiesLength finds in the rewritten TB of some A32 instructions (then an svc), by length. */
function pairs(...words: number[]): number[] {
  const all = [...words, 0xef000000];
  const code = { fetch32: (a: number): number | null => all[(a - 0x1000) / 4] ?? null, fetch16: (): null => null };
  const ir = translateBlock(0x1000, 0, code, 64);
  const { ops } = prepareInterpOps(removeDeadCode(ir.builder.ops, ir.builder.tempCount, ir.builder.globals), G);
  const out: number[] = [];
  for (let i = 0; i < ops.length; i++) {
    const n = copiesLength(ops, i);
    if (n > 0) {
      out.push(n);
      i += n - 1;
    }
  }
  return out;
}

t.test('flag-setting moves and logical ops leave adjacent copies; an ALU op without flags does not', async (t) => {
  t.ok(pairs(0xe1b03002).includes(COPY_OPS), 'movs r3, r2');
  t.ok(pairs(0xe0134000).includes(COPY_OPS), 'ands r4, r3, r0');
  t.same(pairs(0xe0834002), [], 'add r4, r3, r2');
  t.same(pairs(0xe1a03002, 0xe1a04003), [COPY_OPS_ACROSS], 'mov r3, r2; mov r4, r3: a pair across the insn_start');
  t.same(pairs(0xe0834002, 0x03a0a005), [], 'add r4, r3, r2; moveq r10, r5: a conditional instruction starts with its branch');
});

t.test('the step runs both copies in order, in each form', async (t) => {
  const F = new Int32Array(64);
  // Only the frame and the slots are read by the copies step: slot = temp here.
  const cx = { rt: { F } as unknown as StepRuntime, s: (temp: number) => temp } as unknown as StepContext;
  const run = (ops: Op[]): void => {
    t.equal(copiesLength(ops, 0), COPY_OPS, `${ops.map((o) => o.opc).join(', ')}: one pair`);
    t.equal(copiesStep(ops, 0, COPY_OPS, cx)(), STEP_NEXT, 'goes on to the next step');
  };
  F.fill(0);
  F[21] = 7;
  F[23] = 9;
  run([{ opc: 'mov', args: [20, 21] }, { opc: 'mov', args: [22, 20] }]);
  t.same([F[20], F[22]], [7, 7], 'mov, mov: the second reads what the first wrote');
  run([{ opc: 'mov', args: [20, 23] }, { opc: 'movi', args: [21, -5] }]);
  t.same([F[20], F[21]], [9, -5], 'mov, movi');
  run([{ opc: 'movi', args: [24, 0x12345678] }, { opc: 'mov', args: [25, 24] }]);
  t.same([F[24], F[25]], [0x12345678, 0x12345678], 'movi, mov: the second reads what the first wrote');
  run([{ opc: 'movi', args: [26, 1] }, { opc: 'movi', args: [26, 2] }]);
  t.equal(F[26], 2, 'movi, movi to one slot: the second wins');
  t.equal(copiesLength([{ opc: 'mov', args: [20, 21] }, { opc: 'add', args: [22, 20, 21] }], 0), 0, 'a copy then an ALU op is no pair');
});

const ROUNDS = 1000;
const PROGRAM = [
  0xe30003e8, // movw r0, #1000
  // L:
  0xe0822b00, //   add   r2, r2, r0, lsl #22
  0xe1b03002, //   movs  r3, r2
  0x42866001, //   addmi r6, r6, #1
  0xe0124a80, //   ands  r4, r2, r0, lsl #21
  0x02877001, //   addeq r7, r7, #1
  0xe0345002, //   eors  r5, r4, r2
  0xe1a0a005, //   mov   r10, r5
  0xe1a0b00a, //   mov   r11, r10     (one step with the copy before: it reads what that wrote)
  0x42888001, //   addmi r8, r8, #1
  0xe0899005, //   add   r9, r9, r5
  0xe2500001, //   subs  r0, r0, #1
  0x1afffff3, //   bne   L
  0xef000000, //   svc   #0
];

t.test(`a loop of MOVS, ANDS and EORS, interpreted ${ROUNDS} times (rewritten from run ${REWRITE_RUNS})`, async (t) => {
  const { h, vcpu } = runA32Program(PROGRAM, 0);
  let r2 = 0;
  let r3 = 0;
  let r4 = 0;
  let r5 = 0;
  let r6 = 0;
  let r7 = 0;
  let r8 = 0;
  let r9 = 0;
  let r10 = 0;
  let r11 = 0;
  for (let r0 = ROUNDS; r0 > 0; r0--) {
    r2 = (r2 + (r0 << 22)) | 0;
    r3 = r2;
    if (r3 < 0) r6++;
    r4 = r2 & (r0 << 21);
    if (r4 === 0) r7++;
    r5 = r4 ^ r2;
    r10 = r5;
    r11 = r10;
    if (r5 < 0) r8++;
    r9 = (r9 + r5) | 0;
  }
  t.same([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0].map((r) => h.env[r]), [r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, 0], 'r2..r11, r0');
  t.ok(r6 > 0 && r6 < ROUNDS && r7 > 0 && r7 < ROUNDS && r8 > 0 && r8 < ROUNDS, 'each flag both set and clear over the loop');
  const body = PROGRAM.length - 2;
  t.equal(vcpu.stats().rewrittenInsns, (ROUNDS - REWRITE_RUNS) * body, 'the loop ran rewritten from its rewrite on');
});
