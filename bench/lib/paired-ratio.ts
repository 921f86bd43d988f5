// Ratios taken round by round. A benchmark that compares two configurations
// (mttcg at 2 vCPUs against mttcg at 1, a strategy against cmpxchg) on this
// host must not run all of one and then all of the other: the host's speed
// drifts over minutes (other tenants slow one core at a time, other jobs
// come and go; reports/measurements/speed.md), and the drift then lands on
// one side of the ratio. Run them in rounds instead, each round every
// configuration once, in an order rotated from round to round, and judge the
// median of the per-round ratios, with the order-statistic interval of that
// median (median-interval.ts: exact coverage, no seed).

import { median } from './figures.js';
import { CONFIDENCE, medianInterval, MIN_VALUES, type MedianInterval } from './median-interval.js';

const PERCENT = Math.round(100 * CONFIDENCE);

/** The order of `items` in round `round` (from 0): rotated by one each round, so each goes first equally often. */
export function rotatedOrder<T>(items: readonly T[], round: number): T[] {
  const k = items.length ? round % items.length : 0;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Per-round ratios of `top` over `bottom`, pairing entries of the same index; a round missing either side (NaN) is skipped. */
export function perRoundRatios(top: readonly number[], bottom: readonly number[]): number[] {
  if (top.length !== bottom.length) throw new Error(`paired rounds: ${top.length} and ${bottom.length} values`);
  const out: number[] = [];
  for (let i = 0; i < top.length; i++) {
    const r = top[i]! / bottom[i]!;
    if (Number.isFinite(r)) out.push(r);
  }
  return out;
}

export interface PairedRatio {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
  /** The median's order-statistic interval (at least CONFIDENCE); null with fewer than MIN_VALUES rounds. */
  readonly interval: MedianInterval | null;
}

/** The median of per-round ratios, their range, and the median's interval. */
export function pairedRatio(ratios: readonly number[]): PairedRatio {
  const n = ratios.length;
  return { median: n ? median(ratios) : NaN, min: Math.min(...ratios), max: Math.max(...ratios), n, interval: medianInterval(ratios) };
}

/** "1.71x (rounds 1.52..1.90, 96% interval of the median 1.60..1.80, n=9)". */
export function pairedText(r: PairedRatio, digits = 2): string {
  if (!r.n) return '- (no round with both runs)';
  const iv = r.interval
    ? `, ${(100 * r.interval.coverage).toFixed(0)}% interval of the median ${r.interval.lo.toFixed(digits)}..${r.interval.hi.toFixed(digits)}`
    : `, no ${PERCENT}% interval (fewer than ${MIN_VALUES} rounds)`;
  return `${r.median.toFixed(digits)}x (rounds ${r.min.toFixed(digits)}..${r.max.toFixed(digits)}${iv}, n=${r.n})`;
}

/** The verdict as a target line prints it: "met", "missed", or why it is undecided (no interval, or one spanning the target). */
export function verdictText(r: PairedRatio, verdict: 'met' | 'missed' | 'undecided'): string {
  if (verdict !== 'undecided') return verdict;
  return r.interval ? 'undecided: the interval spans the target, neither met nor missed' : `undecided: fewer than ${MIN_VALUES} rounds give no ${PERCENT}% interval`;
}
