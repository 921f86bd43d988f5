// A region's first calls train it (backend/compile-tb.ts
// compileRegionPair): every other one of its first TRAINING_CALLS runs the
// same function over the strategy's contended bindings
// (AtomicLowering.contendedBindings), under which its written-out checks
// take their fallbacks, so that those paths have type feedback before
// TurboFan compiles the region. V8 optimises an operation its feedback
// never saw run into a deoptimisation point; a contended fallback (tlbexcl's
// store check finding a range on the frame) is otherwise first taken long
// after the region was optimised, each then costing a deoptimisation, a
// stretch in V8's interpreter and a recompilation on the host's other core
// (reports/measurements/speed.md, "Session 8: spinlock").
//
// The calls between run as compiled, so that the feedback V8 may optimise
// the region on already has the common paths too (optimised on training
// feedback alone, the region would deoptimise at its first fast path). V8
// allocates a function's feedback vector only after it has run some
// bytecode (8 times its size) and records nothing before, hence several
// calls. A training call gets a small back-edge budget, so that a long loop
// does not run its checks through their fallbacks for long; a spent budget
// leaves as a poll does, and the cpu loop calls the region again.
//
// A region without contended bindings trains too: its first TRAINING_CALLS
// calls run it with TRAINING_BUDGET back-edges at most. Its first call
// otherwise loops until V8 optimises it on-stack (OSR) with no feedback for
// the exit tail that every exit shares (the stores back to env), so each
// region deoptimised at its first exit ("Insufficient type feedback for
// generic keyed access") and ran unoptimised until TurboFan compiled it
// again: conf-libc's regions 9 such deoptimisations a run, 2 with the short
// calls, and its vCPU CPU 12-21% less (speed.md, "Session 11: the cold
// tier"). A spent budget leaves at a loop head of the region, which is its
// head or an entry in these programs (guest instructions per tier did not
// change).
//
// Only the fallbacks: training every memory access's slow path too (a twin
// TLB whose tags miss) had TurboFan compile those helpers into every region,
// which cost conf-compute 30-90% more compilation (speed.md).

import type { RegionFunction } from '../backend/compile-tb.js';
import type { Region } from './translation-block.js';

/** Calls of a new region among which every other one trains. */
export const TRAINING_CALLS = 16;
/** Back-edge budget of a training call. */
export const TRAINING_BUDGET = 64;

/**
 * Makes `region`'s next TRAINING_CALLS calls train it, then it runs as
 * compiled: with a training entry, every other call runs `train`; without
 * one, every call runs the region itself. Either way a training call gets
 * TRAINING_BUDGET back-edges at most.
 */
export function startTraining(region: Region, train: RegionFunction | null): void {
  const run = region.fn;
  let left = TRAINING_CALLS;
  region.fn = (entry, budget) => {
    left--;
    if (left === 0) region.fn = run;
    if (train === null) return run(entry, Math.min(budget, TRAINING_BUDGET));
    if ((left & 1) === 0) return run(entry, budget);
    return train(entry, Math.min(budget, TRAINING_BUDGET));
  };
}
