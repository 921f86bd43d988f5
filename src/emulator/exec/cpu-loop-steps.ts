// The cpu loop's steps and the two call sites it reaches code through.
//
// V8 optimises the cpu loop (Vcpu.runUntilFault) by on-stack replacement
// while it runs, and a vCPU worker compiles on its own thread
// (host/v8-compile-mode.ts): a recompilation stops that vCPU for 8-14 ms
// while the others run alone. Optimised code is thrown away when it reaches
// a path it has no type feedback for, or a call target other than the one
// it was specialised for; V8 then recompiles it only after the loop has run
// long enough again, which for a loop that mostly waits in compiled regions
// was late: inside a benchmark's timed section. So the loop is cut so that
// no optimised code meets a path later than its first uses:
//
//   - runUntilFault only dispatches: `next = callStep(steps[next], vcpu)`;
//   - two tier loops do the common work: Vcpu.runInterpreted (interpreted
//     TBs; every path is taken in a program's first few thousand TBs) and
//     Vcpu.runRegions (compiled regions; every path is taken at a region's
//     first exits);
//   - everything else (serving requests, code changes, a TB turning hot, a
//     syscall or other special exit, a region's indirect exit, regrowth, the
//     first use of a region's exit slot, a bad branch) is a step of its own,
//     returned to and dispatched by code, so the tier loops hold no call to
//     it;
//   - the steps and the regions are called through callStep and callRegion,
//     whose call sites V8 has seen reach several targets before any guest
//     code runs (below): V8 then never specialises them to one target (no
//     "wrong call target" when a new region appears) and inlines none, which
//     also keeps each optimised function small.

import type { RegionFunction } from '../backend/compile-tb.js';
import type { Vcpu } from './vcpu.js';

/** A step of the cpu loop: does its work and returns the next step's index. */
export type Step = (vcpu: Vcpu) => number;

export const STEP_INTERPRETED = 0;
export const STEP_REGIONS = 1;
/** Serve requests, drop stale code, then the tier of the TB at the pc (the old loop's top). */
export const STEP_TOP = 2;
export const STEP_HEAT = 3;
export const STEP_EXIT = 4;
export const STEP_REGION_EXIT = 5;
export const STEP_REGROW = 6;
export const STEP_REGION_LINK = 7;
export const STEP_BAD_BRANCH = 8;

/** Calls a step; the call site is megamorphic from the start (below). */
export function callStep(step: Step, vcpu: Vcpu): number {
  return step(vcpu);
}

/** Calls a compiled region at a block index with a poll budget; the call site is megamorphic from the start. */
export function callRegion(fn: RegionFunction, entry: number, budget: number): number {
  return fn(entry, budget);
}

/**
 * Makes both call sites megamorphic: V8 allocates a function's feedback
 * after a few calls and records a call site's target from then on; a
 * second target makes it megamorphic for good.
 */
function warmCallSites(): void {
  const steps: Step[] = [() => 0, () => 1];
  const regions: RegionFunction[] = [(b) => b, (_b, n) => n];
  let sum = 0;
  for (let i = 0; i < 256; i++) {
    sum += callStep(steps[i & 1]!, null as unknown as Vcpu);
    sum += callRegion(regions[i & 1]!, i, 1);
  }
  if (sum < 0) throw new Error('internal: cpu loop call-site warm-up');
}

warmCallSites();
