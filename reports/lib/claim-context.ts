// What a claim's verdict is computed from (the benchmark view, the counters
// per op, the workload classes, the torture matrix, which strategies this
// build has) and the verdict rule every benchmark claim shares.
//
// Three verdicts: supported, refuted, inconclusive. A benchmark claim is a
// statistic compared with a threshold. The statistic is computed from point
// medians, and again from each of the bootstrap resamples of those points
// (bench/runner/bootstrap.ts), which gives its 95% interval:
//   - supported when the whole interval is on the claim's side,
//   - refuted when the whole interval is on the other side,
//   - inconclusive when the interval straddles the threshold: the runs
//     disagree too much to say, whatever the median says;
//   - inconclusive, too, when the points it needs are not evidence (no
//     overlap, too little CPU, no contention, too few runs), or were not
//     measured at all.
// Stability is the share of the resamples that land on the verdict's side
// (for inconclusive: on the claim's side), so a reader sees how close it was.

import type { Interval } from '../../bench/runner/bootstrap.js';
import { BOOTSTRAP_RESAMPLES, percentileInterval, shareWhere } from '../../bench/runner/bootstrap.js';
import type { HostInfo } from '../../src/host/host-info.js';
import { buildBenchView, type BenchView } from './bench-view.js';
import { classifyWorkload, counterRows, type CounterRow, type WorkloadClass } from './counter-metrics.js';
import type { TortureMatrix } from './input-types.js';
import type { ReportInputs } from './report-inputs.js';

export type Verdict = 'supported' | 'refuted' | 'inconclusive';

/** What an inconclusive verdict is inconclusive for (or 'decided' when it is not). */
export type Basis = 'decided' | 'interval straddles' | 'not evidence' | 'not measured' | 'not exercised';

export interface Stability {
  /** Share (0..1) of the resamples or torture runs that agree with the verdict (inconclusive: that side with the claim). */
  readonly share: number;
  /** What the share is of: '10000 bootstrap resamples', '3 torture runs'. */
  readonly of: string;
}

export interface Statistic {
  readonly value: number;
  readonly interval: Interval | null;
  readonly threshold: number;
  /** The claim holds when the statistic is at least / at most the threshold. */
  readonly holdsWhen: 'at least' | 'at most';
  /** How to print it. */
  readonly unit: 'percent' | 'per op' | 'ratio';
}

export interface Evaluation {
  readonly verdict: Verdict;
  readonly basis: Basis;
  /** The measured value(s), one line, in plain words and numbers. */
  readonly measured: string;
  /** Why the verdict follows from the measurement (the rule, applied). */
  readonly reason: string;
  readonly statistic: Statistic | null;
  readonly stability: Stability | null;
  /** The points or torture cells the verdict rests on. */
  readonly restsOn: readonly string[];
  /** Points the claim would have used but that are not evidence, with why. */
  readonly excluded: readonly string[];
}

export interface ClaimContext {
  readonly view: BenchView;
  readonly counters: readonly CounterRow[];
  readonly classes: ReadonlyMap<string, WorkloadClass>;
  readonly torture: TortureMatrix | null;
  readonly host: HostInfo;
  readonly strategiesBuilt: readonly string[];
}

export function buildClaimContext(inputs: ReportInputs): ClaimContext {
  const view = buildBenchView(inputs.bench);
  const classes = new Map(view.workloads.map((w) => [w, classifyWorkload(view, w)] as const));
  return {
    view,
    counters: counterRows(view),
    classes,
    torture: inputs.torture,
    host: inputs.host,
    strategiesBuilt: inputs.strategiesBuilt,
  };
}

/** Inconclusive because the data is not in this run at all. */
export function notMeasured(reason: string): Evaluation {
  return { verdict: 'inconclusive', basis: 'not measured', measured: '-', reason: `not measured: ${reason}`, statistic: null, stability: null, restsOn: [], excluded: [] };
}

/** Inconclusive because every point the claim needs is not evidence. */
export function notEvidence(what: string, excluded: readonly string[]): Evaluation {
  return {
    verdict: 'inconclusive', basis: 'not evidence', measured: '-',
    reason: `every point this claim needs is not evidence (${what}); a verdict built only from points that are not evidence would be about the host, not the strategy.`,
    statistic: null, stability: null, restsOn: [], excluded,
  };
}

/** Why a strategy has no benchmark results: not built, or built but not run. */
export function missingStrategy(ctx: ClaimContext, strategy: string): string {
  return ctx.strategiesBuilt.includes(strategy)
    ? `no ${strategy} benchmark results in this run`
    : `strategy ${strategy} is not built in this checkout`;
}

export function workloadsOfClass(ctx: ClaimContext, cls: WorkloadClass): string[] {
  return ctx.view.workloads.filter((w) => ctx.classes.get(w) === cls);
}

export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function fmtRatio(x: number): string {
  return `${x.toFixed(2)}×`;
}

export function fmtPercent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export function fmtStatistic(unit: Statistic['unit'], x: number): string {
  if (unit === 'percent') return fmtPercent(x);
  if (unit === 'ratio') return fmtRatio(x);
  return x.toFixed(2);
}

export function fmtInterval(unit: Statistic['unit'], iv: Interval | null): string {
  return iv ? `[${fmtStatistic(unit, iv.lo)}, ${fmtStatistic(unit, iv.hi)}]` : 'no interval';
}

export interface Decision {
  readonly verdict: Verdict;
  readonly basis: Basis;
  readonly statistic: Statistic;
  readonly stability: Stability;
}

/**
 * The shared rule: the statistic's 95% bootstrap interval against the
 * threshold. `resamples` is the statistic recomputed on each resample.
 */
export function decideByInterval(
  value: number, resamples: Float64Array, threshold: number, holdsWhen: Statistic['holdsWhen'], unit: Statistic['unit'],
): Decision {
  const interval = percentileInterval(resamples);
  const holds = (x: number): boolean => (holdsWhen === 'at least' ? x >= threshold : x <= threshold);
  let verdict: Verdict = 'inconclusive';
  if (interval && holds(interval.lo) && holds(interval.hi)) verdict = 'supported';
  else if (interval && !holds(interval.lo) && !holds(interval.hi)) verdict = 'refuted';
  const withClaim = shareWhere(resamples, holds);
  return {
    verdict,
    basis: verdict === 'inconclusive' ? 'interval straddles' : 'decided',
    statistic: { value, interval, threshold, holdsWhen, unit },
    stability: { share: verdict === 'refuted' ? 1 - withClaim : withClaim, of: `${BOOTSTRAP_RESAMPLES} bootstrap resamples` },
  };
}

/** The sentence that states the rule applied to a decision. */
export function decisionText(d: Decision, what: string): string {
  const s = d.statistic;
  const iv = fmtInterval(s.unit, s.interval);
  const claim = `${s.holdsWhen} ${fmtStatistic(s.unit, s.threshold)}`;
  if (d.verdict === 'supported') return `${what}: ${fmtStatistic(s.unit, s.value)}, 95% interval ${iv}, all of it ${claim}.`;
  if (d.verdict === 'refuted') return `${what}: ${fmtStatistic(s.unit, s.value)}, 95% interval ${iv}, none of it ${claim}.`;
  return `${what}: ${fmtStatistic(s.unit, s.value)}, but the 95% interval ${iv} straddles ${fmtStatistic(s.unit, s.threshold)}: the runs disagree too much to decide (${Math.round(d.stability.share * 100)}% of resamples ${claim}).`;
}
