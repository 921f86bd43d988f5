// Median, quartiles and range of a set of measurements, and one line of text
// for them (the signal benchmarks report every figure with its spread).

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
  /** "median (quartiles q1..q3, range min..max, n=N)" with each value formatted by fmt. */
  text(fmt: (x: number) => string): string;
}

/** Linear-interpolation quantile of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summary(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summary of no values');
  const s = [...values].sort((a, b) => a - b);
  const r = {
    n: s.length, median: quantile(s, 0.5), q1: quantile(s, 0.25), q3: quantile(s, 0.75), min: s[0]!, max: s[s.length - 1]!,
  };
  return {
    ...r,
    text: (fmt) => `${fmt(r.median)} (quartiles ${fmt(r.q1)}..${fmt(r.q3)}, range ${fmt(r.min)}..${fmt(r.max)}, n=${r.n})`,
  };
}
