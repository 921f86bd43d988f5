// Which system call an SVC makes (the ARM kernel's vector_swi, as qemu-arm's
// cpu_loop reads it). EABI programs put the number in r7 and use SVC #0; old
// ABI (OABI) programs encode it in the instruction, SWI #0x900000+n, so a
// non-zero immediate in ARM state is an OABI call: n = imm ^ 0x900000. In
// Thumb state the number is always r7. Numbers from 0xf0000 are ARM
// private calls (cacheflush, set_tls, ...): those up to 0xf07ff that do not
// exist return ENOSYS, beyond that (for instance SWI #5, which names
// 0x900005) the kernel raises SIGILL ILL_ILLTRP at the SVC.
//
// Arguments are the same registers in both ABIs except where a 64-bit
// argument follows an odd number of 32-bit ones: EABI aligns it to an even
// register pair (a padding register), OABI does not. oabiArgs inserts the
// padding for those calls so that one handler serves both.

import { Env } from '../arm/cpu-state.js';
import { GuestFault } from '../softmmu/guest-fault.js';
import { NR_ftruncate64, NR_pread64, NR_pwrite64 } from './sys-files.js';
import { NR_truncate64 } from './sys-paths.js';
import { SIGILL } from './signal-numbers.js';
import type { ThreadContext } from './thread-context.js';

export const OABI_SYSCALL_BASE = 0x900000;
export const ARM_PRIVATE_BASE = 0xf0000;
/** The kernel's private range: unknown numbers below this return ENOSYS, the rest are SIGILL. */
export const ARM_PRIVATE_ENOSYS_END = 0xf0800;
const ILL_ILLTRP = 4;

/** EABI calls whose 64-bit argument sits after a padding register: the padding's index. */
const EABI_PAD_AT = new Map<number, number>([
  [NR_pread64, 3], // fd, buf, count, pad, offset
  [NR_pwrite64, 3],
  [NR_truncate64, 1], // path, pad, length
  [NR_ftruncate64, 1],
]);

/** ARM semihosting's SVC immediates (semihosting.ts). */
export const SEMIHOST_SVC_ARM = 0x123456;
export const SEMIHOST_SVC_THUMB = 0xab;

export interface SyscallNumber {
  readonly nr: number;
  readonly oabi: boolean;
  /** An ARM semihosting call, not a syscall. */
  readonly semihost: boolean;
}

/** The call the SVC just executed makes (pc is past it). */
export function decodeSvc(ctx: ThreadContext): SyscallNumber {
  const env = ctx.env;
  const pc = env[Env.PC]! >>> 0;
  if (env[Env.EXEC_STATE]! & 1) {
    const b = ctx.access.read((pc - 2) >>> 0, 2);
    const insn = b[0]! | (b[1]! << 8);
    return { nr: env[7]! >>> 0, oabi: false, semihost: insn === (0xdf00 | SEMIHOST_SVC_THUMB) };
  }
  const imm = ctx.access.readU32((pc - 4) >>> 0) & 0xffffff;
  if (imm === 0) return { nr: env[7]! >>> 0, oabi: false, semihost: false };
  if (imm === SEMIHOST_SVC_ARM) return { nr: 0, oabi: false, semihost: true };
  return { nr: (imm ^ OABI_SYSCALL_BASE) >>> 0, oabi: true, semihost: false };
}

/** An OABI call's six arguments in EABI registers (the padding inserted where EABI has one). */
export function oabiArgs(nr: number, regs: ArrayLike<number>): number[] {
  const a = Array.from(regs).slice(0, 6);
  const pad = EABI_PAD_AT.get(nr);
  if (pad === undefined) return a;
  return [...a.slice(0, pad), 0, ...a.slice(pad, 5)];
}

/** A number past the private calls the kernel knows: SIGILL ILL_ILLTRP at the SVC. */
export function badSyscall(ctx: ThreadContext, nr: number): never {
  const env = ctx.env;
  const pc = (env[Env.PC]! - (env[Env.EXEC_STATE]! & 1 ? 2 : 4)) >>> 0;
  // The frame keeps the pc past the SVC, as the kernel's bad_syscall leaves it.
  throw new GuestFault(SIGILL, pc, pc, 'execute', `bad syscall 0x${nr.toString(16)}`, ILL_ILLTRP, env[Env.PC]! >>> 0);
}
