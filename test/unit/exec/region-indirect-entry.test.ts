// A block of a region that an indirect jump from outside the region was seen
// to reach (a return into a caller, a jump table's case) is one of the
// region's entries (exec/tb-gen.ts enteredFromOutside): the jump then lands
// in the region's code, not in the interpreter, which would run the block and
// those after it until it met an entry. Here a loop T -> I -> H -> T heads its
// region at T; every 64th round goes T -> X -> I, X a rarely run block outside
// the region whose `bx r2` reaches I.

import t from 'tap';
import { CODE, runA32Program } from './run-a32-program.js';

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

function runLoop(): ReturnType<typeof runA32Program> {
  return runA32Program(PROGRAM, HOT);
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
