// A region block's optimised IR is kept from its first region and reused by
// the next region that takes the block (exec/tb-gen.ts hotIrOf), but only
// while the block's code page still has the version the TB was made from: a
// store into the code makes the next region translate again and give up
// (the TB is stale), never compile the kept IR of the old bytes.

import t from 'tap';
import { Env } from '../../../src/emulator/arm/cpu-state.js';
import { Vcpu } from '../../../src/emulator/exec/vcpu.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { PAGE_SIZE, PTE_EXEC, PTE_READ, PTE_WRITE } from '../../../src/emulator/softmmu/page-bits.js';
import { createHarness, allocateSlots, HarnessVcpu } from '../../../harness/vcpu-harness.js';

const CODE = 0x40000;
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

class End extends Error {}

/** The loop's TB that heads its region (T, whose run count reaches the threshold first). */
const HEAD = CODE + 0xc;

function runLoop(): { vcpu: Vcpu; h: HarnessVcpu } {
  const buffers = createHarness('cmpxchg');
  const h = new HarnessVcpu(buffers, allocateSlots(buffers, 1)[0]!);
  h.start();
  h.mem.map(CODE, PAGE_SIZE, PTE_READ | PTE_WRITE | PTE_EXEC);
  PROGRAM.forEach((w, i) => h.mmu.st(CODE + 4 * i, w | 0, MemOp.SIZE_32, 0));
  const vcpu = new Vcpu(h.env, h.mmu, h.atomics, h.control, () => { throw new End(); }, {
    maxInsns: 512, chaining: true, hotThreshold: HOT, trace: null, dumpJs: null, timing: false,
  });
  h.env[Env.PC] = CODE;
  try {
    vcpu.run();
  } catch (e) {
    if (!(e instanceof End)) throw e;
  }
  return { vcpu, h };
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
