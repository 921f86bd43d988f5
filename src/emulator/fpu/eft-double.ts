// Error-free transformations on JS doubles (no FMA needed), and stepping to
// the neighbouring binary64 / binary32 value. They let the exact path decide
// directed rounding and inexactness without big integers: for a result r of
// round-to-nearest and the exact value x, only the sign of x - r matters.

const SPLIT = 134217729; // 2^27 + 1 (Veltkamp)

/** Error of s = a + b: a + b - s exactly (Knuth's TwoSum; exact for all finite a, b without overflow). */
export function twoSumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/**
 * Error of p = a * b: a * b - p exactly (Dekker's TwoProduct). Exact when
 * |a|, |b| < 2^995 and |p| >= 2^-969 (no overflow in the split, no underflow
 * in the partial products); callers check those ranges.
 */
export function twoProductError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** Sign of the exact a - q * b (a division's remainder), under the same ranges as twoProductError. */
export function remainderSign(a: number, q: number, b: number): number {
  const p = q * b;
  const r = (a - p) - twoProductError(q, b, p);
  return r > 0 ? 1 : r < 0 ? -1 : 0;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** The binary64 value next to x (finite, non-zero) with one unit more (+1) or less (-1) magnitude. */
export function stepMagnitude64(x: number, dir: 1 | -1): number {
  f64[0] = x;
  if (dir > 0) {
    u32[0] = (u32[0]! + 1) >>> 0;
    if (u32[0] === 0) u32[1] = u32[1]! + 1;
  } else {
    if (u32[0] === 0) u32[1] = u32[1]! - 1;
    u32[0] = (u32[0]! - 1) >>> 0;
  }
  return f64[0]!;
}

/** The binary32 value next to x (a non-zero float) with one unit more or less magnitude. */
export function stepMagnitude32(x: number, dir: 1 | -1): number {
  f32[0] = x;
  i32[0] = i32[0]! + dir;
  return f32[0]!;
}

/**
 * How a directed rounding mode moves r, the round-to-nearest result, given
 * the sign of (exact - r): 0 (keep r), +1 (one unit more magnitude) or -1
 * (one unit less). Mode as FPSCR.RMode: 0 nearest, 1 +inf, 2 -inf, 3 zero.
 */
export function directedStep(r: number, sigma: number, mode: number): 0 | 1 | -1 {
  if (sigma === 0 || mode === 0) return 0;
  let up: boolean; // towards +inf
  if (mode === 1) {
    if (sigma < 0) return 0;
    up = true;
  } else if (mode === 2) {
    if (sigma > 0) return 0;
    up = false;
  } else {
    // Toward zero: only when the exact value lies between r and zero.
    if ((sigma > 0) === (r > 0)) return 0;
    up = r < 0;
  }
  return up === (r > 0) ? 1 : -1;
}
