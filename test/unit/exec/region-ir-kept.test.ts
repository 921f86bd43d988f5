// A region block's optimised IR is kept from its first region and reused by
// the next region that takes the block (exec/tb-gen.ts hotIrOf), but only
// while the block's code page still has the version the TB was made from: a
// store into the code makes the next region translate again and give up
// (the TB is stale), never compile the kept IR of the old bytes.

import t from 'tap';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { CODE, runA32Program } from './run-a32-program.js';

const HOT = 50;
/** A32 words at CODE: a two-block loop, then the end. */
const PROGRAM = [
  0xe3a00c01, // 00:       mov r0, #256
  0xe2811003, // 04: L:    add r1, r1, #3
  0xeaffffff, // 08:       b T
  0xe2500001, // 0c: T:    subs r0, r0, #1
  0x1afffffb, // 10:       bne L
  0xef000000, // 14:       svc #0   the end (the test's syscall handler throws)
];

/** The loop's TB that heads its region (T, whose run count reaches the threshold first). */
const HEAD = CODE + 0xc;

function runLoop(): ReturnType<typeof runA32Program> {
  return runA32Program(PROGRAM, HOT);
}

t.test('a second region over the same blocks reuses their IR', async (t) => {
  const { vcpu, h } = runLoop();
  t.equal(h.env[1], 3 * 256, 'the loop ran as the program says');
  const s = vcpu.stats();
  t.equal(s.regionsCompiled, 1, 'one region over the loop');
  t.equal(s.regionIrKept, 0, 'its blocks were translated for it');
  const head = vcpu.cache.lookup(HEAD)!;
  const region = head.region!;
  t.ok(region, 'the loop head heads the region');
  const again = vcpu.gen.genRegion(head, region);
  t.ok(again, 'the region is made again (as a regrowth would)');
  t.equal(again!.blocks.length, region.blocks.length);
  t.equal(vcpu.stats().regionIrKept, region.blocks.length, 'no block was translated again');
});

t.test('a store into the code: the kept IR is not used, the region is given up', async (t) => {
  const { vcpu, h } = runLoop();
  const head = vcpu.cache.lookup(HEAD)!;
  t.ok(head.region, 'the loop head heads a region');
  const kept = vcpu.stats().regionIrKept!;
  // add r1, r1, #5 instead of #3: the page's code version moves on; the TB (not yet dropped by the cpu loop) is stale.
  h.mmu.st(CODE + 4, 0xe2811005 | 0, MemOp.SIZE_32, 0);
  const abandoned = vcpu.stats().regionsAbandoned!;
  t.equal(vcpu.gen.genRegion(head, null), null, 'no region from the old code');
  t.equal(vcpu.stats().regionsAbandoned, abandoned + 1);
  t.equal(vcpu.stats().regionIrKept, kept, 'the old IR was not reused');
});
