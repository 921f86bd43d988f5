// The exact path of every `vfp` op. Generated code calls the bound helper
// (fpuHelper) whenever its inline fast path cannot prove the result
// (backend/emit-vfp.ts). It first tries the double tier (fpu-helper-double.ts:
// directed rounding, FZ and IXC on doubles with error-free transformations);
// what that declines (NaNs, infinities, zeros, the edges of the range, fixed
// point) goes to helperVfp: the operands' bits from env through the softfloat
// under the status word's RMode/FZ/DN, the result's bits back, the raised
// flags ORed into the status word. Operands are env word indices (fp-op.ts).

import { Fpscr } from './fp-op.js';
import { ConvFlag, VfpKind } from './fp-op.js';
import { helperVfpDouble } from './fpu-helper-double.js';
import { fpAdd, fpCompare, fpDiv, fpMul, fpSqrt } from './softfloat-arith.js';
import { fpConvert, fpToInt, intToFp } from './softfloat-convert.js';
import { F32, F64, type FloatFormat, FpStatus, RoundMode } from './softfloat-format.js';

/** The helper generated code calls: (kind, dp, d, n, m, status) as the `vfp` op's constants. */
export type FpuHelper = (kind: number, dp: number, d: number, n: number, m: number, status: number) => void;

/** Float views of the same bytes as env (env must start at byte 0 of its buffer). */
export interface FpuViews {
  /** Index w >> 1 is the binary64 in words w, w+1 (w even). */
  readonly f64: Float64Array;
  /** Index w is the binary32 in word w. */
  readonly f32: Float32Array;
}

export function fpuViews(env: Int32Array): FpuViews {
  if (env.byteOffset !== 0) throw new Error('internal: fpuViews needs an env at the start of its buffer');
  return {
    f64: new Float64Array(env.buffer, 0, env.buffer.byteLength >> 3),
    f32: new Float32Array(env.buffer, 0, env.buffer.byteLength >> 2),
  };
}

function readS(env: Int32Array, w: number): bigint {
  return BigInt(env[w]! >>> 0);
}

function writeS(env: Int32Array, w: number, bits: bigint): void {
  env[w] = Number(bits) | 0;
}

function readD(env: Int32Array, w: number): bigint {
  return (BigInt(env[w + 1]! >>> 0) << 32n) | BigInt(env[w]! >>> 0);
}

function writeD(env: Int32Array, w: number, bits: bigint): void {
  env[w] = Number(bits & 0xffffffffn) | 0;
  env[w + 1] = Number(bits >> 32n) | 0;
}

/** The status an op runs under, from the status word. */
export function statusFromFpscr(fpscr: number): FpStatus {
  return new FpStatus(((fpscr >>> Fpscr.RMODE_SHIFT) & 3) as RoundMode, (fpscr & Fpscr.FZ) !== 0, (fpscr & Fpscr.DN) !== 0, 0);
}

/** The helper bound to one vCPU's env: the double tier, then the softfloat. */
export function makeFpuHelper(env: Int32Array): FpuHelper {
  const views = fpuViews(env);
  return (kind, dp, d, n, m, status) => {
    if (!helperVfpDouble(env, views, kind, dp, d, n, m, status)) helperVfp(env, kind, dp, d, n, m, status);
  };
}

export function helperVfp(env: Int32Array, kind: number, dp: number, d: number, n: number, m: number, status: number): void {
  const fpscr = env[status]!;
  const st = statusFromFpscr(fpscr);
  const fmt: FloatFormat = dp ? F64 : F32;
  const read = dp ? readD : readS;
  const write = dp ? writeD : writeS;
  switch (kind as VfpKind) {
    case VfpKind.ADD: write(env, d, fpAdd(read(env, n), read(env, m), false, fmt, st)); break;
    case VfpKind.SUB: write(env, d, fpAdd(read(env, n), read(env, m), true, fmt, st)); break;
    case VfpKind.MUL: write(env, d, fpMul(read(env, n), read(env, m), fmt, st)); break;
    case VfpKind.NMUL: write(env, d, fpMul(read(env, n), read(env, m), fmt, st) ^ fmt.signBit); break;
    case VfpKind.DIV: write(env, d, fpDiv(read(env, n), read(env, m), fmt, st)); break;
    case VfpKind.MLA:
    case VfpKind.MLS:
    case VfpKind.NMLA:
    case VfpKind.NMLS: {
      // Two roundings, in qemu's order: product, negations, then acc + product.
      let product = fpMul(read(env, n), read(env, m), fmt, st);
      if (kind === VfpKind.MLS || kind === VfpKind.NMLA) product ^= fmt.signBit;
      let acc = read(env, d);
      if (kind === VfpKind.NMLA || kind === VfpKind.NMLS) acc ^= fmt.signBit;
      write(env, d, fpAdd(acc, product, false, fmt, st));
      break;
    }
    case VfpKind.SQRT: write(env, d, fpSqrt(read(env, m), fmt, st)); break;
    case VfpKind.CMP: {
      const rel = fpCompare(read(env, d), m < 0 ? 0n : read(env, m), n !== 0, fmt, st);
      env[status] = (fpscr & ~Fpscr.NZCV_MASK) | (rel << 28);
      break;
    }
    case VfpKind.CVT_FF:
      if (dp) writeD(env, d, fpConvert(readS(env, m), F32, F64, st));
      else writeS(env, d, fpConvert(readD(env, m), F64, F32, st));
      break;
    case VfpKind.CVT_IF: {
      const word = env[m]!;
      write(env, d, intToFp(n & ConvFlag.SIGNED ? word : word >>> 0, 0, fmt, st));
      break;
    }
    case VfpKind.CVT_FI: {
      const mode = n & ConvFlag.ROUND_ZERO ? RoundMode.ZERO : st.mode;
      env[d] = fpToInt(read(env, m), fmt, (n & ConvFlag.SIGNED) !== 0, 32, 0, mode, st) | 0;
      break;
    }
    case VfpKind.CVT_XF: {
      // The fixed-point operand is the low 16 or 32 bits of the register; round to nearest.
      const low = env[d]!;
      const width = n & ConvFlag.WIDTH32 ? 32 : 16;
      const signed = (n & ConvFlag.SIGNED) !== 0;
      const value = width === 32 ? (signed ? low : low >>> 0) : signed ? (low << 16) >> 16 : low & 0xffff;
      st.mode = RoundMode.NEAREST;
      write(env, d, intToFp(value, m, fmt, st));
      break;
    }
    case VfpKind.CVT_FX: {
      const width = n & ConvFlag.WIDTH32 ? 32 : 16;
      const signed = (n & ConvFlag.SIGNED) !== 0;
      const value = fpToInt(read(env, d), fmt, signed, width, m, RoundMode.ZERO, st);
      // The result is sign- or zero-extended to the register's width.
      if (dp) writeD(env, d, BigInt.asUintN(64, BigInt(value)));
      else env[d] = value | 0;
      break;
    }
    default:
      throw new Error(`internal: helperVfp: unknown kind ${kind}`);
  }
  if (st.flags !== 0) env[status] = env[status]! | st.flags;
}
