// Vcpu.translateAhead (the solo phase's warm worker, src/machine/solo-warm.ts):
// a TB translated ahead is the one the cpu loop then runs (it translates
// nothing again), it is made from the bytes there when it is made and with
// their code version, so a store into the code afterwards drops it as it
// drops any TB (the cpu loop runs the new code), and a pc it cannot fetch
// makes nothing and throws nothing.

import t from 'tap';
import { Env } from '../../../src/emulator/arm/cpu-state.js';
import { Vcpu } from '../../../src/emulator/exec/vcpu.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { PAGE_SIZE, PTE_EXEC, PTE_READ, PTE_WRITE } from '../../../src/emulator/softmmu/page-bits.js';
import { allocateSlots, createHarness, HarnessVcpu } from '../../../harness/vcpu-harness.js';

const CODE = 0x40000;
/** Two TBs: CODE (to the branch) and T, which ends at the svc. */
const PROGRAM = [
  0xe3a00007, // 00:    mov r0, #7
  0xeaffffff, // 04:    b T
  0xe2800001, // 08: T: add r0, r0, #1
  0xef000000, // 0c:    svc #0   the end (the test's syscall handler throws)
];
const T = CODE + 8;

class End extends Error {}

function setUp(): { vcpu: Vcpu; h: HarnessVcpu; run: () => void } {
  const buffers = createHarness('cmpxchg');
  const h = new HarnessVcpu(buffers, allocateSlots(buffers, 1)[0]!);
  h.start();
  h.mem.map(CODE, PAGE_SIZE, PTE_READ | PTE_WRITE | PTE_EXEC);
  PROGRAM.forEach((w, i) => h.mmu.st(CODE + 4 * i, w | 0, MemOp.SIZE_32, 0));
  const vcpu = new Vcpu(h.env, h.mmu, h.atomics, h.control, () => { throw new End(); }, {
    maxInsns: 512, chaining: true, hotThreshold: 0, trace: null, dumpJs: null, timing: false,
  });
  const run = (): void => {
    h.env[Env.PC] = CODE;
    try {
      vcpu.run();
    } catch (e) {
      if (!(e instanceof End)) throw e;
    }
  };
  return { vcpu, h, run };
}

t.test('the cpu loop runs the TBs translated ahead and translates nothing again', async (t) => {
  const { vcpu, h, run } = setUp();
  const told: number[] = [];
  vcpu.onTranslated = (tb) => told.push(tb.pc);
  t.equal(vcpu.translateAhead(CODE, 0), true, 'the first TB made');
  t.equal(vcpu.translateAhead(T, 0), true, 'the second TB made');
  t.equal(vcpu.translateAhead(T, 0), false, 'one already cached is not made again');
  t.equal(vcpu.stats().tbsTranslated, 2);
  run();
  t.equal(h.env[0], 8, 'the program ran');
  t.equal(vcpu.stats().tbsTranslated, 2, 'the cpu loop translated nothing');
  t.same(told, [], 'onTranslated hears only what the cpu loop translates');
});

t.test('a store into the code after the TB was made ahead: the cpu loop runs the new code', async (t) => {
  const { vcpu, h, run } = setUp();
  t.equal(vcpu.translateAhead(T, 0), true);
  h.mmu.st(T, 0xe2800005 | 0, MemOp.SIZE_32, 0); // add r0, r0, #5
  const told: number[] = [];
  vcpu.onTranslated = (tb) => told.push(tb.pc);
  run();
  t.equal(h.env[0], 12, 'the new instruction ran (7 + 5)');
  t.same(told, [CODE, T], 'T was translated again, from the new bytes');
  t.equal(vcpu.stats().tbsInvalidated, 1, 'the TB made ahead was dropped');
});

t.test('a translation ahead after a store drops the stale TB first', async (t) => {
  const { vcpu, h, run } = setUp();
  vcpu.translateAhead(T, 0);
  h.mmu.st(T, 0xe2800003 | 0, MemOp.SIZE_32, 0); // add r0, r0, #3
  t.equal(vcpu.translateAhead(T, 0), true, 'made again from the new bytes, not taken for cached');
  run();
  t.equal(h.env[0], 10, 'the new instruction ran (7 + 3)');
});

t.test('a pc on a page that is not executable makes nothing', async (t) => {
  const { vcpu } = setUp();
  t.equal(vcpu.translateAhead(0x80000, 0), false, 'unmapped');
  t.equal(vcpu.stats().tbsTranslated, 0);
});
