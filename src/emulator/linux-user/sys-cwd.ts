// chdir and fchdir, inside the sandbox (path-policy.ts): the working
// directory is a directory the guest may see, kept per process beside its
// fd table (FdTable.cwd; threads share it, fork copies it, execve keeps it).
// Relative paths and getcwd use it. A directory outside --allow-dir looks
// missing (ENOENT), as every path there does.

import * as fs from 'node:fs';
import { EACCES, ENAMETOOLONG, ENOTDIR } from './errno.js';
import { type FdTable } from './fd-table.js';
import { KIND_DIR } from './open-file-kinds.js';
import { allowedRoots, isInside, withGuestPath } from './path-policy.js';
import { readGuestPath } from './sys-file-util.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';

export const NR_chdir = 12;
export const NR_fchdir = 133;

/** Moves the working directory to `host` (a resolved, allowed, existing directory). */
function moveTo(fds: FdTable, host: string, isDir: boolean): number {
  if (!isDir) return -ENOTDIR;
  try {
    fs.accessSync(host, fs.constants.X_OK);
  } catch {
    return -EACCES;
  }
  return fds.setCwd(host) ? 0 : -ENAMETOOLONG;
}

function sysChdir(ctx: SyscallContext, fds: FdTable, addr: number): number {
  const p = readGuestPath(ctx.access, addr);
  if (typeof p === 'number') return p;
  const base = p.startsWith('/') ? '/' : fds.cwd();
  return withGuestPath(ctx, p, base, { follow: true, write: false }, (r, at) => {
    if (at === null) return -ENOTDIR; // a device file
    return moveTo(fds, r.host.replace(/\/$/, '') || '/', at.stat(true).isDirectory());
  });
}

function sysFchdir(ctx: SyscallContext, fds: FdTable, fd: number): number {
  return fds.with(fd, (f) => {
    if (fds.kind(f) !== KIND_DIR) return -ENOTDIR;
    const host = fs.readlinkSync(`/proc/self/fd/${f.hostFd}`);
    // A directory fd the guest could only have inherited from outside the sandbox.
    if (!isInside(host, allowedRoots(ctx.options))) return -EACCES;
    return moveTo(fds, host, true);
  });
}

export function cwdSyscalls(fds: FdTable): [number, SyscallHandler][] {
  return [
    [NR_chdir, (ctx, path) => sysChdir(ctx, fds, path)],
    [NR_fchdir, (ctx, fd) => sysFchdir(ctx, fds, fd)],
  ];
}
