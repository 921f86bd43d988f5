// Path syscalls: open/openat/creat, access/faccessat(2), readlink(at), getcwd,
// unlink(at)/rmdir, mkdir(at), rename(at/2), truncate64. Every guest path
// goes through path-policy.ts (only --allow-dir and a few device files are
// visible), and the host call is made on the object its symlink-free walk
// reached (host-at.ts), so a racing rename cannot redirect it.

import * as fs from 'node:fs';
import { EACCES, EBUSY, EEXIST, EINVAL, ERANGE } from './errno.js';
import { FdTable } from './fd-table.js';
import {
  G___O_SYNC, G___O_TMPFILE, G_O_ACCMODE, G_O_APPEND, G_O_CLOEXEC, G_O_CREAT, G_O_DIRECTORY, G_O_DSYNC, G_O_EXCL, G_O_NOCTTY, G_O_NOFOLLOW,
  G_O_NONBLOCK, G_O_PATH, G_O_TRUNC, G_O_WRONLY, KIND_DEVNULL, KIND_STREAM, kindOfHostFd,
} from './open-file-kinds.js';
import type { HostAt } from './host-at.js';
import { isSelfExe, withGuestPath, type PathRequest, type ResolvedPath } from './path-policy.js';
import {
  AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, EOPNOTSUPP, dirBase, pair,
  readGuestPath,
} from './sys-file-util.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';
import { cwdSyscalls } from './sys-cwd.js';

export const NR_open = 5;
export const NR_creat = 8;
export const NR_unlink = 10;
export const NR_access = 33;
export const NR_rename = 38;
export const NR_mkdir = 39;
export const NR_rmdir = 40;
export const NR_readlink = 85;
export const NR_truncate = 92;
export const NR_getcwd = 183;
export const NR_truncate64 = 193;
export const NR_openat = 322;
export const NR_mkdirat = 323;
export const NR_unlinkat = 328;
export const NR_renameat = 329;
export const NR_readlinkat = 332;
export const NR_faccessat = 334;
export const NR_renameat2 = 382;
export const NR_faccessat2 = 439;

const C = fs.constants;
/** Guest flag → host flag (x86-64 and arm64 hosts differ from ARM on O_DIRECTORY/O_NOFOLLOW). */
const HOST_FLAGS: readonly (readonly [number, number])[] = [
  [G_O_CREAT, C.O_CREAT], [G_O_EXCL, C.O_EXCL], [G_O_NOCTTY, C.O_NOCTTY], [G_O_TRUNC, C.O_TRUNC],
  [G_O_APPEND, C.O_APPEND], [G_O_NONBLOCK, C.O_NONBLOCK], [G_O_DSYNC, C.O_DSYNC], [G___O_SYNC, C.O_SYNC & ~C.O_DSYNC],
  [G_O_DIRECTORY, C.O_DIRECTORY], [G_O_NOFOLLOW, C.O_NOFOLLOW],
];
/** Flags that only matter while opening: not part of the OFD's status. */
const OPEN_ONLY = G_O_CREAT | G_O_EXCL | G_O_NOCTTY | G_O_TRUNC | G_O_CLOEXEC;

function hostOpenFlags(g: number): number {
  let h = g & 3;
  for (const [gf, hf] of HOST_FLAGS) if (g & gf) h |= hf;
  return h;
}

/**
 * Reads a guest path and runs `use` on it, relative to dirfd, under the path
 * policy and without a window for a racing rename (withGuestPath).
 */
export function onGuestPath(
  ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, req: PathRequest,
  use: (r: ResolvedPath, at: HostAt | null) => number,
): number {
  const p = readGuestPath(ctx.access, addr);
  if (typeof p === 'number') return p;
  const base = p.startsWith('/') ? '/' : dirBase(fds, dirfd);
  if (typeof base === 'number') return base;
  return withGuestPath(ctx, p, base, req, use);
}

function openat(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, flags: number, mode: number): number {
  if ((flags & G___O_TMPFILE) === G___O_TMPFILE) return -EOPNOTSUPP;
  if (flags & G_O_PATH) flags &= G_O_PATH | G_O_DIRECTORY | G_O_NOFOLLOW | G_O_CLOEXEC; // read-only handle
  const write = (flags & G_O_ACCMODE) !== 0 || (flags & (G_O_CREAT | G_O_TRUNC)) !== 0;
  const creatExcl = (flags & (G_O_CREAT | G_O_EXCL)) === (G_O_CREAT | G_O_EXCL);
  const noFollow = (flags & G_O_NOFOLLOW) !== 0;
  return onGuestPath(ctx, fds, dirfd, addr, { follow: !noFollow && !creatExcl, write }, (r, at) => {
    let host: number;
    let kind: number;
    if (at === null) {
      host = fs.openSync(r.host, (flags & 3) | (flags & G_O_DIRECTORY ? C.O_DIRECTORY : 0));
      kind = r.host === '/dev/null' ? KIND_DEVNULL : KIND_STREAM;
    } else {
      host = at.open(hostOpenFlags(flags), mode & 0o7777, noFollow);
      try {
        kind = kindOfHostFd(host);
      } catch (e) {
        fs.closeSync(host);
        throw e;
      }
    }
    const fd = fds.install(host, kind, flags & ~OPEN_ONLY, (flags & G_O_CLOEXEC) !== 0);
    if (fd < 0) fs.closeSync(host);
    return fd;
  });
}

function faccessat(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, mode: number, flags: number): number {
  if (mode & ~7 || flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const follow = !(flags & AT_SYMLINK_NOFOLLOW);
  const req = { follow, write: (mode & 2) !== 0 };
  const check = (r: ResolvedPath, at: HostAt | null): number => {
    if (at === null) fs.accessSync(r.host, mode);
    else at.access(mode, follow);
    return 0;
  };
  const p = readGuestPath(ctx.access, addr);
  if (p === '' && flags & AT_EMPTY_PATH) {
    if (dirfd === AT_FDCWD) return withGuestPath(ctx, '.', fds.cwd(), req, check);
    return fds.with(dirfd, (f) => {
      fs.accessSync(`/proc/self/fd/${f.hostFd}`, mode);
      return 0;
    });
  }
  return onGuestPath(ctx, fds, dirfd, addr, req, check);
}

function readlinkat(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, buf: number, size: number): number {
  if (size <= 0) return -EINVAL;
  const p = readGuestPath(ctx.access, addr);
  if (typeof p === 'number') return p;
  const base = p.startsWith('/') ? '/' : dirBase(fds, dirfd);
  if (typeof base === 'number') return base;
  const put = (target: Uint8Array): number => {
    const out = target.subarray(0, Math.min(target.length, size));
    ctx.access.write(buf >>> 0, out);
    return out.length;
  };
  if (isSelfExe(p, base)) return put(Buffer.from(ctx.options.exePath));
  return withGuestPath(ctx, p, base, { follow: false, write: false }, (r, at) => {
    if (at?.name === null) return -EINVAL; // the allowed directory itself is no symlink
    return put(fs.readlinkSync(at === null ? r.host : at.path, { encoding: 'buffer' }));
  });
}

function getcwd(ctx: SyscallContext, fds: FdTable, buf: number, size: number): number {
  const cwd = Buffer.from(`${fds.cwd()}\0`);
  if ((size >>> 0) < cwd.length) return -ERANGE;
  ctx.access.write(buf >>> 0, cwd);
  return cwd.length;
}

function unlinkat(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, flags: number): number {
  if (flags & ~AT_REMOVEDIR) return -EINVAL;
  return onGuestPath(ctx, fds, dirfd, addr, { follow: false, write: true }, (_r, at) => {
    if (at === null) return -EACCES;
    if (at.name === null) return -EBUSY; // the allowed directory itself
    if (flags & AT_REMOVEDIR) fs.rmdirSync(at.path);
    else fs.unlinkSync(at.path);
    return 0;
  });
}

function mkdirat(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, mode: number): number {
  return onGuestPath(ctx, fds, dirfd, addr, { follow: false, write: true }, (_r, at) => {
    if (at === null || at.name === null) return -EEXIST;
    fs.mkdirSync(at.path, { mode: mode & 0o7777 });
    return 0;
  });
}

function renameat(ctx: SyscallContext, fds: FdTable, oldDir: number, oldAddr: number, newDir: number, newAddr: number, flags: number): number {
  if (flags !== 0) return -EINVAL; // RENAME_NOREPLACE/EXCHANGE/WHITEOUT: not offered
  const req = { follow: false, write: true };
  return onGuestPath(ctx, fds, oldDir, oldAddr, req, (_r, from) => onGuestPath(ctx, fds, newDir, newAddr, req, (_r2, to) => {
    if (from === null || to === null) return -EACCES;
    if (from.name === null || to.name === null) return -EBUSY;
    fs.renameSync(from.path, to.path);
    return 0;
  }));
}

function truncate(ctx: SyscallContext, fds: FdTable, addr: number, len: number): number {
  if (len < 0) return -EINVAL;
  return onGuestPath(ctx, fds, AT_FDCWD, addr, { follow: true, write: true }, (_r, at) => {
    if (at === null) return -EINVAL;
    at.truncate(len);
    return 0;
  });
}

export function pathSyscalls(fds: FdTable): [number, SyscallHandler][] {
  return [
    [NR_open, (ctx, path, flags, mode) => openat(ctx, fds, AT_FDCWD, path, flags, mode)],
    [NR_creat, (ctx, path, mode) => openat(ctx, fds, AT_FDCWD, path, G_O_CREAT | G_O_WRONLY | G_O_TRUNC, mode)],
    [NR_openat, (ctx, dirfd, path, flags, mode) => openat(ctx, fds, dirfd, path, flags, mode)],
    [NR_access, (ctx, path, mode) => faccessat(ctx, fds, AT_FDCWD, path, mode, 0)],
    [NR_faccessat, (ctx, dirfd, path, mode) => faccessat(ctx, fds, dirfd, path, mode, 0)],
    [NR_faccessat2, (ctx, dirfd, path, mode, flags) => faccessat(ctx, fds, dirfd, path, mode, flags)],
    [NR_readlink, (ctx, path, buf, size) => readlinkat(ctx, fds, AT_FDCWD, path, buf, size)],
    [NR_readlinkat, (ctx, dirfd, path, buf, size) => readlinkat(ctx, fds, dirfd, path, buf, size)],
    [NR_getcwd, (ctx, buf, size) => getcwd(ctx, fds, buf, size)],
    ...cwdSyscalls(fds),
    [NR_unlink, (ctx, path) => unlinkat(ctx, fds, AT_FDCWD, path, 0)],
    [NR_rmdir, (ctx, path) => unlinkat(ctx, fds, AT_FDCWD, path, AT_REMOVEDIR)],
    [NR_unlinkat, (ctx, dirfd, path, flags) => unlinkat(ctx, fds, dirfd, path, flags)],
    [NR_mkdir, (ctx, path, mode) => mkdirat(ctx, fds, AT_FDCWD, path, mode)],
    [NR_mkdirat, (ctx, dirfd, path, mode) => mkdirat(ctx, fds, dirfd, path, mode)],
    [NR_rename, (ctx, from, to) => renameat(ctx, fds, AT_FDCWD, from, AT_FDCWD, to, 0)],
    [NR_renameat, (ctx, od, op, nd, np) => renameat(ctx, fds, od, op, nd, np, 0)],
    [NR_renameat2, (ctx, od, op, nd, np, flags) => renameat(ctx, fds, od, op, nd, np, flags)],
    [NR_truncate, (ctx, path, len) => truncate(ctx, fds, path, len | 0)],
    [NR_truncate64, (ctx, path, _pad, lo, hi) => truncate(ctx, fds, path, pair(lo, hi))],
  ];
}
