// --stats counts guest instructions per tier: the interpreter's first build
// of a TB (interpInsns), its rewritten build from the REWRITE_RUNS-th run on
// (rewrittenInsns), an inner block of a region run by the interpreter
// (innerInsns), and compiled regions (regionInsns). Their sum is guestInsns,
// the same whichever tier ran the code.

import t from 'tap';
import { REWRITE_RUNS } from '../../../src/emulator/backend/interp-tb.js';
import { runA32Program } from './run-a32-program.js';
import { TWO_ENTRY_LOOP } from './two-entry-loop.js';

const ROUNDS = 1000;
/** A32 words: one TB before the loop, the loop's TB (3 instructions), the svc's TB. */
const LOOP = [
  0xe3a00ffa, // 00:    mov r0, #1000
  0xe2811001, // 04: L: add r1, r1, #1
  0xe2500001, // 08:    subs r0, r0, #1
  0x1afffffc, // 0c:    bne L
  0xef000000, // 10:    svc #0
];
/** The first TB (mov to bne: 4), the loop's TB from L (3) for the other rounds, the svc. */
const LOOP_INSNS = 4 + (ROUNDS - 1) * 3 + 1;

function tiers(s: Record<string, number>): number[] {
  return [s.interpInsns!, s.rewrittenInsns!, s.innerInsns!, s.regionInsns!];
}

t.test('interpreted only: first build until the rewrite, then the rewritten build', async (t) => {
  const { vcpu, h } = runA32Program(LOOP, 0);
  t.equal(h.env[1], ROUNDS, 'the loop ran as the program says');
  const s = vcpu.stats();
  const firstRuns = REWRITE_RUNS - 1;
  t.same(tiers(s), [4 + firstRuns * 3 + 1, (ROUNDS - 1 - firstRuns) * 3, 0, 0]);
  t.equal(s.guestInsns, LOOP_INSNS);
});

t.test('a region takes the loop at the hot threshold', async (t) => {
  const hot = 100;
  const { vcpu, h } = runA32Program(LOOP, hot);
  t.equal(h.env[1], ROUNDS);
  const s = vcpu.stats();
  t.equal(s.regionsCompiled, 1);
  // The loop's TB counts its hot-th run but leaves it to the region.
  t.same(tiers(s), [4 + (hot - 1) * 3 + 1, 0, 0, (ROUNDS - hot) * 3]);
  t.equal(s.guestInsns, LOOP_INSNS);
});

t.test('an inner block of a region run by the interpreter counts as inner', async (t) => {
  const all = runA32Program(TWO_ENTRY_LOOP, 0).vcpu.stats();
  const { vcpu } = runA32Program(TWO_ENTRY_LOOP, 100);
  const s = vcpu.stats();
  t.equal(s.regionsCompiled, 1, 'one region over the loop, {T, L}');
  // L (add, b T) runs interpreted once after the region is made, and at each of the ten rounds entered there.
  t.ok(s.innerInsns! >= 2, `inner block runs counted (${s.innerInsns})`);
  t.ok(s.regionInsns! > 0);
  t.equal(s.guestInsns, all.guestInsns, 'the same instructions as interpreted only');
  t.same(tiers(all).slice(2), [0, 0], 'no inner block or region without regions');
});
