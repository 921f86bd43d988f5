// The syscall table of one vCPU (qemu's do_syscall): r7 selects (or the SWI
// immediate of an OABI call, oabi.ts), r0..r5 are the arguments, r0
// receives the result or -errno. An unknown number gets ENOSYS and a warning
// printed once per number for the whole run (docs/linux-user.md lists them).

import { Env } from '../arm/cpu-state.js';
import { BadGuestAddress } from '../softmmu/kernel-access.js';
import { EFAULT, EINTR, ENOSYS, ERESTART_RESTARTBLOCK, isRestartCode } from './errno.js';
import type { FdTable } from './fd-table.js';
import { fileSyscalls } from './sys-files.js';
import { NR_clone, NR_fork, NR_vfork, sysClone, sysFork, sysVfork } from './sys-clone.js';
import { NR_futex, NR_futex_time64, sysFutex, type FutexCounters } from './sys-futex.js';
import {
  NR_brk, NR_madvise, NR_mmap2, NR_mprotect, NR_mremap, NR_munmap,
  sysBrk, sysMadvise, sysMmap2, sysMprotect, sysMremap, sysMunmap,
} from './sys-memory.js';
import { processSyscalls } from './sys-process.js';
import { waitSyscalls } from './sys-wait.js';
import { execSyscalls } from './sys-exec.js';
import { signalSyscalls } from './sys-signal.js';
import { timerSyscalls } from './sys-timer.js';
import { shmSyscalls } from './sys-shm.js';
import { legacySyscalls } from './sys-legacy.js';
import { semihostCall } from './semihosting.js';
import { ARM_PRIVATE_ENOSYS_END, badSyscall, decodeSvc, oabiArgs } from './oabi.js';
import { timeSyscalls } from './sys-time.js';
import { syscallName } from './syscall-names.js';
import type { ThreadContext } from './thread-context.js';

type Handler = (ctx: ThreadContext, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number) => number;

export class SyscallDispatcher {
  private readonly table = new Map<number, Handler>();
  readonly futex: FutexCounters = { waits: 0, wakes: 0, eagain: 0, timeouts: 0 };
  count = 0;

  constructor(fds: FdTable) {
    for (const [nr, h] of fileSyscalls(fds)) this.table.set(nr, h as Handler);
    for (const m of [processSyscalls(), timeSyscalls(), signalSyscalls(), timerSyscalls(), shmSyscalls(), legacySyscalls(), waitSyscalls(), execSyscalls()]) {
      for (const [nr, h] of m) this.table.set(nr, h as Handler);
    }
    const f = this.futex;
    this.table.set(NR_brk, (c, a) => sysBrk(c, a));
    this.table.set(NR_mmap2, (c, a, b, d, e, g, h) => sysMmap2(c, a, b, d, e, g, h));
    this.table.set(NR_munmap, (c, a, b) => sysMunmap(c, a, b));
    this.table.set(NR_mprotect, (c, a, b, d) => sysMprotect(c, a, b, d));
    this.table.set(NR_madvise, (c, a, b, d) => sysMadvise(c, a, b, d));
    this.table.set(NR_mremap, (c, a, b, d, e) => sysMremap(c, a, b, d, e));
    this.table.set(NR_futex, (c, a, b, d, e, g, h) => sysFutex(c, f, false, a, b, d, e, g, h));
    this.table.set(NR_futex_time64, (c, a, b, d, e, g, h) => sysFutex(c, f, true, a, b, d, e, g, h));
    this.table.set(NR_clone, (c, a, b, d, e, g) => sysClone(c, a, b, d, e, g));
    this.table.set(NR_fork, (c) => sysFork(c));
    this.table.set(NR_vfork, (c) => sysVfork(c));
  }

  /** Whether syscall nr has a handler (docs/linux-user.md lists those without). */
  handles(nr: number): boolean {
    return this.table.has(nr);
  }

  /** A syscall made on the guest's behalf (semihosting): its result or -errno; interrupted is EINTR. */
  call(ctx: ThreadContext, nr: number, args: readonly number[]): number {
    const h = this.table.get(nr);
    if (!h) return -ENOSYS;
    const r = SyscallDispatcher.guarded(() => h(ctx, args[0] ?? 0, args[1] ?? 0, args[2] ?? 0, args[3] ?? 0, args[4] ?? 0, args[5] ?? 0));
    return isRestartCode(r) ? -EINTR : r;
  }

  /** Runs a handler; a bad guest pointer it meets is EFAULT. */
  private static guarded(run: () => number): number {
    try {
      return run();
    } catch (e) {
      if (!(e instanceof BadGuestAddress)) throw e;
      return -EFAULT;
    }
  }

  /** Runs the syscall the SVC names and writes r0. Exit and fatal signals propagate as exceptions. */
  dispatch(ctx: ThreadContext): void {
    const env = ctx.env;
    const { nr, oabi, semihost } = decodeSvc(ctx);
    this.count++;
    if (semihost) {
      semihostCall(ctx, (n, ...args) => this.call(ctx, n, args));
      return;
    }
    const h = this.table.get(nr);
    let r: number;
    if (!h) {
      if (nr >= ARM_PRIVATE_ENOSYS_END) badSyscall(ctx, nr);
      ctx.warnOnce(`syscall-${nr}`, `mttcg: unsupported syscall ${nr} (${syscallName(nr)}); returning ENOSYS`);
      r = -ENOSYS;
    } else {
      const a = oabi ? oabiArgs(nr, env.subarray(0, 6)) : null;
      const a0 = a ? a[0]! : env[0]!;
      const again = a
        ? (): number => h(ctx, a0, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!)
        : (): number => h(ctx, a0, env[1]!, env[2]!, env[3]!, env[4]!, env[5]!);
      r = SyscallDispatcher.guarded(again);
      // Interrupted by a signal: a handler runs (EINTR, or the SVC again under
      // SA_RESTART; delivery has set the registers), or the syscall goes on.
      while (isRestartCode(r)) {
        if (ctx.delivery.interruptedSyscall(r, a0)) return;
        const block = ctx.delivery.restartBlock;
        ctx.delivery.restartBlock = null;
        r = SyscallDispatcher.guarded(r === -ERESTART_RESTARTBLOCK && block ? block : again);
      }
    }
    env[Env.R0] = r;
  }
}
