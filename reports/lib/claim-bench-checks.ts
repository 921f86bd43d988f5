// Verdicts decided by the benchmarks: scaling against native, the cost on
// non-atomic code, the stop-the-world collapse, and the slow paths TLB_EXCL
// causes. Each computes one statistic from evidence points only, recomputes
// it on every bootstrap resample, and lets decideByInterval (claim-context.ts)
// compare its 95% interval with the claim's threshold. Every threshold is a
// named constant here and in docs/reports.md; a verdict needs measurements,
// never a default.

import { medianResamples } from '../../bench/runner/bench-stats.js';
import { combine, resampledMedians } from '../../bench/runner/bootstrap.js';
import { measuredPoint, notEvidenceText, speedup, type BenchView, type SeriesPoint } from './bench-view.js';
import {
  decideByInterval, decisionText, fmtPercent, fmtRatio, medianOf, missingStrategy, notEvidence, notMeasured, workloadsOfClass,
  type ClaimContext, type Decision, type Evaluation,
} from './claim-context.js';
import { metricOfRun } from './counter-metrics.js';

/** "Scales as native": the strategy's speedup is at least this share of native's (median over atomic workloads). */
export const SCALING_SHARE = 0.8;
/** "5% overhead": the claimed cost on non-atomic code. */
export const OVERHEAD_CLAIM = 0.05;
/** "Near 0": throughput at the high vCPU count is at most this share of the strategy's own 1-vCPU throughput. */
export const NEAR_ZERO_SHARE = 0.1;
/** "Beyond 4 threads". */
export const COLLAPSE_VCPUS_ABOVE = 4;
/** "All accesses follow the slow path": at least this many extra slow-path loads and stores per op over cmpxchg. */
export const SLOW_PATH_EXCESS = 0.5;

function pointsOf(view: BenchView, workload: string, key: string): number[] {
  return view.series.find((s) => s.workload === workload && s.key === key)?.points.filter((p) => p.n > 0).map((p) => p.vcpus) ?? [];
}

function measuredPeer(ctx: ClaimContext, peer: 'native' | 'qemu-arm'): string | null {
  if (ctx.view.peersMeasured.has(peer)) return null;
  const err = ctx.view.peersFailed.get(peer);
  return err ? `${peer} runs failed (${err})` : `no ${peer} results in this run`;
}

export function pointName(w: string, key: string, p: SeriesPoint): string {
  return `${w} ${key} @${p.vcpus} (${p.evidenceRuns} of ${p.n} runs evidence)`;
}

/** The points a row needs, split into usable ones and the names of those that are not evidence. */
function needEvidence(w: string, pts: readonly (readonly [string, SeriesPoint | undefined])[]): { ok: SeriesPoint[] | null; excluded: string[]; names: string[] } {
  const excluded: string[] = [];
  const names: string[] = [];
  for (const [key, p] of pts) {
    if (!p) return { ok: null, excluded: [], names: [] };
    names.push(pointName(w, key, p));
    if (!p.evidence) excluded.push(`${w} ${key} @${p.vcpus}: ${notEvidenceText(p)}`);
  }
  return { ok: excluded.length ? null : pts.map(([, p]) => p!), excluded, names };
}

interface Row {
  readonly label: string;
  readonly value: number;
  readonly resamples: Float64Array;
}

/** The statistic over rows (median or max), decided against the threshold. */
function decideRows(rows: readonly Row[], agg: (xs: readonly number[]) => number, threshold: number, holdsWhen: 'at least' | 'at most', unit: 'percent' | 'per op' | 'ratio'): Decision {
  const value = agg(rows.map((r) => r.value));
  const resamples = combine(rows.map((r) => r.resamples), agg);
  return decideByInterval(value, resamples, threshold, holdsWhen, unit);
}

function evaluation(d: Decision, measured: string, reason: string, restsOn: readonly string[], excluded: readonly string[]): Evaluation {
  return { verdict: d.verdict, basis: d.basis, measured, reason, statistic: d.statistic, stability: d.stability, restsOn, excluded };
}

const rs = (p: SeriesPoint): Float64Array => medianResamples(p.stats)!;

/** Cota: AIE "scales as native code". */
export function checkScalesAsNative(ctx: ClaimContext, strategy: string): Evaluation {
  if (!ctx.view.strategies.includes(strategy)) return notMeasured(missingStrategy(ctx, strategy));
  const peerMissing = measuredPeer(ctx, 'native');
  if (peerMissing) return notMeasured(peerMissing);
  const cores = ctx.host.cores;
  const rows: Row[] = [];
  const restsOn: string[] = [];
  const excluded: string[] = [];
  for (const w of workloadsOfClass(ctx, 'atomic')) {
    const nat = new Set(pointsOf(ctx.view, w, 'native'));
    const common = pointsOf(ctx.view, w, strategy).filter((n) => nat.has(n) && n >= 2 && n <= cores);
    if (!common.length || !nat.has(1)) continue;
    const n = Math.max(...common);
    const at = (key: string, v: number): readonly [string, SeriesPoint | undefined] => [key, measuredPoint(ctx.view, w, key, v)];
    const need = needEvidence(w, [at(strategy, n), at(strategy, 1), at('native', n), at('native', 1)]);
    excluded.push(...need.excluded);
    if (!need.ok) continue;
    const [sn, s1, nn, n1] = need.ok as [SeriesPoint, SeriesPoint, SeriesPoint, SeriesPoint];
    restsOn.push(...need.names);
    rows.push({
      label: `${w} at ${n} vCPUs: ${strategy} ${fmtRatio(sn.median / s1.median)}, native ${fmtRatio(nn.median / n1.median)}`,
      value: (sn.median / s1.median) / (nn.median / n1.median),
      resamples: combine([rs(sn), rs(s1), rs(nn), rs(n1)], ([a, b, c, d]) => (a! / b!) / (c! / d!)),
    });
  }
  if (!rows.length) {
    if (excluded.length) return notEvidence(`${strategy} and native at 1 vCPU and at the most vCPUs up to the host's ${cores} cores`, excluded);
    return notMeasured(`no atomic workload has both ${strategy} and native measured at 1 vCPU and at 2..${cores} vCPUs (this host's cores)`);
  }
  const d = decideRows(rows, medianOf, SCALING_SHARE, 'at least', 'percent');
  return evaluation(
    d,
    rows.map((r) => r.label).join('; '),
    `${decisionText(d, `speedup over 1 vCPU, ${strategy} as a share of native's, median over ${rows.length} atomic workload(s)`)} Only vCPU counts up to the host's ${cores} cores are used.`,
    restsOn, excluded,
  );
}

/**
 * Cota: the store helpers cost "5%" (Linux boot) and are negligible otherwise.
 * `specs` are tried in order: the spec with the store helpers always on
 * measures the claim itself; the default spec is the fallback.
 */
export function checkNonAtomicOverhead(ctx: ClaimContext, strategy: string, specs: readonly string[]): Evaluation {
  if (!ctx.view.strategies.some((s) => specs.includes(s))) return notMeasured(missingStrategy(ctx, strategy));
  const plain = workloadsOfClass(ctx, 'non-atomic');
  if (!plain.length) return notMeasured('no non-atomic workload with counters in this run');
  const measuredOn = (key: string): boolean => plain.some((w) => pointsOf(ctx.view, w, key).length > 0);
  const spec = specs.find(measuredOn);
  if (!spec) return notMeasured(`no ${specs.join(' or ')} results on the non-atomic workloads`);
  const baseline = ['unsafe', 'cmpxchg'].find((b) => b !== strategy && measuredOn(b));
  if (!baseline) return notMeasured('no unsafe or cmpxchg results on the non-atomic workloads to compare with');
  const rows: Row[] = [];
  const restsOn: string[] = [];
  const excluded: string[] = [];
  for (const w of plain) {
    const base = new Set(pointsOf(ctx.view, w, baseline));
    const common = pointsOf(ctx.view, w, spec).filter((n) => base.has(n));
    if (!common.length) continue;
    const n = Math.min(...common);
    const need = needEvidence(w, [[spec, measuredPoint(ctx.view, w, spec, n)], [baseline, measuredPoint(ctx.view, w, baseline, n)]]);
    excluded.push(...need.excluded);
    if (!need.ok) continue;
    const [a, b] = need.ok as [SeriesPoint, SeriesPoint];
    restsOn.push(...need.names);
    const overhead = 1 - a.median / b.median;
    rows.push({
      label: `${spec} on ${w} at ${n} vCPU${n > 1 ? 's' : ''}: ${fmtPercent(overhead)} slower than ${baseline}`,
      value: overhead,
      resamples: combine([rs(a), rs(b)], ([x, y]) => 1 - x! / y!),
    });
  }
  if (!rows.length) {
    if (excluded.length) return notEvidence(`${spec} and ${baseline} on the non-atomic workloads`, excluded);
    return notMeasured(`no non-atomic workload has both ${spec} and ${baseline} measured at the same vCPU count`);
  }
  const d = decideRows(rows, medianOf, OVERHEAD_CLAIM, 'at most', 'percent');
  return evaluation(d, rows.map((r) => r.label).join('; '),
    decisionText(d, `overhead against ${baseline}, median over ${rows.length} non-atomic workload(s)`), restsOn, excluded);
}

/** The seeds' stop-the-world: "throughput near 0 beyond 4 threads". */
export function checkCollapse(ctx: ClaimContext, strategy: string): Evaluation {
  if (!ctx.view.strategies.includes(strategy)) return notMeasured(missingStrategy(ctx, strategy));
  const rows: Row[] = [];
  const restsOn: string[] = [];
  const excluded: string[] = [];
  let over = false;
  for (const w of workloadsOfClass(ctx, 'atomic')) {
    const pts = pointsOf(ctx.view, w, strategy);
    const above = pts.filter((n) => n > COLLAPSE_VCPUS_ABOVE);
    if (!above.length || !pts.includes(1)) continue;
    const n = Math.max(...above);
    const need = needEvidence(w, [[strategy, measuredPoint(ctx.view, w, strategy, n)], [strategy, measuredPoint(ctx.view, w, strategy, 1)]]);
    excluded.push(...need.excluded);
    if (!need.ok) continue;
    const [hi, one] = need.ok as [SeriesPoint, SeriesPoint];
    restsOn.push(...need.names);
    over ||= n > ctx.host.cores;
    const cmp = speedup(ctx.view, w, 'cmpxchg', n);
    rows.push({
      label: `${w} at ${n} vCPUs: ${fmtPercent(hi.median / one.median)} of its 1-vCPU throughput${cmp ? ` (cmpxchg ${fmtPercent(cmp.value)})` : ''}`,
      value: hi.median / one.median,
      resamples: combine([rs(hi), rs(one)], ([a, b]) => a! / b!),
    });
  }
  if (!rows.length) {
    if (excluded.length) return notEvidence(`${strategy} at 1 vCPU and above ${COLLAPSE_VCPUS_ABOVE}`, excluded);
    return notMeasured(`no atomic workload has ${strategy} measured at 1 vCPU and above ${COLLAPSE_VCPUS_ABOVE} vCPUs`);
  }
  const d = decideRows(rows, (xs) => Math.max(...xs), NEAR_ZERO_SHARE, 'at most', 'percent');
  return evaluation(d, rows.map((r) => r.label).join('; '),
    `${decisionText(d, `throughput above ${COLLAPSE_VCPUS_ABOVE} vCPUs as a share of the same strategy at 1 vCPU, highest over ${rows.length} atomic workload(s)`)}` +
      (over ? ` These points are oversubscribed (${ctx.host.cores} cores), which costs every strategy; the cmpxchg share beside it shows how much.` : ''),
    restsOn, excluded);
}

/** A counter metric's per-run values of a point, resampled (seeded by the point and the metric). */
function metricResamples(p: SeriesPoint, metric: string): { value: number; resamples: Float64Array } | null {
  const values = p.stats.used.map((r) => metricOfRun(r, metric));
  if (values.some((v) => v === null) || !values.length) return null;
  const v = values as number[];
  return { value: medianOf(v), resamples: resampledMedians(v, `${p.stats.hostKind}|${p.stats.workload}|${p.stats.strategy}|${p.vcpus}|${metric}`) };
}

/** Bennée/Rigo: with TLB_EXCL "all access now follows slow-path". */
export function checkSlowPathAll(ctx: ClaimContext, strategy: string): Evaluation {
  if (!ctx.view.strategies.includes(strategy)) return notMeasured(missingStrategy(ctx, strategy));
  const rows: (Row & { loads: number; stores: number })[] = [];
  const restsOn: string[] = [];
  const excluded: string[] = [];
  for (const w of workloadsOfClass(ctx, 'atomic')) {
    const counts = pointsOf(ctx.view, w, strategy).filter((n) => measuredPoint(ctx.view, w, 'cmpxchg', n));
    if (!counts.length) continue;
    const within = counts.filter((n) => n <= ctx.host.cores);
    const n = Math.max(...(within.length ? within : counts));
    const need = needEvidence(w, [[strategy, measuredPoint(ctx.view, w, strategy, n)], ['cmpxchg', measuredPoint(ctx.view, w, 'cmpxchg', n)]]);
    excluded.push(...need.excluded);
    if (!need.ok) continue;
    const [t, c] = need.ok as [SeriesPoint, SeriesPoint];
    const tl = metricResamples(t, 'slowLoads');
    const ts = metricResamples(t, 'slowStores');
    const cl = metricResamples(c, 'slowLoads');
    const cs = metricResamples(c, 'slowStores');
    if (!tl || !ts || !cl || !cs) continue;
    restsOn.push(...need.names);
    const loads = tl.value - cl.value;
    const stores = ts.value - cs.value;
    rows.push({
      label: `${w} at ${n} vCPU${n > 1 ? 's' : ''}: +${loads.toFixed(2)} slow loads/op, +${stores.toFixed(2)} slow stores/op`,
      value: Math.min(loads, stores),
      resamples: combine([tl.resamples, cl.resamples, ts.resamples, cs.resamples], ([a, b, x, y]) => Math.min(a! - b!, x! - y!)),
      loads,
      stores,
    });
  }
  if (!rows.length) {
    if (excluded.length) return notEvidence(`${strategy} and cmpxchg on the atomic workloads`, excluded);
    return notMeasured(`no atomic workload has slow-path counters for both ${strategy} and cmpxchg at one vCPU count`);
  }
  const d = decideRows(rows, (xs) => Math.max(...xs), SLOW_PATH_EXCESS, 'at least', 'per op');
  const storesOnly = rows.filter((r) => r.stores >= SLOW_PATH_EXCESS && r.loads < SLOW_PATH_EXCESS);
  const why = d.verdict === 'refuted'
    ? storesOnly.length
      ? ` Only stores take extra slow paths (${storesOnly.map((r) => r.label.split(' at ')[0]).join(', ')}); loads stay on the fast path.`
      : ' No atomic workload shows extra slow-path accesses of both kinds.'
    : '';
  return evaluation(d, rows.map((r) => r.label).join('; '),
    `${decisionText(d, `extra slow-path accesses per op under ${strategy} over cmpxchg, the smaller of loads and stores, highest over ${rows.length} atomic workload(s)`)}${why}`,
    restsOn, excluded);
}
