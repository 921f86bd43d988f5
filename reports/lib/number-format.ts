// Numbers as the report prints them: throughput with SI prefixes and three
// significant digits, small per-op counts with enough decimals to compare.

const PREFIXES: readonly [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k']];

/** 1234567 -> "1.23 M"; NaN or infinite -> "-". */
export function fmtSi(x: number): string {
  if (!Number.isFinite(x)) return '-';
  for (const [scale, p] of PREFIXES) {
    if (Math.abs(x) >= scale) return `${(x / scale).toPrecision(3)} ${p}`;
  }
  return x.toPrecision(3);
}

/** A per-op count: 0 stays "0", tiny values keep two significant digits. */
export function fmtPerOp(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '-';
  if (x === 0) return '0';
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 0.01) return x.toFixed(2);
  return x.toPrecision(2);
}

export function fmtSeconds(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  const whole = Math.round(s); // round once, so 179.6 s is "3 min 0 s", never "2 min 60 s"
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
