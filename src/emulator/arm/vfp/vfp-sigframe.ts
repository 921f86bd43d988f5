// The VFP record of a signal frame's uc_regspace, as the ARM kernel writes
// it (arch/arm/kernel/signal.c preserve_vfp_context / restore_vfp_context,
// uapi asm/ucontext.h struct vfp_sigframe) and qemu-arm reads it back:
//
//   +0   magic 0x56465001          +4   size 288
//   +8   fpregs[32] (d0-d31, 64-bit each; VFPv3-D16 has no d16-d31: zeros)
//   +264 fpscr                     +268 (padding)
//   +272 fpexc  +276 fpinst  +280 fpinst2  +284 (padding)
//
// Signal delivery writes it first in uc_regspace (the terminating zero word
// follows); sigreturn checks magic and size and loads the registers back.

import { Env } from '../cpu-state.js';
import { Fpscr } from '../../fpu/fp-op.js';
import { dregSlot, FPEXC_EN, VFP_DREGS } from './vfp-state.js';

export const VFP_MAGIC = 0x56465001;
/** sizeof(struct vfp_sigframe). */
export const VFP_SIGFRAME_BYTES = 288;

const MAGIC = 0;
const SIZE = 4;
const FPREGS = 8;
const FPSCR = 264;
const FPEXC = 272;
const FPINST = 276;
const FPINST2 = 280;

/** Writes the record at byte `at` of `area` (little-endian); returns its size. */
export function saveVfpSigframe(env: Int32Array, area: DataView, at: number): number {
  for (let i = 0; i < VFP_SIGFRAME_BYTES; i += 4) area.setInt32(at + i, 0, true);
  area.setInt32(at + MAGIC, VFP_MAGIC, true);
  area.setInt32(at + SIZE, VFP_SIGFRAME_BYTES, true);
  for (let d = 0; d < VFP_DREGS; d++) {
    area.setInt32(at + FPREGS + 8 * d, env[dregSlot(d)]!, true);
    area.setInt32(at + FPREGS + 8 * d + 4, env[dregSlot(d) + 1]!, true);
  }
  area.setInt32(at + FPSCR, env[Env.FPSCR]!, true);
  area.setInt32(at + FPEXC, env[Env.FPEXC]!, true);
  area.setInt32(at + FPINST, 0, true);
  area.setInt32(at + FPINST2, 0, true);
  return VFP_SIGFRAME_BYTES;
}

/**
 * Loads the record at byte `at` of `area` back into env; false (nothing
 * changed) if its magic or size is wrong, which makes sigreturn fail as the
 * kernel's does. FPSCR keeps only what VMSR keeps, without short-vector
 * LEN/STRIDE (not emulated); FPEXC stays enabled, as the kernel keeps it.
 */
export function restoreVfpSigframe(env: Int32Array, area: DataView, at: number): boolean {
  if (area.getInt32(at + MAGIC, true) !== VFP_MAGIC || area.getInt32(at + SIZE, true) !== VFP_SIGFRAME_BYTES) return false;
  for (let d = 0; d < VFP_DREGS; d++) {
    env[dregSlot(d)] = area.getInt32(at + FPREGS + 8 * d, true);
    env[dregSlot(d) + 1] = area.getInt32(at + FPREGS + 8 * d + 4, true);
  }
  env[Env.FPSCR] = area.getInt32(at + FPSCR, true) & Fpscr.WRITABLE & ~Fpscr.STRIDE_LEN_MASK;
  env[Env.FPEXC] = FPEXC_EN;
  return true;
}
