// Exact conversions with ARM's rules as qemu-arm applies them: between
// binary32 and binary64 (NaN payloads keep their top fraction bits), from
// floating point to 16/32-bit integers and fixed point (saturating, IOC on
// NaN and out of range with no IXC, ARM helpers return 0 for a NaN), and
// from integers and fixed point to floating point.

import { Fpscr } from './fp-op.js';
import {
  FpClass, type FloatFormat, type FpStatus, packInf, packZero, processNaN, type RoundMode, roundPack,
  shiftRound, unpack,
} from './softfloat-format.js';

/** Converts between binary32 and binary64 (either direction; same format is a no-op round). */
export function fpConvert(bits: bigint, from: FloatFormat, to: FloatFormat, st: FpStatus): bigint {
  const a = unpack(bits, from, st);
  switch (a.cls) {
    case FpClass.QNAN:
    case FpClass.SNAN: {
      const q = processNaN(a, from, st);
      if (st.dn) return to.defaultNaN;
      const sign = q & from.signBit ? to.signBit : 0n;
      const frac = q & from.fracMask;
      const shift = BigInt(to.fracBits - from.fracBits);
      const f = shift >= 0n ? frac << shift : frac >> -shift;
      return sign | to.infinity | f;
    }
    case FpClass.INF: return packInf(a.sign, to);
    case FpClass.ZERO: return packZero(a.sign, to);
    default: return roundPack(a.sign, a.sig, a.exp, to, st);
  }
}

/**
 * Floating point to a signed or unsigned integer of `width` bits (16 or 32),
 * after scaling by 2^scale (fixed point with `scale` fraction bits). Returns
 * the integer (sign-extended for signed, zero-extended for unsigned).
 */
export function fpToInt(
  bits: bigint, fmt: FloatFormat, signed: boolean, width: number, scale: number, mode: RoundMode, st: FpStatus,
): number {
  const min = signed ? -(2 ** (width - 1)) : 0;
  const max = signed ? 2 ** (width - 1) - 1 : 2 ** width - 1;
  const a = unpack(bits, fmt, st);
  switch (a.cls) {
    case FpClass.QNAN:
    case FpClass.SNAN:
      st.flags |= Fpscr.IOC;
      return 0;
    case FpClass.INF:
      st.flags |= Fpscr.IOC;
      return a.sign ? min : max;
    case FpClass.ZERO:
      return 0;
    default:
      break;
  }
  const e = a.exp + scale;
  // Values with e > 64 saturate anyway; keep the shift small.
  const { q, inexact } = e > 64 ? { q: 1n << 64n, inexact: false } : shiftRound(a.sig, -e, a.sign, mode);
  if (q === 0n) {
    // Rounded to zero: inexact, never invalid (qemu checks this before the sign).
    st.flags |= Fpscr.IXC;
    return 0;
  }
  const mag = q > 1n << 64n ? 2 ** 65 : Number(q);
  const value = a.sign ? -mag : mag;
  if (value < min || value > max) {
    st.flags |= Fpscr.IOC;
    return value < min ? min : max;
  }
  if (inexact) st.flags |= Fpscr.IXC;
  return value;
}

/** An integer (|value| < 2^53) scaled by 2^-scale, rounded to the format. */
export function intToFp(value: number, scale: number, fmt: FloatFormat, st: FpStatus): bigint {
  if (value === 0) return 0n;
  const sign = value < 0 ? 1 : 0;
  return roundPack(sign, BigInt(Math.abs(value)), -scale, fmt, st);
}
