// A distribution-free confidence interval of a median from order statistics,
// and the three-valued verdict of a "ratio >= threshold" target on it: the
// spinlock bench judges the median of its per-round ratios with it (rounds
// and pairing: paired-ratio.ts). With n values the interval [x(k), x(n+1-k)]
// (x sorted ascending, 1-based) covers the true median with probability
// 1 - 2 P(Binomial(n, 1/2) <= k - 1) for any continuous distribution, so its
// coverage is exact and needs no seed (paired-ratio.ts's figures use it too).
// A seeded bootstrap gives a percentile interval at any n >= 3, but with 3-9
// values that interval also lands on order statistics while claiming 95%:
// of 3 values it is about min..max, whose true coverage is 75%.
// No symmetric order-statistic interval of fewer than 6 values reaches 95%
// (n = 5: min..max covers 93.8%), so fewer rounds leave the verdict
// undecided.

import { median } from './figures.js';

export type Verdict = 'met' | 'missed' | 'undecided';

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

/** The fewest values that have an interval at CONFIDENCE (min..max of n covers 1 - 2 / 2^n: 6 at 95%). */
export const MIN_VALUES = ((): number => {
  let n = 1;
  while (1 - 2 * binomialHalfCdf(n, 0) < CONFIDENCE) n++;
  return n;
})();

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
