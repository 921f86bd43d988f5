// The instruction set state of a vCPU: ARM (A32) or Thumb (T32), and the IT
// block state (ITSTATE) of Thumb code. Both live in one env slot,
// Env.EXEC_STATE (bit 0 T, bits 8..1 ITSTATE), valid at TB boundaries, and
// both are part of the key a TB is cached under, as QEMU keeps them in its
// TB flags. R15 always holds the instruction address with bit 0 clear.
//
// Host code that sets or reads the pc of a guest thread (signal delivery and
// sigreturn, the loader, fault reports) goes through these accessors.

import { Env, execStateFromCpsr } from './cpu-state.js';

/** EXEC_STATE of ARM state, and of Thumb state outside an IT block. */
export const EXEC_ARM = 0;
export const EXEC_THUMB = 1;

export function isThumb(env: Int32Array): boolean {
  return (env[Env.EXEC_STATE]! & 1) !== 0;
}

/** ITSTATE (IT[7:0]); 0 outside an IT block. */
export function itState(env: Int32Array): number {
  return (env[Env.EXEC_STATE]! >>> 1) & 0xff;
}

/**
 * Jumps as BX does (BXWritePC): bit 0 of `target` selects Thumb, the pc is
 * the target with bit 0 clear, and any IT block ends. For entry points and
 * signal handlers (bit 0 set: Thumb) and for returns through sigreturn.
 */
export function interworkingJump(env: Int32Array, target: number): void {
  env[Env.PC] = target & ~1;
  env[Env.EXEC_STATE] = target & 1;
}

/** The address BX would need to resume here: the pc with bit 0 = T (e.g. a signal frame's return address). */
export function interworkingPc(env: Int32Array): number {
  return (env[Env.PC]! | (env[Env.EXEC_STATE]! & 1)) | 0;
}

/** Restores T and ITSTATE from a CPSR value (sigreturn). The pc is set separately. */
export function writeCpsrExecState(env: Int32Array, cpsr: number): void {
  env[Env.EXEC_STATE] = execStateFromCpsr(cpsr);
}

/** Next ITSTATE after one instruction of an IT block (ITAdvance). */
export function itAdvance(it: number): number {
  return (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
}

/**
 * The number a TB is cached under: the pc for ARM state, pc | 1 for Thumb
 * outside an IT block (both int32), and above 2^32 for a TB that starts
 * inside an IT block (rare: a TB ended mid-block).
 */
export function tbKey(pc: number, execState: number): number {
  return execState <= 1 ? (pc | execState) : ((pc | 1) >>> 0) + (execState >>> 1) * 0x1_0000_0000;
}
