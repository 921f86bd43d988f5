// The VFPv3-D16 register file inside the vCPU's env (arm/cpu-state.ts):
//
//   env[VFP_REGS + 2*d]     low word of dN   = s(2N)      (little-endian host)
//   env[VFP_REGS + 2*d + 1] high word of dN  = s(2N+1)
//   env[FPSCR]              the whole FPSCR, cumulative flags included
//   env[FPEXC]              EN only (user mode cannot read it)
//
// Copies (VMOV, VLDR, VSTR, VLDM, VSTM) move these int32 words, never JS
// numbers, so a signalling NaN's bits survive. Arithmetic (the IR op `vfp`,
// src/emulator/fpu/) reads the same bytes through float views of env.

import { Env } from '../cpu-state.js';

/** Number of double registers (VFPv3-D16). */
export const VFP_DREGS = 16;

/** FPEXC.EN: the VFP unit is enabled (always, in user mode). */
export const FPEXC_EN = 0x40000000;

/** Env word index of sN (the low word of d(N/2) for even N). */
export function sregSlot(s: number): number {
  return Env.VFP_REGS + s;
}

/** Env word index of the low word of dN; the high word follows it. */
export function dregSlot(d: number): number {
  return Env.VFP_REGS + 2 * d;
}
