// The counters that explain the throughput curves, per unit of guest work
// (per op the run executed, timed and warm-up: bench-stats.ts's
// countersPerOp): slow-path memory accesses, TLB
// flushes, lock acquisitions and STREX failures. Each metric is a sum of
// `mttcg --stats` totals (strategy counters appear as 'atomic.<key>'); which
// keys a strategy reports differs, so each metric names the keys it adds.

import { executedOps } from '../../bench/runner/bench-stats.js';
import type { BenchView } from './bench-view.js';
import type { BenchRecord } from './input-types.js';

export interface CounterMetric {
  readonly id: string;
  readonly label: string;
  /** What the number counts, for the report's legend. */
  readonly explain: string;
  readonly matches: (key: string) => boolean;
}

export const COUNTER_METRICS: readonly CounterMetric[] = [
  {
    id: 'slowLoads', label: 'slow-path loads / op',
    explain: 'guest loads that missed the inline TLB fast path (slowLoads)',
    matches: (k) => k === 'slowLoads',
  },
  {
    id: 'slowStores', label: 'slow-path stores / op',
    explain: 'guest stores that missed the inline TLB fast path, including stores to flagged pages (slowStores)',
    matches: (k) => k === 'slowStores',
  },
  {
    id: 'tlbFlushes', label: 'TLB flushes / op',
    explain: 'page and full TLB flushes performed, summed over vCPUs (tlbPageFlushes + tlbFullFlushes)',
    matches: (k) => k === 'tlbPageFlushes' || k === 'tlbFullFlushes',
  },
  {
    id: 'lockAcquisitions', label: 'lock acquisitions / op',
    explain: 'strategy locks taken (atomic.lockAcquisitions); a stop-the-world exclusive section counts as taking the world lock (atomic.exclusiveSections)',
    matches: (k) => k === 'atomic.lockAcquisitions' || k === 'atomic.exclusiveSections',
  },
  {
    id: 'strexFailures', label: 'STREX failures / op',
    explain: 'STREX that returned 1, for any reason (atomic.strexFail*)',
    matches: (k) => k.startsWith('atomic.strexFail'),
  },
];

/** Atomic guest operations (LDREX, SWP, kuser cmpxchg): used to tell atomic workloads from plain ones. */
const ATOMIC_OP_KEYS = new Set(['atomic.ldrex', 'atomic.swaps', 'atomic.cas']);

/**
 * Below this many atomic operations per op a workload counts as non-atomic
 * code. The counters cover the whole run, so start-up alone (glibc's
 * kuser cmpxchg calls, some 40 to 60 of them) adds a few hundredths per op
 * to a plain workload, while every atomic workload runs at least one per op.
 */
export const NON_ATOMIC_THRESHOLD = 0.5;

function sumMatching(perOp: Readonly<Record<string, number>>, matches: (k: string) => boolean): number | null {
  let total = 0;
  let any = false;
  for (const [k, v] of Object.entries(perOp)) {
    if (matches(k) && Number.isFinite(v)) {
      total += v;
      any = true;
    }
  }
  return any ? total : null;
}

/** One run's value of a metric: its keys' counters per executed op, summed; null without counters or keys. */
export function metricOfRun(r: BenchRecord, metricId: string): number | null {
  const m = COUNTER_METRICS.find((x) => x.id === metricId);
  if (!m || !r.counters || r.ops <= 0) return null;
  const perOp: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.counters)) perOp[k] = v / executedOps(r);
  return sumMatching(perOp, m.matches);
}

export interface CounterRow {
  readonly workload: string;
  readonly strategy: string;
  readonly vcpus: number;
  /** Successful runs the medians are over. */
  readonly runs: number;
  /** Metric id -> per op; null when no run reported any of the metric's keys. */
  readonly perOp: Readonly<Record<string, number | null>>;
}

/**
 * One row per mttcg (workload, strategy, vCPU count) with counters. A metric
 * is the sum of its keys' per-op medians (bench-stats takes the median of
 * each counter over the runs).
 */
export function counterRows(view: BenchView): CounterRow[] {
  const rows: CounterRow[] = [];
  for (const s of view.series) {
    if (s.peer !== 'mttcg') continue;
    for (const p of s.points) {
      if (!p.countersPerOp || p.n === 0) continue;
      const perOp: Record<string, number | null> = {};
      for (const m of COUNTER_METRICS) perOp[m.id] = sumMatching(p.countersPerOp, m.matches);
      rows.push({ workload: s.workload, strategy: s.key, vcpus: p.vcpus, runs: p.n, perOp });
    }
  }
  return rows;
}

export function findCounterRow(rows: readonly CounterRow[], workload: string, strategy: string, vcpus: number): CounterRow | undefined {
  return rows.find((r) => r.workload === workload && r.strategy === strategy && r.vcpus === vcpus);
}

/**
 * Atomic operations per op of a workload: the mean over every mttcg point
 * with counters (the guest code is the same under every strategy), or null
 * when no point has counters.
 */
export function atomicOpsPerOp(view: BenchView, workload: string): number | null {
  const vals: number[] = [];
  for (const s of view.series) {
    if (s.peer !== 'mttcg' || s.workload !== workload) continue;
    for (const p of s.points) if (p.countersPerOp && p.n > 0) vals.push(sumMatching(p.countersPerOp, (k) => ATOMIC_OP_KEYS.has(k)) ?? 0);
  }
  return vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
}

export type WorkloadClass = 'atomic' | 'non-atomic' | 'unknown';

export function classifyWorkload(view: BenchView, workload: string): WorkloadClass {
  const a = atomicOpsPerOp(view, workload);
  if (a === null) return 'unknown';
  return a < NON_ATOMIC_THRESHOLD ? 'non-atomic' : 'atomic';
}
