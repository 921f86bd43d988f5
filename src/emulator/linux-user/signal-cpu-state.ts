// The parts of a signal frame that depend on the CPU's state beyond r0-r15
// and the flags: the instruction set state (Thumb and IT, arm/exec-state.ts)
// and the coprocessor area uc_regspace (VFP, arm/vfp/vfp-state.ts). Signal
// delivery and sigreturn reach them only through these functions.
//
// uc_regspace holds the kernel's struct vfp_sigframe
// (arch/arm/kernel/signal.c preserve_vfp_context/restore_vfp_context):
//
//     0 magic 0x56465001   4 size 288   8 fpregs[32] (d0-d31, 8 bytes each)
//   264 fpscr   272 fpexc   276 fpinst   280 fpinst2   (284: padding)
//
// then the terminating zero word. mttcg is VFPv3-D16: d16-d31 are written
// as zero and ignored on the way back.

import { CPSR_USR_MODE, Env, readCpsr, writeCpsrFlags } from '../arm/cpu-state.js';
import { interworkingJump, isThumb, writeCpsrExecState } from '../arm/exec-state.js';
import { dregSlot, FPEXC_EN, VFP_DREGS } from '../arm/vfp/vfp-state.js';
import { Fpscr } from '../fpu/fp-op.js';

/** CPSR bits the kernel clears on handler entry: N, Z, C, V, Q, IT[1:0], J (the flags byte, PSR_f). */
const CPSR_HANDLER_CLEAR = 0xff000000 | 0;

/** The cpsr a signal frame records: flags, GE, the T bit and ITSTATE, mode USR. */
export function cpsrForFrame(env: Int32Array): number {
  return readCpsr(env);
}

/** sigreturn: flags, T and ITSTATE from a frame's cpsr (the caller has checked it with validUserCpsr). */
export function restoreCpsrFromFrame(env: Int32Array, cpsr: number): void {
  writeCpsrFlags(env, cpsr);
  writeCpsrExecState(env, cpsr);
  // A Thumb pc has bit 0 clear in R15 (the frame may hold it either way).
  if (isThumb(env)) env[Env.PC] = env[Env.PC]! & ~1;
}

/**
 * Enters a handler as the kernel's setup_return: Thumb if bit 0 of its
 * address is set, else ARM (pc & ~3, as qemu-arm); IT state and the
 * N/Z/C/V/Q flags cleared, GE kept.
 */
export function enterHandlerState(env: Int32Array, handler: number): void {
  writeCpsrFlags(env, readCpsr(env) & ~CPSR_HANDLER_CLEAR);
  interworkingJump(env, handler & 1 ? handler : handler & ~3);
}

/** Whether the vCPU executes Thumb code now (the SVC just taken was 2 bytes long). */
export function inThumbState(env: Int32Array): boolean {
  return isThumb(env);
}

const VFP_MAGIC = 0x56465001;
const VFP_FRAME_BYTES = 288;
const VFP_FPREGS = 8;
const VFP_FPSCR = 264;
const VFP_FPEXC = 272;
/** FPEXC.EX and FPEXC.FP2V: cleared on sigreturn, as the kernel sanitises FPEXC. */
const FPEXC_EX_FP2V = (1 << 31) | (1 << 28);

/**
 * Writes the coprocessor part of uc_regspace (before the terminating zero
 * word) into `area` (512 bytes, 8-aligned in guest memory) and returns how
 * many bytes it used: the VFP record.
 */
export function saveCoprocessorArea(env: Int32Array, area: DataView): number {
  area.setInt32(0, VFP_MAGIC, true);
  area.setInt32(4, VFP_FRAME_BYTES, true);
  for (let d = 0; d < VFP_DREGS; d++) {
    area.setInt32(VFP_FPREGS + 8 * d, env[dregSlot(d)]!, true);
    area.setInt32(VFP_FPREGS + 8 * d + 4, env[dregSlot(d) + 1]!, true);
  }
  area.setInt32(VFP_FPSCR, env[Env.FPSCR]!, true);
  area.setInt32(VFP_FPEXC, env[Env.FPEXC]!, true);
  return VFP_FRAME_BYTES;
}

/**
 * Restores what saveCoprocessorArea wrote; false if the record's magic or
 * size is wrong (sigreturn then raises SIGSEGV, as the kernel does). FPSCR
 * keeps the bits VMSR keeps, without short vectors (LEN/STRIDE, which mttcg
 * does not emulate); FPEXC stays enabled.
 */
export function restoreCoprocessorArea(env: Int32Array, area: DataView): boolean {
  if (area.getInt32(0, true) !== VFP_MAGIC || area.getInt32(4, true) !== VFP_FRAME_BYTES) return false;
  for (let d = 0; d < VFP_DREGS; d++) {
    env[dregSlot(d)] = area.getInt32(VFP_FPREGS + 8 * d, true);
    env[dregSlot(d) + 1] = area.getInt32(VFP_FPREGS + 8 * d + 4, true);
  }
  env[Env.FPSCR] = area.getInt32(VFP_FPSCR, true) & Fpscr.WRITABLE & ~Fpscr.STRIDE_LEN_MASK;
  env[Env.FPEXC] = (area.getInt32(VFP_FPEXC, true) | FPEXC_EN) & ~FPEXC_EX_FP2V;
  return true;
}

/** True if a frame's cpsr is one a user-mode program may return to (the kernel's valid_user_regs: USR mode, IRQs on). */
export function validUserCpsr(cpsr: number): boolean {
  return (cpsr & 0x1f) === CPSR_USR_MODE && (cpsr & (1 << 7)) === 0;
}
