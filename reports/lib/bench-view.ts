// The statistics view of one host's benchmark records, on top of
// bench-stats.ts: one series per (workload, strategy spec or peer), one
// point per vCPU count, each with its median, bootstrap interval and
// evidence (bench/runner/run-evidence.ts). Failed runs are counted and
// their errors kept, never averaged in; points that are not evidence are
// kept (drawn greyed) but never decide anything.

import { MIN_EVIDENCE_RUNS, ratioOf, summarise, type PointStats, type Ratio } from '../../bench/runner/bench-stats.js';
import { NOT_EVIDENCE_TEXT } from '../../bench/runner/run-evidence.js';
import type { BenchPeer, BenchRecord } from './input-types.js';

export interface SeriesPoint {
  readonly vcpus: number;
  /** Usable runs, and how many of them are evidence. */
  readonly n: number;
  readonly evidenceRuns: number;
  /** At least two evidence runs: the point may decide a verdict. */
  readonly evidence: boolean;
  /** Over the evidence runs when the point is evidence, else over all usable runs; NaN when n is 0. */
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Bootstrap 95% interval of the median; null unless the point is evidence. */
  readonly interval: { readonly lo: number; readonly hi: number } | null;
  /** Repeats without a usable run. */
  readonly failed: number;
  readonly errors: readonly string[];
  /** mttcg --stats counters divided by ops, median over the runs (bench-stats); null for peers. */
  readonly countersPerOp: Readonly<Record<string, number>> | null;
  readonly cpuShare: number | null;
  readonly overlap: number | null;
  readonly failuresPerOp: number | null;
  /** Why runs were not evidence (plain words with numbers). */
  readonly notEvidenceReasons: readonly string[];
  readonly stats: PointStats;
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
    evidenceRuns: s.evidenceRuns,
    evidence: s.evidence,
    median: o?.median ?? NaN,
    min: o?.min ?? NaN,
    max: o?.max ?? NaN,
    interval: s.interval,
    failed: s.failed,
    errors: s.errors,
    countersPerOp: s.countersPerOp,
    cpuShare: s.cpuShare,
    overlap: s.overlap,
    failuresPerOp: s.failuresPerOp,
    notEvidenceReasons: s.notEvidenceReasons,
    stats: s,
  };
}

/** The view of records that all come from one host (collect-results picks it). */
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

/** The point of a series at a vCPU count, only if it has a measurement (evidence or not). */
export function measuredPoint(view: BenchView, workload: string, key: string, vcpus: number): SeriesPoint | undefined {
  const p = findSeries(view, workload, key)?.points.find((x) => x.vcpus === vcpus);
  return p && p.n > 0 ? p : undefined;
}

/** Throughput at N vCPUs over throughput at 1 vCPU, from medians, with the interval when both are evidence. */
export function speedup(view: BenchView, workload: string, key: string, vcpus: number): Ratio | undefined {
  const one = measuredPoint(view, workload, key, 1);
  const n = measuredPoint(view, workload, key, vcpus);
  return one && n ? ratioOf(n.stats, one.stats) ?? undefined : undefined;
}

/** Every measured point of a view with its series. */
export function allPoints(view: BenchView): { series: Series; point: SeriesPoint }[] {
  return view.series.flatMap((series) => series.points.filter((p) => p.n > 0).map((point) => ({ series, point })));
}

/** Why a point is not evidence, by kind with run counts ("not evidence: too little CPU (3 runs), no overlap (2 runs)"). */
export function notEvidenceText(p: SeriesPoint): string {
  const kinds = p.stats.notEvidence;
  if (!kinds.length) return `not evidence: ${p.evidenceRuns} evidence run(s), ${MIN_EVIDENCE_RUNS} needed`;
  return `not evidence: ${kinds.map((k) => `${NOT_EVIDENCE_TEXT[k.kind]} (${k.runs} run${k.runs === 1 ? '' : 's'})`).join(', ')}`;
}
