// What a syscall implementation can reach: the calling vCPU's registers,
// guest memory as the kernel sees it, the shared kernel state and the run's
// options. Handlers return the value for r0: a result, or -errno.

import type { KernelAccess } from '../softmmu/kernel-access.js';

export interface SyscallOptions {
  /** Host directories the guest may open files in (resolved, absolute). */
  readonly allowDirs: readonly string[];
  /** The -L prefix: absolute guest paths name files under it first (qemu-arm's path()), or null. */
  readonly sysroot: string | null;
  /** Host directories the guest may read but not change: the sysroot and the program's own directory. */
  readonly readOnlyDirs: readonly string[];
  /** Host path of the guest executable (what /proc/self/exe names). */
  readonly exePath: string;
  /** Guest path of the executable, as given on the command line. */
  readonly guestExePath: string;
}

export interface SyscallContext {
  readonly env: Int32Array;
  readonly access: KernelAccess;
  readonly options: SyscallOptions;
  /** Prints a warning to stderr once per key for the whole run. */
  warnOnce(key: string, message: string): void;
  /** Present on vCPU threads (see ThreadContext): marks a blocking host call. */
  enterBlocking?(infinite: boolean, futexAddr: number): void;
  leaveBlocking?(): void;
}

export type SyscallHandler = (
  ctx: SyscallContext, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number,
) => number;

export type SyscallTable = Map<number, SyscallHandler>;
