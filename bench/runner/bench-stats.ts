// Statistics over bench records: per (workload, strategy, vCPUs) the median,
// min and max throughput over repeats, the speedup against the same
// strategy's own 1-vCPU point, the ratio to qemu-arm at the same point, and
// the --stats counters per op.

import { pointKey, type BenchPeer, type BenchRecord } from './bench-record.js';
import { workloadNames } from './workloads.js';

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface PointStats {
  readonly workload: string;
  readonly peer: BenchPeer;
  readonly strategy: string;
  readonly vcpus: number;
  /** Records that went into the figures (ok ones, see SummariseOptions). */
  readonly runs: number;
  /** Repeats that have no usable record: every attempt failed. */
  readonly failed: number;
  /** Distinct error messages of the failed records. */
  readonly errors: readonly string[];
  /** ops/s over the runs; null when there is none. */
  readonly opsPerSec: Spread | null;
  /** Median ops/s over the same workload and strategy's 1-vCPU median; null without both. */
  readonly speedup: number | null;
  /** Median ops/s over qemu-arm's median at the same workload and vCPUs; null without both. */
  readonly vsQemu: number | null;
  /**
   * Median over the runs of each counter divided by the ops the run executed
   * (timed + warm-up, which the counters both cover); mttcg only. The
   * counters are whole-run: process start-up is included.
   */
  readonly countersPerOp: Readonly<Record<string, number>> | null;
}

export interface SummariseOptions {
  /**
   * Also use records whose guest self-check failed but which timed their
   * section (e.g. the unsafe control: fast but wrong). Default false.
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

const groupOf = (r: { workload: string; strategy: string; vcpus: number }): string => JSON.stringify([r.workload, r.strategy, r.vcpus]);

/**
 * One PointStats per (workload, strategy, vCPUs) present in the records,
 * ordered by workload (the workload table's order), strategy (first
 * appearance) and vCPUs.
 */
export function summarise(records: readonly BenchRecord[], options: SummariseOptions = {}): PointStats[] {
  const groups = new Map<string, BenchRecord[]>();
  const strategyOrder = new Map<string, number>();
  for (const r of records) {
    const g = groupOf(r);
    const list = groups.get(g);
    if (list) list.push(r);
    else groups.set(g, [r]);
    if (!strategyOrder.has(r.strategy)) strategyOrder.set(r.strategy, strategyOrder.size);
  }

  const base = [...groups.values()].map((rs) => {
    const first = rs[0]!;
    const used = rs.filter((r) => usable(r, options));
    const usedKeys = new Set(used.map(pointKey));
    const failedRecords = rs.filter((r) => !usable(r, options));
    const failedKeys = new Set(failedRecords.map(pointKey).filter((k) => !usedKeys.has(k)));
    return {
      workload: first.workload,
      peer: first.peer,
      strategy: first.strategy,
      vcpus: first.vcpus,
      runs: used.length,
      failed: failedKeys.size,
      errors: [...new Set(failedRecords.map((r) => r.error ?? 'failed'))],
      opsPerSec: spread(used.map((r) => r.opsPerSec)),
      countersPerOp: countersPerOp(used),
    };
  });

  const medianAt = new Map(base.map((s) => [groupOf(s), s.opsPerSec?.median ?? null]));
  const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
    a == null || b == null || !(b > 0) ? null : a / b;

  const order = workloadNames();
  const workloadRank = (w: string): number => {
    const i = order.indexOf(w);
    return i >= 0 ? i : order.length;
  };
  return base
    .map((s) => ({
      ...s,
      speedup: ratio(s.opsPerSec?.median, medianAt.get(groupOf({ ...s, vcpus: 1 }))),
      vsQemu: ratio(s.opsPerSec?.median, medianAt.get(groupOf({ ...s, strategy: 'qemu-arm' }))),
    }))
    .sort(
      (a, b) =>
        workloadRank(a.workload) - workloadRank(b.workload) ||
        a.workload.localeCompare(b.workload) ||
        strategyOrder.get(a.strategy)! - strategyOrder.get(b.strategy)! ||
        a.vcpus - b.vcpus,
    );
}
