// A TB compiled into a region as an inner block (not an entry) leaves the
// interpreted runs that made the region to the region: when control later
// reaches it from outside (a lost race's retry path coming back into the
// loop in bench/guest/atomic-add), it does not head a second region over the
// same loop at its next run (exec/tb-gen.ts genRegion sets heatBase). Here a
// loop is entered at its tail T for its first rounds, so T heats first and
// heads the region {T, L} at its 100th run, when L has run 99 times; L, the
// loop's body, then runs interpreted once more (the round in progress goes on
// from T's TB to L) and is entered from outside in ten more rounds, fewer
// runs than the hot threshold: one region, not two (two before the change).

import t from 'tap';
import type { Vcpu } from '../../../src/emulator/exec/vcpu.js';
import { runA32Program } from './run-a32-program.js';
import { TWO_ENTRY_LOOP } from './two-entry-loop.js';

const HOT = 100;

function runLoop(hotThreshold: number): { vcpu: Vcpu; r1: number } {
  const { vcpu, h } = runA32Program(TWO_ENTRY_LOOP, hotThreshold);
  return { vcpu, r1: h.env[1]! };
}

t.test('an inner block reached from outside does not head a second region', async (t) => {
  const { vcpu, r1 } = runLoop(HOT);
  // Rounds entered at T run the body 199 times, those entered at L 200 times.
  t.equal(r1, 2 * 199 + 10 * 200, 'the loop ran as the program says');
  const s = vcpu.stats();
  t.equal(s.regionsCompiled, 1, 'one region over the loop');
  t.equal(s.regionsRegrown, 0);
  t.ok(s.regionEntries! >= 11, `the rounds after the first ran in the region (${s.regionEntries} entries)`);
});

t.test('interpreted only: the same result, no region', async (t) => {
  const { vcpu, r1 } = runLoop(0);
  t.equal(r1, 2 * 199 + 10 * 200);
  t.equal(vcpu.stats().regionsCompiled, 0);
});
