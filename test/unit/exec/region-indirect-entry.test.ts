// A block of a region that an indirect jump from outside the region was seen
// to reach (a return into a caller, a jump table's case) is one of the
// region's entries (exec/tb-gen.ts enteredFromOutside): the jump then lands
// in the region's code, not in the interpreter, which would run the block and
// those after it until it met an entry. Here a loop T -> I -> H -> T heads its
// region at T; every 64th round goes T -> X -> I, X a rarely run block outside
// the region whose `bx r2` reaches I.

import t from 'tap';
import { Env } from '../../../src/emulator/arm/cpu-state.js';
import { Vcpu } from '../../../src/emulator/exec/vcpu.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { PAGE_SIZE, PTE_EXEC, PTE_READ, PTE_WRITE } from '../../../src/emulator/softmmu/page-bits.js';
import { createHarness, allocateSlots, HarnessVcpu } from '../../../harness/vcpu-harness.js';

const CODE = 0x40000;
const HOT = 64;
const T = CODE + 0x10;
const I = CODE + 0x18;
const X = CODE + 0x20;
/** A32 words at CODE (offsets in the comments). */
const PROGRAM = [
  0xe3a00f4b, // 00:        mov r0, #300
  0xe3a03000, // 04:        mov r3, #0
  0xe2500001, // 08: H:     subs r0, r0, #1
  0x0a000007, // 0c:        beq END
  0xe310003f, // 10: T:     tst r0, #63
  0x0a000001, // 14:        beq X           every 64th round
  0xe2811001, // 18: I:     add r1, r1, #1
  0xeafffff9, // 1c:        b H
  0xe2833001, // 20: X:     add r3, r3, #1
  0xe3002018, // 24:        movw r2, #0x0018
  0xe3402004, // 28:        movt r2, #0x0004  r2 = I
  0xe12fff12, // 2c:        bx r2
  0xef000000, // 30: END:   svc #0          the end (the test's syscall handler throws)
];

class End extends Error {}

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

t.test('an inner block reached by an indirect jump from outside is an entry', async (t) => {
  const { vcpu, h } = runLoop();
  t.equal(h.env[1], 299, 'I ran once per round');
  t.equal(h.env[3], 4, 'X ran at r0 = 256, 192, 128, 64');
  const head = vcpu.cache.lookup(T)!;
  const region = head.region!;
  t.ok(region, 'T heads the region');
  t.same(region.blocks.map((b) => b.pc), [T, I, CODE + 0x08], 'the region is the loop: T, I, H (X ran too rarely to join)');
  t.equal(vcpu.cache.lookup(X)!.region, null, 'X is outside the region');
  t.equal(vcpu.cache.lookup(I)!.region, region, 'I is an entry of the region');
  t.equal(vcpu.stats().regionsCompiled, 1, 'no second region over the loop');
});
