// The parts of a signal frame that depend on the CPU's state beyond r0-r15
// and the flags: the instruction set state (Thumb and IT, arm/exec-state.ts)
// and the coprocessor area uc_regspace (VFP, arm/vfp/vfp-state.ts). Signal
// delivery and sigreturn reach them only through these functions.
//
// uc_regspace holds the kernel's struct vfp_sigframe (arm/vfp/vfp-sigframe.ts),
// then the terminating zero word.

import { CPSR_USR_MODE, Env, readCpsr, writeCpsrFlags } from '../arm/cpu-state.js';
import { interworkingJump, isThumb, writeCpsrExecState } from '../arm/exec-state.js';
import { restoreVfpSigframe, saveVfpSigframe } from '../arm/vfp/vfp-sigframe.js';

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

/**
 * Writes the coprocessor part of uc_regspace (before the terminating zero
 * word) into `area` (512 bytes, 8-aligned in guest memory) and returns how
 * many bytes it used: the VFP record (arm/vfp/vfp-sigframe.ts).
 */
export function saveCoprocessorArea(env: Int32Array, area: DataView): number {
  return saveVfpSigframe(env, area, 0);
}

/** Restores what saveCoprocessorArea wrote; false if the record is malformed (sigreturn then raises SIGSEGV). */
export function restoreCoprocessorArea(env: Int32Array, area: DataView): boolean {
  return restoreVfpSigframe(env, area, 0);
}

/** True if a frame's cpsr is one a user-mode program may return to (the kernel's valid_user_regs: USR mode, IRQs on). */
export function validUserCpsr(cpsr: number): boolean {
  return (cpsr & 0x1f) === CPSR_USR_MODE && (cpsr & (1 << 7)) === 0;
}
