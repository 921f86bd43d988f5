// Statistics over bench records, per (host kind, workload, strategy, vCPUs):
// which runs are evidence (run-evidence.ts), the median of those runs with a
// bootstrap 95% interval (bootstrap.ts), the same point's CPU share, overlap
// and failure rate, ratios with intervals (speedup against the same
// strategy's own 1-vCPU point, throughput against qemu-arm's at the same
// vCPU count), and the --stats counters per op. Records from different
// kinds of host are never pooled: the host kind is part of every point's
// identity (machines of one kind, such as a sweep's shards on the nodes of
// one cluster partition, are; src/host/host-info.ts says what a kind is).

import { hostKindOf } from '../../src/host/host-info.js';
import { pointKey, type BenchPeer, type BenchRecord } from './bench-record.js';
import { combine, MIN_RUNS_FOR_INTERVAL, percentileInterval, resampledMedians, type Interval } from './bootstrap.js';
import { contendedOpsPerSec } from './bench-window.js';
import { runEvidence, type NotEvidenceKind, type RunEvidence } from './run-evidence.js';
import { workloadNames } from './workloads.js';

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** A ratio of two medians with its bootstrap interval (null when either side has fewer than MIN_RUNS_FOR_INTERVAL evidence runs). */
export interface Ratio {
  readonly value: number;
  readonly interval: Interval | null;
}

/** A point is evidence when at least this many of its runs are. */
export const MIN_EVIDENCE_RUNS = MIN_RUNS_FOR_INTERVAL;

export interface PointStats {
  /** The kind of host whose records these are (hostKindOf). */
  readonly hostKind: string;
  readonly workload: string;
  readonly peer: BenchPeer;
  readonly strategy: string;
  readonly vcpus: number;
  /** Usable records (ok ones, see SummariseOptions). */
  readonly runs: number;
  /** Usable records that are evidence (run-evidence.ts). */
  readonly evidenceRuns: number;
  /** At least MIN_EVIDENCE_RUNS evidence runs: the point may decide a verdict. */
  readonly evidence: boolean;
  /** Why usable runs were not evidence: each kind with how many runs. */
  readonly notEvidence: readonly { readonly kind: NotEvidenceKind; readonly runs: number }[];
  /** The distinct plain-language reasons (with numbers) behind notEvidence. */
  readonly notEvidenceReasons: readonly string[];
  /** Repeats that have no usable record: every attempt failed. */
  readonly failed: number;
  /** Distinct error messages of the failed records. */
  readonly errors: readonly string[];
  /**
   * ops/s over the runs the point's figures use: its evidence runs when it
   * is evidence, otherwise all usable runs (to draw greyed). Null without any.
   * Each run's over its contended window where the workload contends
   * (bench-window.ts contendedOpsPerSec), else over its whole section.
   */
  readonly opsPerSec: Spread | null;
  /** Bootstrap 95% interval of that median; null unless the point is evidence. */
  readonly interval: Interval | null;
  /** Medians over the same runs: the lowest thread CPU share, the overlap, failed attempts per op (null where not measured). */
  readonly cpuShare: number | null;
  readonly overlap: number | null;
  readonly failuresPerOp: number | null;
  /** Against the same strategy's 1-vCPU point; null unless both are measured. */
  readonly speedup: Ratio | null;
  /** Against qemu-arm at the same workload and vCPUs; null unless both are measured. */
  readonly vsQemu: Ratio | null;
  /**
   * Median over the same runs of each counter divided by the ops the run
   * executed (timed + warm-up, which the counters both cover); mttcg only.
   * The counters are whole-run: process start-up is included.
   */
  readonly countersPerOp: Readonly<Record<string, number>> | null;
  /** The records the figures use, in repeat order. */
  readonly used: readonly BenchRecord[];
}

export interface SummariseOptions {
  /**
   * Also use records whose guest self-check failed but which timed their
   * section (e.g. the unsafe control: fast but wrong); they are never
   * evidence. Default false.
   */
  readonly includeFailedChecks?: boolean;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function spread(xs: readonly number[]): Spread | null {
  if (xs.length === 0) return null;
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** Ops a run executed: the timed ones plus the untimed warm-up. */
export function executedOps(r: BenchRecord): number {
  return r.ops + (r.warmupOps ?? 0);
}

/** Median over records of counter / executed ops, for every counter some record has. */
export function countersPerOp(records: readonly BenchRecord[]): Record<string, number> | null {
  const withCounters = records.filter((r) => r.counters !== null && r.ops > 0);
  if (withCounters.length === 0) return null;
  const keys = new Set(withCounters.flatMap((r) => Object.keys(r.counters!)));
  const out: Record<string, number> = {};
  for (const k of [...keys].sort()) {
    const values = withCounters.filter((r) => typeof r.counters![k] === 'number').map((r) => r.counters![k]! / executedOps(r));
    if (values.length) out[k] = median(values);
  }
  return out;
}

function usable(r: BenchRecord, o: SummariseOptions): boolean {
  return r.ok || (o.includeFailedChecks === true && r.ns > 0 && r.opsPerSec > 0 && (r.error ?? '').includes('self-check'));
}

/** The identity of a point across hosts: never pool two kinds of host. */
export function pointIdentity(p: { readonly hostKind: string; readonly workload: string; readonly strategy: string; readonly vcpus: number }): string {
  return JSON.stringify([p.hostKind, p.workload, p.strategy, p.vcpus]);
}

const resampleCache = new Map<string, Float64Array>();

/**
 * The bootstrap resamples of a point's median throughput (its used runs),
 * seeded by its identity; null unless the point is evidence.
 */
export function medianResamples(p: PointStats): Float64Array | null {
  if (!p.evidence) return null;
  const values = p.used.map((r) => contendedOpsPerSec(r));
  const label = `${pointIdentity(p)}|opsPerSec`;
  const key = `${label}|${values.join(',')}`;
  let v = resampleCache.get(key);
  if (!v) {
    if (resampleCache.size > 5000) resampleCache.clear();
    v = resampledMedians(values, label);
    resampleCache.set(key, v);
  }
  return v;
}

/** a / b of two points' medians, with the interval of the ratio when both are evidence. */
export function ratioOf(a: PointStats | undefined, b: PointStats | undefined): Ratio | null {
  if (!a?.opsPerSec || !b?.opsPerSec || !(b.opsPerSec.median > 0)) return null;
  const ra = medianResamples(a);
  const rb = medianResamples(b);
  const interval = ra && rb ? percentileInterval(combine([ra, rb], ([x, y]) => (y! > 0 ? x! / y! : NaN))) : null;
  return { value: a.opsPerSec.median / b.opsPerSec.median, interval };
}

function middleOrNull(xs: readonly (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? median(v) : null;
}

type BasePoint = Omit<PointStats, 'speedup' | 'vsQemu' | 'interval'>;

function basePoint(rs: readonly BenchRecord[], options: SummariseOptions): BasePoint {
  const first = rs[0]!;
  const byRepeat = [...rs].sort((a, b) => a.repeat - b.repeat);
  const used = byRepeat.filter((r) => usable(r, options));
  const verdicts = new Map<BenchRecord, RunEvidence>(used.map((r) => [r, runEvidence(r)]));
  const evidenceRuns = used.filter((r) => verdicts.get(r)!.evidence);
  const isEvidence = evidenceRuns.length >= MIN_EVIDENCE_RUNS;
  const figures = isEvidence ? evidenceRuns : used;
  const kinds = new Map<NotEvidenceKind, number>();
  const reasons = new Set<string>();
  for (const r of used) {
    for (const k of verdicts.get(r)!.kinds) kinds.set(k, (kinds.get(k) ?? 0) + 1);
    for (const why of verdicts.get(r)!.reasons) reasons.add(why);
  }
  const usedKeys = new Set(used.map(pointKey));
  const failedRecords = rs.filter((r) => !usable(r, options));
  const failedKeys = new Set(failedRecords.map(pointKey).filter((k) => !usedKeys.has(k)));
  return {
    hostKind: hostKindOf(first.host),
    workload: first.workload,
    peer: first.peer,
    strategy: first.strategy,
    vcpus: first.vcpus,
    runs: used.length,
    evidenceRuns: evidenceRuns.length,
    evidence: isEvidence,
    notEvidence: [...kinds].map(([kind, runs]) => ({ kind, runs })),
    notEvidenceReasons: [...reasons],
    failed: failedKeys.size,
    errors: [...new Set(failedRecords.map((r) => r.error ?? 'failed'))],
    opsPerSec: spread(figures.map((r) => contendedOpsPerSec(r))),
    cpuShare: middleOrNull(figures.map((r) => verdicts.get(r)!.cpuShare)),
    overlap: middleOrNull(figures.map((r) => verdicts.get(r)!.overlap)),
    failuresPerOp: middleOrNull(figures.map((r) => verdicts.get(r)!.failuresPerOp)),
    countersPerOp: countersPerOp(figures),
    used: figures,
  };
}

/**
 * One PointStats per (host kind, workload, strategy, vCPUs) present in the
 * records, ordered by workload (the workload table's order), strategy
 * (first appearance) and vCPUs.
 */
export function summarise(records: readonly BenchRecord[], options: SummariseOptions = {}): PointStats[] {
  const groups = new Map<string, BenchRecord[]>();
  const strategyOrder = new Map<string, number>();
  for (const r of records) {
    const g = pointIdentity({ ...r, hostKind: hostKindOf(r.host) });
    const list = groups.get(g);
    if (list) list.push(r);
    else groups.set(g, [r]);
    if (!strategyOrder.has(r.strategy)) strategyOrder.set(r.strategy, strategyOrder.size);
  }

  const base = new Map<string, PointStats>();
  for (const [g, rs] of groups) {
    const b = basePoint(rs, options);
    const point: PointStats = { ...b, interval: null, speedup: null, vsQemu: null };
    const resamples = medianResamples(point);
    base.set(g, { ...point, interval: resamples ? percentileInterval(resamples) : null });
  }
  const at = (p: PointStats, change: Partial<PointStats>): PointStats | undefined => base.get(pointIdentity({ ...p, ...change }));

  const order = workloadNames();
  const workloadRank = (w: string): number => {
    const i = order.indexOf(w);
    return i >= 0 ? i : order.length;
  };
  return [...base.values()]
    .map((s) => ({ ...s, speedup: ratioOf(s, at(s, { vcpus: 1 })), vsQemu: ratioOf(s, at(s, { strategy: 'qemu-arm' })) }))
    .sort(
      (a, b) =>
        a.hostKind.localeCompare(b.hostKind) ||
        workloadRank(a.workload) - workloadRank(b.workload) ||
        a.workload.localeCompare(b.workload) ||
        strategyOrder.get(a.strategy)! - strategyOrder.get(b.strategy)! ||
        a.vcpus - b.vcpus,
    );
}
