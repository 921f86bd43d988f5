// How many ops a point runs. Peers differ by four orders of magnitude on the
// same workload (native vs mttcg under stop-the-world at 4 vCPUs), so no
// single op count suits all: each point is aimed at a duration instead.
//
// Throughput is ops / guest-timed ns, so points with different op counts
// compare directly. What an op count must get right is the duration: long
// enough that start-up effects inside the timed section (translation, V8
// tier-up, the first TLB fills) are amortised, short enough that a sweep
// finishes. So every series (one workload under one peer/strategy, vCPU
// counts ascending) aims each point at `targetMs` of timed section:
//   - its first point starts from the workload's guessed rate for the peer;
//   - every later point from the rate the previous point measured (contended
//     workloads keep their total rate as vCPUs grow, or lose it under
//     stop-the-world, so the total op count is what carries over);
//   - a first run shorter than `minMs` is a calibration run: it is thrown
//     away and re-run with the op count its own rate asks for (at most
//     MAX_CALIBRATION_RUNS times), so a bad guess costs one short run;
//   - all repeats of a point use the op count of its first kept run.
// With --ops the count is fixed and nothing is calibrated.

import type { BenchPeer } from './bench-record.js';
import type { Workload } from './workloads.js';

export interface OpCountPolicy {
  /** What each point's timed section is aimed at. */
  readonly targetMs: number;
  /** A first run with a shorter timed section is re-run with more ops. */
  readonly minMs: number;
  /** Fixed ops per thread (no calibration), or null. */
  readonly fixedOpsPerThread: number | null;
}

export const MAX_CALIBRATION_RUNS = 3;
/** The guests accept at most this many ops per thread. */
export const MAX_OPS_PER_THREAD = 1_000_000_000;

/** Rounds to two significant digits (tidy command lines), within 1..MAX_OPS_PER_THREAD. */
export function roundOps(n: number): number {
  if (!Number.isFinite(n) || n <= 1) return 1;
  const scale = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 1);
  return Math.min(MAX_OPS_PER_THREAD, Math.max(1, Math.round(n / scale) * scale));
}

/** Ops per thread so that `vcpus` threads at `totalOpsPerSec` take `ms`. */
export function opsPerThreadFor(totalOpsPerSec: number, vcpus: number, ms: number): number {
  return roundOps((totalOpsPerSec * ms) / 1000 / vcpus);
}

export class OpCounts {
  /** Last measured total ops/s per series. */
  private readonly rates = new Map<string, number>();

  constructor(readonly policy: OpCountPolicy) {}

  /** The op count per thread to try for a point. */
  propose(series: string, workload: Workload, peer: BenchPeer, vcpus: number): number {
    if (this.policy.fixedOpsPerThread !== null) return this.policy.fixedOpsPerThread;
    const rate = this.rates.get(series) ?? workload.guessOpsPerSec[peer];
    return opsPerThreadFor(rate, vcpus, this.policy.targetMs);
  }

  /** A run of `totalOps` took `ns` of timed section. */
  observe(series: string, totalOps: number, ns: number): void {
    if (totalOps > 0 && ns > 0) this.rates.set(series, totalOps / (ns / 1e9));
  }

  /** A run of `totalOps` did not finish within `timeoutMs` (its rate was at most this, assume half). */
  observeTimeout(series: string, totalOps: number, timeoutMs: number): void {
    if (totalOps > 0 && timeoutMs > 0) this.rates.set(series, totalOps / (timeoutMs / 1000) / 2);
  }

  /** Whether a first run this short should be thrown away and re-run with a new count. */
  isCalibrationRun(ns: number, runsSoFar: number, opsPerThread: number): boolean {
    return (
      this.policy.fixedOpsPerThread === null &&
      runsSoFar < MAX_CALIBRATION_RUNS &&
      ns < this.policy.minMs * 1e6 &&
      opsPerThread < MAX_OPS_PER_THREAD
    );
  }
}
