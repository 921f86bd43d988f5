// The first tier of the exact path: the cases the inline fast path gave up
// on only because of the status (a directed rounding mode, FZ, or IXC still
// clear), computed on JS doubles. Round-to-nearest gives r; an error-free
// transformation gives the sign of (exact - r), which decides inexactness and
// the directed result (eft-double.ts). Operands and results must be finite
// and comfortably inside the normal range, so that the transformations are
// exact and no overflow, underflow or tininess question arises; NaNs,
// infinities, zeros and the range's edges are declined (false) and go to the
// softfloat (fpu-helper.ts). test/unit/vfp/vfp-paths.test.ts checks this
// tier against the softfloat. No allocation on this path: it runs per
// instruction under a directed rounding mode or FZ.

import { directedStep, remainderSign, stepMagnitude32, stepMagnitude64, twoProductError, twoSumError } from './eft-double.js';
import { ConvFlag, Fpscr, VfpKind } from './fp-op.js';
import type { FpuViews } from './fpu-helper.js';

/** |x| bounds for operands and results of this tier: 2^-900 .. 2^900. */
const TINY = 2 ** -900;
const HUGE = 2 ** 900;
const MIN_NORMAL_64 = 2 ** -1022;
const MIN_NORMAL_32 = 2 ** -126;
/** binary32 results stay in 2^-120 .. 2^120 (far from subnormals and overflow). */
const TINY32 = 2 ** -120;
const HUGE32 = 2 ** 120;

const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0);
const inRange = (x: number, lo: number, hi: number): boolean => {
  const a = Math.abs(x);
  return a >= lo && a <= hi;
};

/** Flags raised by the operation in progress (this tier's results never need more than one word). */
let raised = 0;

/** The operand in env word w as a double; under FZ a subnormal becomes a signed zero and raises IDC. */
function operand(views: FpuViews, dbl: boolean, w: number, fz: boolean): number {
  const x = dbl ? views.f64[w >> 1]! : views.f32[w]!;
  if (fz && x !== 0 && Math.abs(x) < (dbl ? MIN_NORMAL_64 : MIN_NORMAL_32)) {
    raised |= Fpscr.IDC;
    return x < 0 ? -0 : 0;
  }
  return x;
}

/** Rounds d (the exact value lies on the side `sigma` of it) to the format and mode; NaN to decline. */
function roundResult(d: number, sigma: number, dp: boolean, mode: number): number {
  if (dp) {
    if (!inRange(d, TINY, HUGE)) return NaN;
    if (sigma) raised |= Fpscr.IXC;
    const dir = directedStep(d, sigma, mode);
    return dir === 0 ? d : stepMagnitude64(d, dir);
  }
  const r = Math.fround(d);
  if (!inRange(r, TINY32, HUGE32)) return NaN;
  // d - r is exact; when d is on the binary32 grid the double's own error decides.
  const s = d !== r ? sign(d - r) : sigma;
  if (s) raised |= Fpscr.IXC;
  const dir = directedStep(r, s, mode);
  return dir === 0 ? r : stepMagnitude32(r, dir);
}

function add(a: number, b: number, dp: boolean, mode: number): number {
  const d = a + b;
  if (d === 0 || !Number.isFinite(d)) return NaN;
  return roundResult(d, sign(twoSumError(a, b, d)), dp, mode);
}

function mul(a: number, b: number, dp: boolean, mode: number): number {
  if (!inRange(a, TINY, HUGE) || !inRange(b, TINY, HUGE)) return NaN;
  const d = a * b;
  return roundResult(d, sign(twoProductError(a, b, d)), dp, mode);
}

function div(a: number, b: number, dp: boolean, mode: number): number {
  if (!inRange(a, TINY, HUGE) || !inRange(b, TINY, HUGE)) return NaN;
  const d = a / b;
  if (!inRange(d, TINY, HUGE)) return NaN;
  return roundResult(d, remainderSign(a, d, b) * sign(b), dp, mode);
}

function sqrt(a: number, dp: boolean, mode: number): number {
  if (!(a >= TINY && a <= HUGE)) return NaN;
  const d = Math.sqrt(a);
  return roundResult(d, remainderSign(a, d, d), dp, mode);
}

/** Float to a 32-bit integer by mode (0 nearest-even, 1 +inf, 2 -inf, 3 zero) with ARM saturation; NaN declines. */
function toInt32(v: number, signed: boolean, mode: number): number {
  if (Number.isNaN(v)) return NaN;
  let r: number;
  switch (mode) {
    case 0:
      r = Math.round(v);
      if (r - v === 0.5 && r % 2 !== 0) r -= 1; // ties to even (Math.round ties towards +inf)
      break;
    case 1: r = Math.ceil(v); break;
    case 2: r = Math.floor(v); break;
    default: r = Math.trunc(v); break;
  }
  // Rounded to zero: inexact, never invalid (a negative value rounding to 0 is fine unsigned).
  if (r === 0) {
    if (v !== 0) raised |= Fpscr.IXC;
    return 0;
  }
  const min = signed ? -2147483648 : 0;
  const max = signed ? 2147483647 : 4294967295;
  if (r < min || r > max) {
    raised |= Fpscr.IOC;
    return r < min ? min : max;
  }
  if (r !== v) raised |= Fpscr.IXC;
  return r;
}

/**
 * Tries one `vfp` op on doubles; true when it wrote the result and the flags,
 * false (state untouched) when the softfloat must do it.
 */
export function helperVfpDouble(
  env: Int32Array, views: FpuViews, kind: number, dp: number, d: number, n: number, m: number, status: number,
): boolean {
  const fpscr = env[status]!;
  const mode = (fpscr >>> Fpscr.RMODE_SHIFT) & 3;
  const fz = (fpscr & Fpscr.FZ) !== 0;
  const dbl = dp !== 0;
  raised = 0;
  let x: number;
  switch (kind as VfpKind) {
    case VfpKind.ADD: x = add(operand(views, dbl, n, fz), operand(views, dbl, m, fz), dbl, mode); break;
    case VfpKind.SUB: x = add(operand(views, dbl, n, fz), -operand(views, dbl, m, fz), dbl, mode); break;
    case VfpKind.MUL: x = mul(operand(views, dbl, n, fz), operand(views, dbl, m, fz), dbl, mode); break;
    case VfpKind.NMUL: x = -mul(operand(views, dbl, n, fz), operand(views, dbl, m, fz), dbl, mode); break;
    case VfpKind.DIV: x = div(operand(views, dbl, n, fz), operand(views, dbl, m, fz), dbl, mode); break;
    case VfpKind.MLA:
    case VfpKind.MLS:
    case VfpKind.NMLA:
    case VfpKind.NMLS: {
      const p = mul(operand(views, dbl, n, fz), operand(views, dbl, m, fz), dbl, mode);
      const acc = operand(views, dbl, d, fz);
      const product = kind === VfpKind.MLS || kind === VfpKind.NMLA ? -p : p;
      x = add(kind === VfpKind.NMLA || kind === VfpKind.NMLS ? -acc : acc, product, dbl, mode);
      break;
    }
    case VfpKind.SQRT: x = sqrt(operand(views, dbl, m, fz), dbl, mode); break;
    case VfpKind.CVT_FI: {
      const r = toInt32(operand(views, dbl, m, fz), (n & ConvFlag.SIGNED) !== 0, n & ConvFlag.ROUND_ZERO ? 3 : mode);
      if (Number.isNaN(r)) return false;
      env[d] = r | 0;
      env[status] = fpscr | raised;
      return true;
    }
    default:
      return false;
  }
  // NaN means declined (this tier never produces a NaN result).
  if (Number.isNaN(x)) return false;
  if (dbl) views.f64[d >> 1] = x;
  else views.f32[d] = x;
  env[status] = fpscr | raised;
  return true;
}
