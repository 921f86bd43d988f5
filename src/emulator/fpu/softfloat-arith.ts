// Exact IEEE arithmetic with ARM's special-value rules, on bit patterns
// (softfloat-format.ts explains the representation). The order of the
// special cases follows qemu's parts_addsub / parts_mul / parts_div /
// parts_sqrt / parts_compare, because that order decides which flags and
// which NaN a guest sees.

import { Fpscr } from './fp-op.js';
import {
  bitLength, FpClass, type FloatFormat, type FpStatus, invalid, isNaNClass, packInf, packZero,
  processNaN, processNaNs, RoundMode, roundPack, unpack, type Unpacked,
} from './softfloat-format.js';

/** a + b, or a - b when `subtract` (a NaN b keeps its own sign). */
export function fpAdd(abits: bigint, bbits: bigint, subtract: boolean, fmt: FloatFormat, st: FpStatus): bigint {
  const a = unpack(abits, fmt, st);
  const b = unpack(bbits, fmt, st);
  if (isNaNClass(a.cls) || isNaNClass(b.cls)) return processNaNs(a, b, fmt, st);
  const bSign = b.sign ^ (subtract ? 1 : 0);
  if (a.cls === FpClass.INF || b.cls === FpClass.INF) {
    if (a.cls === FpClass.INF && b.cls === FpClass.INF && a.sign !== bSign) return invalid(fmt, st);
    return packInf(a.cls === FpClass.INF ? a.sign : bSign, fmt);
  }
  if (a.cls === FpClass.ZERO && b.cls === FpClass.ZERO) {
    const sign = a.sign === bSign ? a.sign : st.mode === RoundMode.MINUS_INF ? 1 : 0;
    return packZero(sign, fmt);
  }
  if (b.cls === FpClass.ZERO) return roundPack(a.sign, a.sig, a.exp, fmt, st);
  if (a.cls === FpClass.ZERO) return roundPack(bSign, b.sig, b.exp, fmt, st);
  // Both finite: the exact sum on a common exponent.
  const exp = Math.min(a.exp, b.exp);
  const av = a.sig << BigInt(a.exp - exp);
  const bv = b.sig << BigInt(b.exp - exp);
  const sum = (a.sign ? -av : av) + (bSign ? -bv : bv);
  if (sum === 0n) return packZero(st.mode === RoundMode.MINUS_INF ? 1 : 0, fmt);
  return sum < 0n ? roundPack(1, -sum, exp, fmt, st) : roundPack(0, sum, exp, fmt, st);
}

export function fpMul(abits: bigint, bbits: bigint, fmt: FloatFormat, st: FpStatus): bigint {
  const a = unpack(abits, fmt, st);
  const b = unpack(bbits, fmt, st);
  const sign = a.sign ^ b.sign;
  if ((a.cls === FpClass.INF && b.cls === FpClass.ZERO) || (a.cls === FpClass.ZERO && b.cls === FpClass.INF)) {
    return invalid(fmt, st);
  }
  if (isNaNClass(a.cls) || isNaNClass(b.cls)) return processNaNs(a, b, fmt, st);
  if (a.cls === FpClass.INF || b.cls === FpClass.INF) return packInf(sign, fmt);
  if (a.cls === FpClass.ZERO || b.cls === FpClass.ZERO) return packZero(sign, fmt);
  return roundPack(sign, a.sig * b.sig, a.exp + b.exp, fmt, st);
}

/**
 * A quotient or root carried as an integer with a sticky bit: `value`
 * has at least precision + 2 significant bits before the appended sticky,
 * so it rounds exactly as the true value does in every mode.
 */
function withSticky(q: bigint, remainderNonZero: boolean): bigint {
  return (q << 1n) | (remainderNonZero ? 1n : 0n);
}

export function fpDiv(abits: bigint, bbits: bigint, fmt: FloatFormat, st: FpStatus): bigint {
  const a = unpack(abits, fmt, st);
  const b = unpack(bbits, fmt, st);
  const sign = a.sign ^ b.sign;
  if (isNaNClass(a.cls) || isNaNClass(b.cls)) return processNaNs(a, b, fmt, st);
  if (a.cls === b.cls && a.cls !== FpClass.FINITE) return invalid(fmt, st); // 0/0, Inf/Inf
  if (a.cls === FpClass.INF) return packInf(sign, fmt);
  if (a.cls === FpClass.ZERO) return packZero(sign, fmt);
  if (b.cls === FpClass.INF) return packZero(sign, fmt);
  if (b.cls === FpClass.ZERO) {
    st.flags |= Fpscr.DZC;
    return packInf(sign, fmt);
  }
  const k = Math.max(0, fmt.precision + 2 + bitLength(b.sig) - bitLength(a.sig));
  const num = a.sig << BigInt(k);
  const q = num / b.sig;
  const r = num - q * b.sig;
  return roundPack(sign, withSticky(q, r !== 0n), a.exp - b.exp - k - 1, fmt, st);
}

/** Integer square root: floor(sqrt(n)) for n >= 0 (Newton from above). */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function fpSqrt(abits: bigint, fmt: FloatFormat, st: FpStatus): bigint {
  const a = unpack(abits, fmt, st);
  if (isNaNClass(a.cls)) return processNaN(a, fmt, st);
  if (a.cls === FpClass.ZERO) return packZero(a.sign, fmt);
  if (a.sign) return invalid(fmt, st);
  if (a.cls === FpClass.INF) return packInf(0, fmt);
  // sqrt(sig * 2^exp) with an even exponent and enough bits for precision + 2.
  let shift = Math.max(0, 2 * (fmt.precision + 2) - bitLength(a.sig));
  if ((a.exp - shift) & 1) shift += 1;
  const n = a.sig << BigInt(shift);
  const root = isqrt(n);
  return roundPack(0, withSticky(root, root * root !== n), (a.exp - shift) / 2 - 1, fmt, st);
}

/** ARM compare result, as FPSCR.NZCV. */
export const enum FpRelation {
  LESS = 0x8,
  EQUAL = 0x6,
  GREATER = 0x2,
  UNORDERED = 0x3,
}

function compareFinite(a: Unpacked, b: Unpacked): FpRelation {
  // Zeros compare equal whatever their signs.
  const av = a.cls === FpClass.ZERO ? 0 : a.cls === FpClass.INF ? Infinity : 1;
  const bv = b.cls === FpClass.ZERO ? 0 : b.cls === FpClass.INF ? Infinity : 1;
  if (av === 0 && bv === 0) return FpRelation.EQUAL;
  if (a.sign !== b.sign || av === 0 || bv === 0) {
    const sa = av === 0 ? 0 : a.sign ? -1 : 1;
    const sb = bv === 0 ? 0 : b.sign ? -1 : 1;
    return sa < sb ? FpRelation.LESS : sa > sb ? FpRelation.GREATER : FpRelation.EQUAL;
  }
  // Same sign, both non-zero.
  let mag: number;
  if (av === Infinity || bv === Infinity) {
    mag = av === bv ? 0 : av === Infinity ? 1 : -1;
  } else {
    const exp = Math.min(a.exp, b.exp);
    const x = a.sig << BigInt(a.exp - exp);
    const y = b.sig << BigInt(b.exp - exp);
    mag = x === y ? 0 : x > y ? 1 : -1;
  }
  if (a.sign) mag = -mag;
  return mag < 0 ? FpRelation.LESS : mag > 0 ? FpRelation.GREATER : FpRelation.EQUAL;
}

/** VCMP (quiet: IOC only for a signalling NaN) or VCMPE (signalling: IOC for any NaN). */
export function fpCompare(abits: bigint, bbits: bigint, signaling: boolean, fmt: FloatFormat, st: FpStatus): FpRelation {
  const a = unpack(abits, fmt, st);
  const b = unpack(bbits, fmt, st);
  if (isNaNClass(a.cls) || isNaNClass(b.cls)) {
    if (signaling || a.cls === FpClass.SNAN || b.cls === FpClass.SNAN) st.flags |= Fpscr.IOC;
    return FpRelation.UNORDERED;
  }
  return compareFinite(a, b);
}
