// The exact (slow) path of the VFP: IEEE 754 binary32/binary64 on integer
// significands, with ARM's rules as qemu-arm implements them (fpu/softfloat
// with ARM's settings): tininess detected before rounding, flush-to-zero of
// inputs (IDC) and of tiny results (UFC, no IXC), ARM NaN propagation and the
// ARM default NaN. Values travel as their IEEE bit patterns in a bigint.
//
// This file: formats, status, unpacking, NaN rules and rounding/packing.
// The operations are in softfloat-arith.ts and softfloat-convert.ts. Raised
// flags are FPSCR's cumulative bits (Fpscr.IOC ... Fpscr.IDC in fp-op.ts).

import { Fpscr } from './fp-op.js';

/** FPSCR.RMode encoding. */
export const enum RoundMode {
  NEAREST = 0,
  PLUS_INF = 1,
  MINUS_INF = 2,
  ZERO = 3,
}

export interface FloatFormat {
  readonly name: 'f32' | 'f64';
  readonly totalBits: number;
  readonly fracBits: number;
  readonly bias: number;
  /** Biased exponent of infinities and NaNs. */
  readonly expMax: number;
  /** Significand bits including the implicit one. */
  readonly precision: number;
  /** Unbiased exponent of the smallest normal. */
  readonly emin: number;
  /** Exponent of a subnormal's unit in the last place (value = frac * 2^qexp). */
  readonly qexp: number;
  readonly fracMask: bigint;
  readonly implicitBit: bigint;
  readonly quietBit: bigint;
  readonly signBit: bigint;
  readonly defaultNaN: bigint;
  readonly maxFinite: bigint;
  readonly infinity: bigint;
}

function makeFormat(name: 'f32' | 'f64', expBits: number, fracBits: number): FloatFormat {
  const bias = (1 << (expBits - 1)) - 1;
  const expMax = (1 << expBits) - 1;
  const f = BigInt(fracBits);
  return {
    name,
    totalBits: 1 + expBits + fracBits,
    fracBits,
    bias,
    expMax,
    precision: fracBits + 1,
    emin: 1 - bias,
    qexp: 1 - bias - fracBits,
    fracMask: (1n << f) - 1n,
    implicitBit: 1n << f,
    quietBit: 1n << (f - 1n),
    signBit: 1n << BigInt(expBits + fracBits),
    defaultNaN: (BigInt(expMax) << f) | (1n << (f - 1n)),
    maxFinite: (BigInt(expMax - 1) << f) | ((1n << f) - 1n),
    infinity: BigInt(expMax) << f,
  };
}

export const F32 = makeFormat('f32', 8, 23);
export const F64 = makeFormat('f64', 11, 52);

/** The FPSCR controls an operation runs under, and the flags it raises. */
export class FpStatus {
  constructor(
    public mode: RoundMode = RoundMode.NEAREST,
    /** FPSCR.FZ: flush subnormal inputs (IDC) and tiny results (UFC) to zero. */
    public fz = false,
    /** FPSCR.DN: every NaN result is the default NaN. */
    public dn = false,
    public flags = 0,
  ) {}
}

export const enum FpClass {
  ZERO = 0,
  FINITE = 1,
  INF = 2,
  QNAN = 3,
  SNAN = 4,
}

/**
 * An unpacked operand. A FINITE value is (-1)^sign * sig * 2^exp, sig > 0
 * (subnormals included). NaNs keep their bits.
 */
export interface Unpacked {
  readonly cls: FpClass;
  readonly sign: number;
  readonly sig: bigint;
  readonly exp: number;
  readonly bits: bigint;
}

export function isNaNClass(c: FpClass): boolean {
  return c >= FpClass.QNAN;
}

/** Unpacks an operand; a subnormal under FZ becomes a zero and raises IDC. */
export function unpack(bits: bigint, fmt: FloatFormat, st: FpStatus): Unpacked {
  const sign = bits & fmt.signBit ? 1 : 0;
  const e = Number((bits >> BigInt(fmt.fracBits)) & BigInt(fmt.expMax));
  const frac = bits & fmt.fracMask;
  if (e === fmt.expMax) {
    const cls = frac === 0n ? FpClass.INF : frac & fmt.quietBit ? FpClass.QNAN : FpClass.SNAN;
    return { cls, sign, sig: 0n, exp: 0, bits };
  }
  if (e === 0) {
    if (frac === 0n) return { cls: FpClass.ZERO, sign, sig: 0n, exp: 0, bits };
    if (st.fz) {
      st.flags |= Fpscr.IDC;
      return { cls: FpClass.ZERO, sign, sig: 0n, exp: 0, bits: bits & fmt.signBit };
    }
    return { cls: FpClass.FINITE, sign, sig: frac, exp: fmt.qexp, bits };
  }
  return { cls: FpClass.FINITE, sign, sig: frac | fmt.implicitBit, exp: e - fmt.bias - fmt.fracBits, bits };
}

export function packZero(sign: number, fmt: FloatFormat): bigint {
  return sign ? fmt.signBit : 0n;
}

export function packInf(sign: number, fmt: FloatFormat): bigint {
  return fmt.infinity | (sign ? fmt.signBit : 0n);
}

/** A NaN operand of a one-input operation (ARM FPProcessNaN). */
export function processNaN(a: Unpacked, fmt: FloatFormat, st: FpStatus): bigint {
  if (a.cls === FpClass.SNAN) st.flags |= Fpscr.IOC;
  if (st.dn) return fmt.defaultNaN;
  return a.bits | fmt.quietBit;
}

/**
 * NaN result of a two-input operation where at least one input is a NaN
 * (ARM FPProcessNaNs): the first signalling NaN of (a, b), quietened, else
 * the first quiet NaN; the default NaN in DN mode. Any signalling NaN raises IOC.
 */
export function processNaNs(a: Unpacked, b: Unpacked, fmt: FloatFormat, st: FpStatus): bigint {
  if (a.cls === FpClass.SNAN || b.cls === FpClass.SNAN) st.flags |= Fpscr.IOC;
  if (st.dn) return fmt.defaultNaN;
  if (a.cls === FpClass.SNAN) return a.bits | fmt.quietBit;
  if (b.cls === FpClass.SNAN) return b.bits | fmt.quietBit;
  return isNaNClass(a.cls) ? a.bits : b.bits;
}

/** Invalid operation: IOC and the default NaN. */
export function invalid(fmt: FloatFormat, st: FpStatus): bigint {
  st.flags |= Fpscr.IOC;
  return fmt.defaultNaN;
}

/** Number of significant bits of x > 0. */
export function bitLength(x: bigint): number {
  const s = x.toString(16);
  return (s.length - 1) * 4 + (32 - Math.clz32(parseInt(s[0]!, 16)));
}

/**
 * sig >> shift rounded by `mode` for a value of the given sign.
 * Returns the rounded magnitude; `inexact` tells whether bits were lost.
 */
export function shiftRound(sig: bigint, shift: number, sign: number, mode: RoundMode): { q: bigint; inexact: boolean } {
  if (shift <= 0) return { q: sig << BigInt(-shift), inexact: false };
  const s = BigInt(shift);
  const q = sig >> s;
  const rem = sig - (q << s);
  if (rem === 0n) return { q, inexact: false };
  let up: boolean;
  switch (mode) {
    case RoundMode.NEAREST: {
      const half = 1n << (s - 1n);
      up = rem > half || (rem === half && (q & 1n) === 1n);
      break;
    }
    case RoundMode.PLUS_INF: up = sign === 0; break;
    case RoundMode.MINUS_INF: up = sign === 1; break;
    default: up = false; break;
  }
  return { q: up ? q + 1n : q, inexact: true };
}

function overflowResult(sign: number, fmt: FloatFormat, mode: RoundMode): bigint {
  const toMax = mode === RoundMode.ZERO || (mode === RoundMode.PLUS_INF && sign === 1) || (mode === RoundMode.MINUS_INF && sign === 0);
  return (toMax ? fmt.maxFinite : fmt.infinity) | (sign ? fmt.signBit : 0n);
}

/**
 * Rounds the exact value (-1)^sign * sig * 2^exp (sig > 0) to the format
 * under the status (qemu's parts_uncanon_normal with ARM's settings) and packs it.
 */
export function roundPack(sign: number, sig: bigint, exp: number, fmt: FloatFormat, st: FpStatus): bigint {
  const signBits = sign ? fmt.signBit : 0n;
  const len = bitLength(sig);
  let e = exp + len - 1; // exponent of the leading bit, before rounding
  if (e >= fmt.emin) {
    let { q, inexact } = shiftRound(sig, len - fmt.precision, sign, st.mode);
    if (q >> BigInt(fmt.precision)) {
      q >>= 1n;
      e += 1;
    }
    if (e > fmt.bias) {
      st.flags |= Fpscr.OFC | Fpscr.IXC;
      return overflowResult(sign, fmt, st.mode);
    }
    if (inexact) st.flags |= Fpscr.IXC;
    return signBits | (BigInt(e + fmt.bias) << BigInt(fmt.fracBits)) | (q & fmt.fracMask);
  }
  // Tiny before rounding.
  if (st.fz) {
    st.flags |= Fpscr.UFC;
    return signBits;
  }
  const { q, inexact } = shiftRound(sig, fmt.qexp - exp, sign, st.mode);
  if (inexact) st.flags |= Fpscr.UFC | Fpscr.IXC;
  // q <= 2^fracBits: a carry into the implicit bit encodes the smallest normal.
  return signBits | q;
}
