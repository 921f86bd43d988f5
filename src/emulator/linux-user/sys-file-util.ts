// Helpers shared by the file syscalls (sys-files, sys-io, sys-paths, sys-stat):
// error mapping (guest memory faults become EFAULT, host errors their errno),
// guest path reading, *at() directory bases and blocking host calls.

import * as fs from 'node:fs';
import { EBADF, EFAULT, ENAMETOOLONG, ENOTDIR, errnoFromNode } from './errno.js';
import { type FdTable } from './fd-table.js';
import { KIND_DIR } from './open-file-kinds.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';
import { BadGuestAddress, type KernelAccess } from '../softmmu/kernel-access.js';

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_EACCESS = 0x200;
export const AT_EMPTY_PATH = 0x1000;
export const PATH_MAX = 4096;

/** Errnos errno.ts does not list, by Node error code. */
const EXTRA_ERRNO: Record<string, number> = {
  ENXIO: 6, EXDEV: 18, ENODEV: 19, EFBIG: 27, ENOSPC: 28, EMLINK: 31, ETXTBSY: 26, EOVERFLOW: 75,
  EOPNOTSUPP: 95, EDQUOT: 122, ENOTSUP: 95, EBUSY: 16,
};
export const EOVERFLOW = 75;
export const EOPNOTSUPP = 95;

/** Linux errno for a host (Node) error. */
export function hostErrno(e: unknown): number {
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && code in EXTRA_ERRNO) return EXTRA_ERRNO[code]!;
  return errnoFromNode(e);
}

/** Whether a thrown value is a host system call failure (not a bug such as ERR_INVALID_ARG_TYPE). */
export function isHostError(e: unknown): boolean {
  const x = e as { code?: unknown; errno?: unknown };
  return e instanceof Error && typeof x.code === 'string' && typeof x.errno === 'number';
}

/** Wraps a handler: guest memory faults → -EFAULT, host system errors → -errno. */
export function guarded(fn: SyscallHandler): SyscallHandler {
  return (ctx, a0, a1, a2, a3, a4, a5) => {
    try {
      return fn(ctx, a0, a1, a2, a3, a4, a5);
    } catch (e) {
      if (e instanceof BadGuestAddress) return -EFAULT;
      if (isHostError(e)) return -hostErrno(e);
      throw e;
    }
  };
}

/** A NUL-terminated guest path: ENAMETOOLONG past PATH_MAX, BadGuestAddress if unreadable. */
export function readGuestPath(access: KernelAccess, addr: number): string | number {
  try {
    return access.readCString(addr >>> 0, PATH_MAX);
  } catch (e) {
    if (!(e instanceof BadGuestAddress)) throw e;
    try {
      access.check(addr >>> 0, PATH_MAX, false);
    } catch {
      throw e;
    }
    return -ENAMETOOLONG; // readable, but no NUL within PATH_MAX bytes
  }
}

/**
 * Host directory that relative paths of an *at() call start from: the host
 * cwd for AT_FDCWD, else the directory open as dirfd (found via /proc).
 */
export function dirBase(fds: FdTable, dirfd: number): string | number {
  if (dirfd === AT_FDCWD) return fds.cwd();
  const f = fds.get(dirfd);
  if (!f) return -EBADF;
  try {
    if (fds.kind(f) !== KIND_DIR) return -ENOTDIR;
    return fs.readlinkSync(`/proc/self/fd/${f.hostFd}`);
  } finally {
    fds.put(f);
  }
}

/**
 * Runs a host call that may block (a pipe or tty read or write) with the
 * vCPU marked as blocked in the kernel, when the context supports it. fn
 * must not touch guest memory: the world may be stopped meanwhile.
 */
export function hostBlocking<T>(ctx: SyscallContext, fn: () => T): T {
  if (!ctx.enterBlocking || !ctx.leaveBlocking) return fn();
  // A pipe or tty may block for ever, legitimately: not a futex deadlock.
  ctx.enterBlocking(false, 0);
  try {
    return fn();
  } finally {
    ctx.leaveBlocking();
  }
}

/** Sleeps ms milliseconds (EAGAIN back-off on a host fd Node made non-blocking). */
export { sleepMs } from '../shared/host-sleep.js';

/** Writes a little-endian u64 (from a bigint or number) into a DataView. */
export function setU64(dv: DataView, at: number, v: bigint | number): void {
  dv.setBigUint64(at, BigInt.asUintN(64, BigInt(v)), true);
}

/** A 64-bit syscall argument passed in a register pair (low word first, little-endian EABI). */
export function pair(lo: number, hi: number): number {
  return (hi | 0) * 0x100000000 + (lo >>> 0);
}
