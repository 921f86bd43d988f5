// Bootstrap confidence intervals for medians of a few repeats, and for any
// figure computed from such medians (a ratio, a speedup, a verdict's
// statistic): resample each point's runs with replacement, recompute, and
// read the interval off the percentiles of what came out.
//
// Reproducible from the data alone: each point's resamples come from a PRNG
// seeded with a hash of the point's identity (host, workload, series, vCPUs,
// metric), over its values in ascending order, so the same results file
// gives the same intervals in any order and on any machine. A figure built
// from several points combines their resample vectors index by index, so a
// point contributes the same resamples to every figure it is part of.
//
// With 3 to 5 runs a 95% percentile interval of the median is (nearly) the
// range of the runs: the bootstrap cannot make a few runs more precise than
// they are, which is the honest answer. One run has no interval at all
// (callers require MIN_RUNS_FOR_INTERVAL).

/** Resamples per point: enough that the 2.5% and 97.5% percentiles are stable to well under a percent of the interval. */
export const BOOTSTRAP_RESAMPLES = 10_000;
/** The interval's coverage. */
export const CONFIDENCE = 0.95;
/** A median needs at least this many runs before its interval means anything. */
export const MIN_RUNS_FOR_INTERVAL = 2;

export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

/** FNV-1a (32 bit) of a string: the seed of a point's resamples. */
export function seedOf(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function medianOf(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const s = Array.from(xs).sort((a, b) => a - b);
  const m = n >> 1;
  return n % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** `resamples` medians of resamples (with replacement) of `values`, seeded by `label`. */
export function resampledMedians(values: readonly number[], label: string, resamples: number = BOOTSTRAP_RESAMPLES): Float64Array {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  const out = new Float64Array(resamples);
  if (n === 0) return out.fill(NaN);
  const rand = seededRandom(seedOf(label));
  // draw indices and take the median of the drawn indices: the values are sorted, so the
  // median of the indices picks the median value (no sort of values per resample)
  const idx = new Int32Array(n);
  const m = n >> 1;
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) {
      // insertion into a sorted run: n is a handful of repeats
      const v = Math.floor(rand() * n);
      let j = i - 1;
      while (j >= 0 && idx[j]! > v) {
        idx[j + 1] = idx[j]!;
        j--;
      }
      idx[j + 1] = v;
    }
    out[b] = n % 2 ? sorted[idx[m]!]! : (sorted[idx[m - 1]!]! + sorted[idx[m]!]!) / 2;
  }
  return out;
}

/** The central `level` percentile interval of a sample (NaNs ignored); null when none is finite. */
export function percentileInterval(samples: ArrayLike<number>, level: number = CONFIDENCE): Interval | null {
  const s = Float64Array.from(samples).filter((x) => Number.isFinite(x)).sort();
  if (!s.length) return null;
  const q = (p: number): number => {
    const pos = p * (s.length - 1);
    const i = Math.floor(pos);
    const f = pos - i;
    return i + 1 < s.length ? s[i]! * (1 - f) + s[i + 1]! * f : s[i]!;
  };
  const tail = (1 - level) / 2;
  return { lo: q(tail), hi: q(1 - tail) };
}

/** Element-wise combination of resample vectors of equal length. */
export function combine(vectors: readonly Float64Array[], f: (xs: readonly number[]) => number): Float64Array {
  const n = vectors[0]?.length ?? 0;
  const out = new Float64Array(n);
  const xs = new Array<number>(vectors.length);
  for (let b = 0; b < n; b++) {
    for (let j = 0; j < vectors.length; j++) xs[j] = vectors[j]![b]!;
    out[b] = f(xs);
  }
  return out;
}

/** Share of the finite samples for which `pred` holds (0 when none is finite). */
export function shareWhere(samples: ArrayLike<number>, pred: (x: number) => boolean): number {
  let n = 0;
  let k = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!;
    if (!Number.isFinite(x)) continue;
    n++;
    if (pred(x)) k++;
  }
  return n ? k / n : 0;
}
