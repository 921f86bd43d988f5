// From a strategy's declared prediction and what a run showed to a matrix
// cell. Pure functions: the whole policy of what counts as a broken claim.

import type { Prediction } from '../emulator/atomics/guarantees.js';
import { guestThreads, type TortureCase } from './cases.js';
import type { Cell, Observed } from './matrix-types.js';

/**
 * predicted pass: pass -> pass, fail -> fail (a broken guarantee).
 * predicted fail: fail -> expected-fail, pass -> unexpected-pass (the race did
 * not happen, or the design is better than its reputation).
 * may-fail: pass -> pass, fail -> expected-fail.
 * Not run -> n/a.
 */
export function classifyCell(predicted: Prediction, observed: Observed): Cell {
  if (observed === 'n/a') return 'n/a';
  switch (predicted) {
    case 'pass':
      return observed === 'pass' ? 'pass' : 'fail';
    case 'fail':
      return observed === 'pass' ? 'unexpected-pass' : 'expected-fail';
    case 'may-fail':
      return observed === 'pass' ? 'pass' : 'expected-fail';
  }
}

/**
 * The prediction at a vCPU count. A counting case at one thread has no other
 * vCPU to race with, so whatever the design's weakness, it must pass there:
 * 'fail' and 'may-fail' become 'pass' (a failure at 1 vCPU is a plain bug).
 * Every other kind is either single-threaded by nature (syscall-monitor,
 * whose failure needs no second vCPU) or n/a at one vCPU (see guestThreads).
 */
export function predictionAt(c: TortureCase, declared: Prediction, threads: number): Prediction {
  if (c.kind === 'counting' && (guestThreads(c, threads) ?? 0) < 2) return 'pass';
  return declared;
}
