// A spinlock's cost at a matched hand-over pattern. How often the lock
// changes hands is emergent and differs from run to run at the same code
// (speed.md, session 14: cmpxchg's window rate falls as its failed try-locks
// per acquisition rise, Spearman -0.73), so two strategies' medians compare
// their patterns as much as their costs. Each run gives one point: x the
// failed try-locks per acquisition, y the ns per acquisition. Per strategy a
// line y = a + b x (b: the time one more failed try-lock per acquisition
// costs, a line moving between the cores) is fitted by Theil-Sen (slope: the
// median of the pairwise slopes; intercept: the median of y - b x), which a
// single disturbed run among 5-9 does not drag as it drags least squares.
// Both lines are read at one failure rate inside the range where both
// strategies have runs (the median of the failure rates of both strategies'
// runs inside it, which must hold 2 runs of each), so neither line is
// extrapolated. Bins were the other way:
// with 5-9 runs per strategy a bin holds one or two runs.

import { percentileInterval, seededRandom, seedOf, type Interval } from '../runner/bootstrap.js';
import { median } from './figures.js';

export interface HandOverRun {
  /** Failed try-locks per acquisition. */
  readonly fails: number;
  /** ns per acquisition. */
  readonly ns: number;
}

export interface Line {
  readonly intercept: number;
  readonly slope: number;
}

/** The Theil-Sen line through the runs; null with fewer than two distinct failure rates. */
export function theilSen(runs: readonly HandOverRun[]): Line | null {
  const slopes: number[] = [];
  for (let i = 0; i < runs.length; i++) {
    for (let j = i + 1; j < runs.length; j++) {
      const dx = runs[j]!.fails - runs[i]!.fails;
      if (dx !== 0) slopes.push((runs[j]!.ns - runs[i]!.ns) / dx);
    }
  }
  if (slopes.length === 0) return null;
  const slope = median(slopes);
  return { slope, intercept: median(runs.map((r) => r.ns - slope * r.fails)) };
}

export const lineAt = (l: Line, fails: number): number => l.intercept + l.slope * fails;

export interface MatchedHandOver {
  /** The failure rate both lines are read at. */
  readonly at: number;
  /** The failure range where both strategies have runs. */
  readonly common: readonly [number, number];
  /** Runs of each inside the common range. */
  readonly inside: readonly [number, number];
  readonly line: Line;
  readonly baseLine: Line;
  /** ns per acquisition of the strategy and of the base at `at`. */
  readonly ns: number;
  readonly baseNs: number;
  /** Throughput ratio strategy / base at `at`: baseNs / ns. */
  readonly ratio: number;
}

/**
 * Runs of each strategy the common failure range must hold: where one
 * strategy has a single run there (threads that took turns fail almost never,
 * so all their runs sit at 0), its line there rests on runs elsewhere.
 */
export const MIN_INSIDE = 2;

/**
 * The strategy's and the base's lines read at a failure rate both have runs
 * around; null when a line cannot be fitted, the failure ranges do not meet
 * or either has fewer than MIN_INSIDE runs inside the common range.
 */
export function matchedHandOver(runs: readonly HandOverRun[], baseRuns: readonly HandOverRun[]): MatchedHandOver | null {
  const ok = (r: HandOverRun): boolean => Number.isFinite(r.fails) && Number.isFinite(r.ns);
  const a = runs.filter(ok);
  const b = baseRuns.filter(ok);
  const line = theilSen(a);
  const baseLine = theilSen(b);
  if (!line || !baseLine) return null;
  const range = (rs: readonly HandOverRun[]): [number, number] => [Math.min(...rs.map((r) => r.fails)), Math.max(...rs.map((r) => r.fails))];
  const [aLo, aHi] = range(a);
  const [bLo, bHi] = range(b);
  const lo = Math.max(aLo, bLo);
  const hi = Math.min(aHi, bHi);
  if (lo > hi) return null;
  const within = (r: HandOverRun): boolean => r.fails >= lo && r.fails <= hi;
  const inside: [number, number] = [a.filter(within).length, b.filter(within).length];
  if (inside[0] < MIN_INSIDE || inside[1] < MIN_INSIDE) return null;
  const at = median([...a, ...b].filter(within).map((r) => r.fails));
  const ns = lineAt(line, at);
  const baseNs = lineAt(baseLine, at);
  return {
    at, common: [lo, hi], inside,
    line, baseLine, ns, baseNs, ratio: baseNs / ns,
  };
}

/** Resamples of the matched ratio's interval: each refits two Theil-Sen lines (O(runs^2)), so fewer than the report's 10,000. */
export const MATCHED_RESAMPLES = 2000;

/**
 * A seeded bootstrap 95% interval of the matched ratio (seeded by `label`):
 * both peers' runs resampled with replacement, both lines refitted and read
 * again at the resample's own common failure rate. There is no exact
 * interval for a figure read off two fitted lines, so this one is
 * approximate (with 9 runs a side, it leans narrow). Null when under 90% of
 * the resamples give a matched figure (too few runs inside the common range).
 */
export function matchedInterval(runs: readonly HandOverRun[], baseRuns: readonly HandOverRun[], label: string, resamples = MATCHED_RESAMPLES): Interval | null {
  const random = seededRandom(seedOf(label));
  const draw = (rs: readonly HandOverRun[]): HandOverRun[] => rs.map(() => rs[Math.floor(random() * rs.length)]!);
  const ratios: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const m = matchedHandOver(draw(runs), draw(baseRuns));
    if (m && Number.isFinite(m.ratio)) ratios.push(m.ratio);
  }
  return ratios.length >= 0.9 * resamples ? percentileInterval(ratios) : null;
}

/** "0.032:57 0.067:67 ..." : each run's failed try-locks per acquisition and ns per acquisition, by failures. */
export function handOverRunsText(runs: readonly HandOverRun[]): string {
  return [...runs].sort((x, y) => x.fails - y.fails).map((r) => `${r.fails.toFixed(3)}:${r.ns.toFixed(0)}`).join(' ');
}

/** "ns/acq = 60.1 + 95.3 x fails". */
export function lineText(l: Line | null): string {
  return l ? `${l.intercept.toFixed(1)} ${l.slope < 0 ? '-' : '+'} ${Math.abs(l.slope).toFixed(1)} x fails ns per acquisition` : 'no line (fewer than two distinct failure rates)';
}
