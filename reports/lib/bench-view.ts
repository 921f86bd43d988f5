// The statistics view of the benchmark records, on top of bench-stats.ts:
// one series per (workload, strategy spec or peer), one point per vCPU
// count, each the median of its successful repeats with their spread.
// Failed runs are counted and their errors kept, never averaged in.

import { summarise, type PointStats } from '../../bench/runner/bench-stats.js';
import type { BenchPeer, BenchRecord } from './input-types.js';

export interface SeriesPoint {
  readonly vcpus: number;
  /** Successful runs. */
  readonly n: number;
  /** NaN when n is 0. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max - min) / 2 / median: how far the runs disagreed; 0 for a single run, when the noise is unknown. */
  readonly relHalfRange: number;
  /** Repeats without a usable run. */
  readonly failed: number;
  readonly errors: readonly string[];
  /** mttcg --stats counters divided by ops, median over the runs (bench-stats); null for peers. */
  readonly countersPerOp: Readonly<Record<string, number>> | null;
}

export interface Series {
  readonly workload: string;
  readonly peer: BenchPeer;
  /** The strategy spec for mttcg (e.g. 'cmpxchg', 'aie:aie-stores=always'); the peer's name otherwise. */
  readonly key: string;
  readonly points: readonly SeriesPoint[];
}

export interface BenchView {
  /** Workloads in bench-stats order (the workload table's order). */
  readonly workloads: readonly string[];
  /** Every vCPU count measured, ascending. */
  readonly vcpuCounts: readonly number[];
  readonly series: readonly Series[];
  /** mttcg strategy specs with at least one record, in order of first appearance. */
  readonly strategies: readonly string[];
  /** Peers with at least one successful record. */
  readonly peersMeasured: ReadonlySet<BenchPeer>;
  /** Peers that have records, all failed (with the first error). */
  readonly peersFailed: ReadonlyMap<BenchPeer, string>;
  readonly records: readonly BenchRecord[];
}

function toPoint(s: PointStats): SeriesPoint {
  const o = s.opsPerSec;
  return {
    vcpus: s.vcpus,
    n: s.runs,
    median: o?.median ?? NaN,
    min: o?.min ?? NaN,
    max: o?.max ?? NaN,
    relHalfRange: o && s.runs > 1 && o.median > 0 ? (o.max - o.min) / 2 / o.median : 0,
    failed: s.failed,
    errors: s.errors,
    countersPerOp: s.countersPerOp,
  };
}

export function buildBenchView(records: readonly BenchRecord[]): BenchView {
  const stats = summarise(records);
  const series = new Map<string, { workload: string; peer: BenchPeer; key: string; points: SeriesPoint[] }>();
  for (const s of stats) {
    const k = JSON.stringify([s.workload, s.strategy]);
    let entry = series.get(k);
    if (!entry) series.set(k, (entry = { workload: s.workload, peer: s.peer, key: s.strategy, points: [] }));
    entry.points.push(toPoint(s));
  }
  const peersMeasured = new Set(records.filter((r) => r.ok).map((r) => r.peer));
  const peersFailed = new Map<BenchPeer, string>();
  for (const r of records) {
    if (!peersMeasured.has(r.peer) && !peersFailed.has(r.peer)) peersFailed.set(r.peer, r.error ?? 'no measurement');
  }
  return {
    workloads: [...new Set(stats.map((s) => s.workload))],
    vcpuCounts: [...new Set(records.map((r) => r.vcpus))].sort((a, b) => a - b),
    series: [...series.values()],
    strategies: [...new Set(records.filter((r) => r.peer === 'mttcg').map((r) => r.strategy))],
    peersMeasured,
    peersFailed,
    records,
  };
}

export function findSeries(view: BenchView, workload: string, key: string): Series | undefined {
  return view.series.find((s) => s.workload === workload && s.key === key);
}

/** The point of a series at a vCPU count, only if it has a measurement. */
export function measuredPoint(view: BenchView, workload: string, key: string, vcpus: number): SeriesPoint | undefined {
  const p = findSeries(view, workload, key)?.points.find((x) => x.vcpus === vcpus);
  return p && p.n > 0 ? p : undefined;
}

/** Throughput at N vCPUs over throughput at 1 vCPU, from medians; undefined unless both are measured. */
export function speedup(view: BenchView, workload: string, key: string, vcpus: number): number | undefined {
  const one = measuredPoint(view, workload, key, 1);
  const n = measuredPoint(view, workload, key, vcpus);
  return one && n ? n.median / one.median : undefined;
}
