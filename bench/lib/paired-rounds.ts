// Paired rounds: a target that compares two peers on a drifting host (a
// strategy's throughput against cmpxchg's) runs round by round, every peer
// once per round in an order rotated from round to round, and is judged by
// the per-round ratio: a slow stretch of the host then hits both sides of a
// ratio alike instead of one peer's repeats and not the other's.
//
// The figure is the median of the per-round ratios, with a distribution-free
// confidence interval of that median from order statistics: with n rounds
// the interval [x(k), x(n+1-k)] (x sorted ascending, 1-based) covers the
// true median with probability 1 - 2 P(Binomial(n, 1/2) <= k - 1) for any
// continuous distribution of the ratio, so its coverage is exact and needs
// no seed. A bootstrap percentile interval of the median of 5-9 values picks
// order statistics too, but with a coverage below its nominal level. No
// symmetric order-statistic interval of fewer than 6 values reaches 95%
// (n = 5: min..max covers 93.8%), so fewer rounds leave the verdict
// undecided.

import { median } from './figures.js';

/** The items in round `round`'s order (0-based): rotated by the round, so each item takes each position in turn. */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const shift = ((round % n) + n) % n;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * Per round, `name`'s value over `base`'s value in the same round; a round
 * where either is missing (a failed run) gives no ratio.
 */
export function pairedRatios(rounds: ReadonlyArray<ReadonlyMap<string, number>>, name: string, base: string): number[] {
  const out: number[] = [];
  for (const r of rounds) {
    const x = r.get(name);
    const b = r.get(base);
    if (x !== undefined && b !== undefined && b > 0 && Number.isFinite(x)) out.push(x / b);
  }
  return out;
}

/** P(Binomial(n, 1/2) <= k). */
export function binomialHalfCdf(n: number, k: number): number {
  let term = 0.5 ** n; // C(n, 0) / 2^n
  let sum = 0;
  for (let i = 0; i <= Math.min(k, n); i++) {
    sum += term;
    term = (term * (n - i)) / (i + 1);
  }
  return sum;
}

export interface MedianInterval {
  readonly median: number;
  readonly lo: number;
  readonly hi: number;
  /** The interval's exact coverage, 1 - 2 P(Binomial(n, 1/2) <= k - 1). */
  readonly coverage: number;
  /** The 1-based ranks of its ends among the sorted values: k and n + 1 - k. */
  readonly ranks: readonly [number, number];
  readonly n: number;
}

/** The confidence the verdicts ask of an interval. */
export const CONFIDENCE = 0.95;

/**
 * The narrowest symmetric order-statistic interval of the median with
 * coverage at least `confidence`; null when even min..max covers less (too
 * few values: under 6 at 95%).
 */
export function medianInterval(xs: readonly number[], confidence = CONFIDENCE): MedianInterval | null {
  const n = xs.length;
  const s = [...xs].sort((a, b) => a - b);
  let best: MedianInterval | null = null;
  for (let k = 1; 2 * k <= n + 1; k++) {
    const coverage = 1 - 2 * binomialHalfCdf(n, k - 1);
    if (coverage < confidence) break;
    best = { median: median(s), lo: s[k - 1]!, hi: s[n - k]!, coverage, ranks: [k, n + 1 - k], n };
  }
  return best;
}

export type Verdict = 'met' | 'missed' | 'undecided';

/**
 * A "ratio >= threshold" target over an interval of the ratio's median: met
 * when the whole interval is at or above the threshold, missed when it is
 * wholly below, otherwise (or with no interval) undecided.
 */
export function verdictOf(interval: MedianInterval | null, threshold: number): Verdict {
  if (!interval) return 'undecided';
  if (interval.lo >= threshold) return 'met';
  if (interval.hi < threshold) return 'missed';
  return 'undecided';
}

/**
 * "met (paired rounds: median 0.561x, 96.1% interval 0.512..0.603 (order
 * statistics 2 and 8 of n=9))", or with too few rounds "undecided (paired
 * rounds: median 0.561x of n=3; fewer than 6 rounds give no 95% interval)".
 */
export function pairedVerdictText(ratios: readonly number[], threshold: number): string {
  const iv = medianInterval(ratios);
  const verdict = verdictOf(iv, threshold);
  if (ratios.length === 0) return `${verdict} (no round had both runs)`;
  if (!iv) {
    return `${verdict} (paired rounds: median ${median(ratios).toFixed(3)}x of n=${ratios.length}; ` +
      `fewer rounds than give a ${Math.round(100 * CONFIDENCE)}% interval of the median)`;
  }
  return `${verdict} (paired rounds: median ${iv.median.toFixed(3)}x, ${(100 * iv.coverage).toFixed(1)}% interval ` +
    `${iv.lo.toFixed(3)}..${iv.hi.toFixed(3)} (order statistics ${iv.ranks[0]} and ${iv.ranks[1]} of n=${iv.n}))`;
}
