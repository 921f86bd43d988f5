// A region's first calls run it over its training twin's TLB (backend/
// compile-tb.ts compileRegionPair), so that the paths a region takes only
// now and then get type feedback before TurboFan compiles it. V8 optimises
// an operation its feedback never saw run into a deoptimisation point; a
// region's slow paths (a TLB miss, a lost race's LDREX or STREX helper, a
// contended store's check and lock) are otherwise first taken long after
// the region was optimised, each then costing a deoptimisation, a stretch
// in the interpreter and a recompilation on the host's other core
// (reports/measurements/speed.md, "Session 8: spinlock").
//
// Every other call of the first TRAINING_CALLS trains, in turn over tags
// under which every access misses (the slow paths), tags under which every
// store meets the strategy's flagged-store check, and those tags with the
// strategy's contended bindings (its checks' fallbacks: AtomicLowering.
// contendedBindings); the calls between run as
// compiled, so that the feedback V8 may optimise the region on already has
// the common paths too (optimised on training feedback alone, the region
// would deoptimise at its first fast path). V8 allocates a function's
// feedback vector only after it has run some bytecode (8 times its size)
// and records nothing before, hence several calls. A training call gets a
// small back-edge budget, so that a long loop does not run its memory
// accesses through the slow paths for long; a spent budget leaves as a poll
// does, and the cpu loop calls the region again.

import type { RegionPair } from '../backend/compile-tb.js';
import type { Region } from './translation-block.js';

/** Calls of a new region among which every other one trains. */
export const TRAINING_CALLS = 16;
/** Back-edge budget of a training call. */
export const TRAINING_BUDGET = 64;

/** Makes every other one of `region`'s next TRAINING_CALLS calls train (with TRAINING_BUDGET at most), then it runs as compiled. */
export function startTraining(region: Region, pair: RegionPair): void {
  let left = TRAINING_CALLS;
  region.fn = (entry, budget) => {
    left--;
    if (left === 0) region.fn = pair.run;
    if ((left & 1) === 0) return pair.run(entry, budget);
    const mode = (left >> 1) % 3;
    if (mode === 0) pair.twin.missAll();
    else pair.twin.flagAll();
    return pair.train(entry, Math.min(budget, TRAINING_BUDGET), mode === 2);
  };
}
