// A rewritten TB runs a memory access and the computation of its address
// (base plus an immediate offset) as one step (backend/interp-address.ts):
// the front end's loads and stores with an immediate offset are the pattern,
// those whose address is also written back or comes from two registers are
// not, and a loop of loads and stores of every size, run interpreted past
// its rewrite, leaves memory and registers as ARM's rules say.

import t from 'tap';
import { A32_GLOBALS } from '../../../src/emulator/arm/cpu-state.js';
import { translateBlock } from '../../../src/emulator/arm/translator.js';
import { ADDRESS_OPS, addressLength } from '../../../src/emulator/backend/interp-address.js';
import { tempReads } from '../../../src/emulator/backend/interp-flags.js';
import { REWRITE_RUNS } from '../../../src/emulator/backend/interp-tb.js';
import { prepareInterpOps } from '../../../src/emulator/backend/interp-peephole.js';
import { removeDeadCode } from '../../../src/emulator/ir/liveness.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { CODE, runA32Program } from '../exec/run-a32-program.js';

const G = A32_GLOBALS.count;

/** addressLength at every op of the rewritten TB of one A32 instruction (then an svc). */
function matches(word: number): number[] {
  const all = [word, 0xef000000];
  const code = { fetch32: (a: number): number | null => all[(a - 0x1000) / 4] ?? null, fetch16: (): null => null };
  const ir = translateBlock(0x1000, 0, code, 64);
  const { ops, consts } = prepareInterpOps(removeDeadCode(ir.builder.ops, ir.builder.tempCount, ir.builder.globals), G);
  const reads = tempReads(ops, G);
  return ops.map((_, i) => addressLength(ops, i, G, reads, { consts })).filter((n) => n > 0);
}

t.test('loads and stores with an immediate offset are the pattern; written-back and register offsets are not', async (t) => {
  t.same(matches(0xe5910008), [ADDRESS_OPS], 'ldr r0, [r1, #8]');
  t.same(matches(0xe5012004), [ADDRESS_OPS], 'str r2, [r1, #-4]');
  t.same(matches(0xe5d13009), [ADDRESS_OPS], 'ldrb r3, [r1, #9]');
  t.same(matches(0xe1d130b6), [ADDRESS_OPS], 'ldrh r3, [r1, #6]');
  t.same(matches(0xe7910002), [], 'ldr r0, [r1, r2]: a register offset');
  t.same(matches(0xe5b10004), [], 'ldr r0, [r1, #4]!: the address is written back to r1');
  t.same(matches(0xe4910004), [], 'ldr r0, [r1], #4: the access reads r1 itself, then r1 is written back');
});

const ROUNDS = 1000;
/** Data at CODE + 0x800 (the program's own page, read/write/execute). */
const DATA = 0x800;
const PROGRAM = [
  0xe3001000 | ((DATA >>> 12) << 16) | (DATA & 0xfff), // movw r1, #DATA
  0xe3401000 | ((CODE >>> 28) << 16) | ((CODE >>> 16) & 0xfff), // movt r1, #(CODE >> 16)   r1 = CODE + DATA
  0xe30003e8, // movw r0, #1000
  // L:
  0xe5912008, //   ldr   r2, [r1, #8]
  0xe0822000, //   add   r2, r2, r0
  0xe5812008, //   str   r2, [r1, #8]
  0xe5d13009, //   ldrb  r3, [r1, #9]
  0xe0844003, //   add   r4, r4, r3
  0xe1c130b2, //   strh  r3, [r1, #2]
  0xe1d150f2, //   ldrsh r5, [r1, #2]
  0xe0866005, //   add   r6, r6, r5
  0xe5410001, //   strb  r0, [r1, #-1]
  0xe15170d1, //   ldrsb r7, [r1, #-1]
  0xe0888007, //   add   r8, r8, r7
  0xe2500001, //   subs  r0, r0, #1
  0x1afffff2, //   bne   L
  0xef000000, //   svc   #0
];

t.test(`a loop of loads and stores of each size, interpreted ${ROUNDS} times (rewritten from run ${REWRITE_RUNS})`, async (t) => {
  const { h, vcpu } = runA32Program(PROGRAM, 0);
  // The same in JavaScript over a little-endian copy of the data.
  const mem = new DataView(new ArrayBuffer(16));
  const at = 4; // DATA - 4 .. DATA + 11
  let r4 = 0;
  let r6 = 0;
  let r8 = 0;
  for (let r0 = ROUNDS; r0 > 0; r0--) {
    mem.setInt32(at + 8, (mem.getInt32(at + 8, true) + r0) | 0, true);
    const r3 = mem.getUint8(at + 9);
    r4 = (r4 + r3) | 0;
    mem.setUint16(at + 2, r3, true);
    r6 = (r6 + mem.getInt16(at + 2, true)) | 0;
    mem.setUint8(at - 1, r0 & 0xff);
    r8 = (r8 + mem.getInt8(at - 1)) | 0;
  }
  const base = CODE + DATA;
  t.same([h.env[4], h.env[6], h.env[8], h.env[0]], [r4, r6, r8, 0], 'r4, r6, r8, r0');
  t.equal(h.mmu.ld(base + 8, MemOp.SIZE_32, 0), mem.getInt32(at + 8, true), 'the word at DATA + 8');
  t.equal(h.mmu.ld(base + 2, MemOp.SIZE_16, 0), mem.getUint16(at + 2, true), 'the halfword at DATA + 2');
  t.equal(h.mmu.ld(base - 1, MemOp.SIZE_8, 0), mem.getUint8(at - 1), 'the byte at DATA - 1');
  const body = PROGRAM.length - 4;
  t.equal(vcpu.stats().rewrittenInsns, (ROUNDS - REWRITE_RUNS) * body, 'the loop ran rewritten from its rewrite on');
});
