// What a claim's verdict is computed from: the benchmark view, the counters
// per op, the workload classes, the torture matrix, and which strategies this
// build has (so "no results" can say "not built" where that is the reason).

import type { HostInfo } from '../../src/host/host-info.js';
import { buildBenchView, type BenchView } from './bench-view.js';
import { classifyWorkload, counterRows, type CounterRow, type WorkloadClass } from './counter-metrics.js';
import type { TortureMatrix } from './input-types.js';
import type { ReportInputs } from './report-inputs.js';

export type Verdict = 'supported' | 'refuted' | 'not measured';

export interface Evaluation {
  readonly verdict: Verdict;
  /** The measured value(s), one line, in plain words and numbers. */
  readonly measured: string;
  /** Why the verdict follows from the measurement (the rule, applied). */
  readonly reason: string;
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

export function notMeasured(reason: string): Evaluation {
  return { verdict: 'not measured', measured: '-', reason };
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
