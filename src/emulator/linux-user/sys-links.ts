// Links: link/linkat (a second name for a file) and symlink/symlinkat. Both
// names go through the path policy like any other path call: the new name
// must lie in a writable --allow-dir, and so must a hard link's source, or a
// file in a read-only tree (the sysroot, the program's directory) could be
// changed through its new name (EROFS). A symlink's target is stored as the
// guest wrote it and checked only when something follows it, which the
// policy does by resolving the real path first: a link cannot lead a later
// open outside the allowed tree.

import * as fs from 'node:fs';
import { EACCES, EBUSY, EINVAL, ENOENT, EPERM } from './errno.js';
import type { FdTable } from './fd-table.js';
import { onGuestPath } from './sys-paths.js';
import { AT_EMPTY_PATH, AT_FDCWD, readGuestPath } from './sys-file-util.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';

export const NR_link = 9;
export const NR_symlink = 83;
export const NR_linkat = 330;
export const NR_symlinkat = 331;

const AT_SYMLINK_FOLLOW = 0x400;
const WRITE_NO_FOLLOW = { follow: false, write: true };

/** linkat(olddirfd, oldpath, newdirfd, newpath, flags). */
function linkat(ctx: SyscallContext, fds: FdTable, oldDir: number, oldAddr: number, newDir: number, newAddr: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  // Linking an fd's file by AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH: an unprivileged caller gets ENOENT.
  if (flags & AT_EMPTY_PATH && readGuestPath(ctx.access, oldAddr) === '') return -ENOENT;
  const from = { follow: (flags & AT_SYMLINK_FOLLOW) !== 0, write: true };
  return onGuestPath(ctx, fds, oldDir, oldAddr, from, (_r, src) => onGuestPath(ctx, fds, newDir, newAddr, WRITE_NO_FOLLOW, (_r2, dst) => {
    if (src === null || dst === null) return -EPERM; // a device file
    if (src.name === null) return -EPERM; // the allowed directory itself: a directory
    if (dst.name === null) return -EBUSY;
    fs.linkSync(src.path, dst.path);
    return 0;
  }));
}

/** symlinkat(target, newdirfd, linkpath). */
function symlinkat(ctx: SyscallContext, fds: FdTable, targetAddr: number, newDir: number, newAddr: number): number {
  const target = readGuestPath(ctx.access, targetAddr);
  if (typeof target === 'number') return target;
  if (target === '') return -ENOENT;
  return onGuestPath(ctx, fds, newDir, newAddr, WRITE_NO_FOLLOW, (_r, at) => {
    if (at === null) return -EACCES;
    if (at.name === null) return -EBUSY;
    fs.symlinkSync(target, at.path);
    return 0;
  });
}

export function linkSyscalls(fds: FdTable): [number, SyscallHandler][] {
  return [
    [NR_link, (ctx, from, to) => linkat(ctx, fds, AT_FDCWD, from, AT_FDCWD, to, 0)],
    [NR_linkat, (ctx, od, op, nd, np, flags) => linkat(ctx, fds, od, op, nd, np, flags)],
    [NR_symlink, (ctx, target, to) => symlinkat(ctx, fds, target, AT_FDCWD, to)],
    [NR_symlinkat, (ctx, target, nd, np) => symlinkat(ctx, fds, target, nd, np)],
  ];
}
