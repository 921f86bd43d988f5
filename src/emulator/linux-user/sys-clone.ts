// clone(2), fork(2) and vfork(2). With CLONE_THREAD (glibc's
// pthread_create) a new thread becomes a new vCPU; without it a new process
// (process/process-fork.ts): fork is clone(SIGCHLD), vfork is
// clone(CLONE_VM | CLONE_VFORK | SIGCHLD).

import { EINVAL, ENOSYS } from './errno.js';
import type { ThreadContext } from './thread-context.js';

export const NR_fork = 2;
export const NR_clone = 120;
export const NR_vfork = 190;

export const CLONE_VM = 0x100;
export const CLONE_FS = 0x200;
export const CLONE_FILES = 0x400;
export const CLONE_SIGHAND = 0x800;
export const CLONE_VFORK = 0x4000;
export const CLONE_PARENT = 0x8000;
export const CLONE_THREAD = 0x10000;
export const CLONE_SYSVSEM = 0x40000;
export const CLONE_SETTLS = 0x80000;
export const CLONE_PARENT_SETTID = 0x100000;
export const CLONE_CHILD_CLEARTID = 0x200000;
export const CLONE_CHILD_SETTID = 0x1000000;

const THREAD_FLAGS = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD;
const SIGCHLD = 17;

/** ARM argument order: flags, child_stack, parent_tidptr, tls, child_tidptr. */
export function sysClone(ctx: ThreadContext, flags: number, stack: number, ptid: number, tls: number, ctid: number): number {
  const req = { flags, childStack: stack, parentTidPtr: ptid, tls, childTidPtr: ctid };
  if (!(flags & CLONE_THREAD)) {
    // CLONE_SIGHAND needs CLONE_VM (the kernel's rule); sharing handlers between processes is not emulated.
    if (flags & CLONE_SIGHAND && !(flags & CLONE_VM)) return -EINVAL;
    if (flags & CLONE_SIGHAND) {
      ctx.warnOnce('clone-sighand', `mttcg: clone with flags 0x${(flags >>> 0).toString(16)} (a process sharing signal handlers) is not supported (ENOSYS)`);
      return -ENOSYS;
    }
    return ctx.spawnProcess(req);
  }
  if ((flags & THREAD_FLAGS) !== THREAD_FLAGS) return -EINVAL;
  if (stack === 0) return -EINVAL;
  return ctx.spawnThread(req);
}

export function sysFork(ctx: ThreadContext): number {
  return ctx.spawnProcess({ flags: SIGCHLD, childStack: 0, parentTidPtr: 0, tls: 0, childTidPtr: 0 });
}

export function sysVfork(ctx: ThreadContext): number {
  return ctx.spawnProcess({ flags: CLONE_VM | CLONE_VFORK | SIGCHLD, childStack: 0, parentTidPtr: 0, tls: 0, childTidPtr: 0 });
}
