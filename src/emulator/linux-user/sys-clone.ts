// clone(2) as glibc's pthread_create calls it: a new thread becomes a new vCPU.
// Anything fork-like (no CLONE_VM, or no CLONE_THREAD) gets ENOSYS.

import { EINVAL, ENOSYS } from './errno.js';
import type { ThreadContext } from './thread-context.js';

export const NR_clone = 120;

export const CLONE_VM = 0x100;
export const CLONE_FS = 0x200;
export const CLONE_FILES = 0x400;
export const CLONE_SIGHAND = 0x800;
export const CLONE_THREAD = 0x10000;
export const CLONE_SYSVSEM = 0x40000;
export const CLONE_SETTLS = 0x80000;
export const CLONE_PARENT_SETTID = 0x100000;
export const CLONE_CHILD_CLEARTID = 0x200000;
export const CLONE_CHILD_SETTID = 0x1000000;

const THREAD_FLAGS = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;

/** ARM argument order: flags, child_stack, parent_tidptr, tls, child_tidptr. */
export function sysClone(ctx: ThreadContext, flags: number, stack: number, ptid: number, tls: number, ctid: number): number {
  if ((flags & THREAD_FLAGS) !== THREAD_FLAGS) {
    ctx.warnOnce('clone-fork', `mttcg: clone with flags 0x${(flags >>> 0).toString(16)} (fork/vfork) is not supported (ENOSYS)`);
    return -ENOSYS;
  }
  if (stack === 0) return -EINVAL;
  return ctx.spawnThread({ flags, childStack: stack, parentTidPtr: ptid, tls, childTidPtr: ctid });
}
