// The VFPv3-D16 register file inside the vCPU's env (arm/cpu-state.ts):
//
//   env[VFP_REGS + 2*d]     low word of dN   = sN*2      (little-endian host)
//   env[VFP_REGS + 2*d + 1] high word of dN  = sN*2 + 1
//   env[FPSCR]              the whole FPSCR, cumulative flags included
//   env[FPEXC]              EN only (user mode cannot read it)
//
// Copies (VMOV, VLDR, VSTR, VLDM, VSTM) move these int32 words, never JS
// numbers, so a signalling NaN's bits survive. Arithmetic reads the same
// bytes through Float64Array / Float32Array views (see vfpViews).

import { Env } from '../cpu-state.js';

/** Number of double registers (VFPv3-D16). */
export const VFP_DREGS = 16;

/** FPSCR fields (ARM ARM B6.1.51; values as FPSCR holds them). */
export const enum Fpscr {
  N = 0x80000000,
  Z = 0x40000000,
  C = 0x20000000,
  V = 0x10000000,
  NZCV_MASK = 0xf0000000,
  /** Default NaN mode. */
  DN = 1 << 25,
  /** Flush-to-zero mode. */
  FZ = 1 << 24,
  RMODE_SHIFT = 22,
  RMODE_MASK = 3 << 22,
  /** Short-vector stride and length: mttcg does not emulate short vectors. */
  STRIDE_LEN_MASK = 0x00370000,
  /** Cumulative exception flags. */
  IOC = 1 << 0,
  DZC = 1 << 1,
  OFC = 1 << 2,
  UFC = 1 << 3,
  IXC = 1 << 4,
  IDC = 1 << 7,
  FLAGS_MASK = 0x9f,
  /**
   * Bits a VMSR keeps (what qemu-arm -cpu cortex-a9 keeps: NZCV, QC, AHP,
   * DN, FZ, RMode, Stride, Len, the six flags; trap enables read as zero).
   */
  WRITABLE = 0xfff7009f,
  /**
   * The inline fast path of the arithmetic ops needs RMode = round to nearest,
   * FZ = 0 and IXC already set: `(fpscr & FAST_MASK) === FAST_VALUE`.
   */
  FAST_MASK = 0x01c00010,
  FAST_VALUE = 0x10,
}

/** FPEXC.EN: the VFP unit is enabled (always, in user mode). */
export const FPEXC_EN = 0x40000000;

/** Env word index of sN (the low word of dN/2 for even N). */
export function sregSlot(s: number): number {
  return Env.VFP_REGS + s;
}

/** Env word index of the low word of dN; the high word follows it. */
export function dregSlot(d: number): number {
  return Env.VFP_REGS + 2 * d;
}

/** Float64Array index of dN in a view over the whole env buffer. */
export function dregF64Index(d: number): number {
  return Env.VFP_REGS / 2 + d;
}

/** Float32Array index of sN in a view over the whole env buffer. */
export function sregF32Index(s: number): number {
  return Env.VFP_REGS + s;
}

export interface VfpViews {
  readonly f64: Float64Array;
  readonly f32: Float32Array;
}

/** Float views over the env's buffer (the env must start at byte offset 0). */
export function vfpViews(env: Int32Array): VfpViews {
  if (env.byteOffset !== 0 || env.length < Env.SIZE) throw new Error('internal: vfpViews needs a whole env');
  return {
    f64: new Float64Array(env.buffer, 0, env.buffer.byteLength >> 3),
    f32: new Float32Array(env.buffer, 0, env.buffer.byteLength >> 2),
  };
}

/** Reads dN as [low, high] words. */
export function readDreg(env: Int32Array, d: number): [number, number] {
  return [env[dregSlot(d)]!, env[dregSlot(d) + 1]!];
}
