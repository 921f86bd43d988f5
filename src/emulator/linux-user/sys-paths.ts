// Path syscalls: open/openat, access/faccessat(2), readlink(at), getcwd,
// unlink(at)/rmdir, mkdir(at), rename(at/2), truncate64. Every guest path
// goes through path-policy.ts (only --allow-dir and a few device files are
// visible) and the host call uses the resolved host path it returns.

import * as fs from 'node:fs';
import { EACCES, EEXIST, EINVAL, ERANGE } from './errno.js';
import {
  FdTable, G_O_CLOEXEC, KIND_DEVNULL, KIND_STREAM, kindOfHostFd,
} from './fd-table.js';
import { isSelfExe, resolveGuestPath, type PathRequest, type ResolvedPath } from './path-policy.js';
import {
  AT_EACCESS, AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, EOPNOTSUPP, dirBase, pair,
  readGuestPath,
} from './sys-file-util.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';

export const NR_open = 5;
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

// ARM open flags (arch/arm/include/uapi/asm/fcntl.h over asm-generic).
const O_CREAT = 0o100;
const O_EXCL = 0o200;
const O_NOCTTY = 0o400;
const O_TRUNC = 0o1000;
const O_DIRECTORY = 0o40000;
const O_NOFOLLOW = 0o100000;
const O_PATH = 0o10000000;
const O_TMPFILE = 0o20000000;
const C = fs.constants;
/** Guest flag → host flag (x86-64 and arm64 hosts differ from ARM on O_DIRECTORY/O_NOFOLLOW). */
const HOST_FLAGS: readonly (readonly [number, number])[] = [
  [O_CREAT, C.O_CREAT], [O_EXCL, C.O_EXCL], [O_NOCTTY, C.O_NOCTTY], [O_TRUNC, C.O_TRUNC],
  [0o2000, C.O_APPEND], [0o4000, C.O_NONBLOCK], [0o10000, C.O_DSYNC], [0o4000000, C.O_SYNC & ~C.O_DSYNC],
  [O_DIRECTORY, C.O_DIRECTORY], [O_NOFOLLOW, C.O_NOFOLLOW],
];
/** Flags that only matter while opening: not part of the OFD's status. */
const OPEN_ONLY = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | G_O_CLOEXEC;

function hostOpenFlags(g: number): number {
  let h = g & 3;
  for (const [gf, hf] of HOST_FLAGS) if (g & gf) h |= hf;
  return h;
}

/** Reads a guest path and resolves it relative to dirfd under the path policy. */
function guestPath(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, req: PathRequest): ResolvedPath | number {
  const p = readGuestPath(ctx.access, addr);
  if (typeof p === 'number') return p;
  const base = p.startsWith('/') ? '/' : dirBase(fds, dirfd);
  if (typeof base === 'number') return base;
  return resolveGuestPath(ctx, p, base, req);
}

function openat(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, flags: number, mode: number): number {
  if ((flags & O_TMPFILE) === O_TMPFILE) return -EOPNOTSUPP;
  if (flags & O_PATH) flags &= O_PATH | O_DIRECTORY | O_NOFOLLOW | G_O_CLOEXEC; // read-only handle
  const write = (flags & 3) !== 0 || (flags & (O_CREAT | O_TRUNC)) !== 0;
  const creatExcl = (flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL);
  const r = guestPath(ctx, fds, dirfd, addr, { follow: !(flags & O_NOFOLLOW) && !creatExcl, write });
  if (typeof r === 'number') return r;
  let host: number;
  let kind: number;
  if (r.virtual) {
    host = fs.openSync(r.host, (flags & 3) | (flags & O_DIRECTORY ? C.O_DIRECTORY : 0));
    kind = r.host === '/dev/null' ? KIND_DEVNULL : KIND_STREAM;
  } else {
    host = fs.openSync(r.host, hostOpenFlags(flags), mode & 0o7777);
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
}

function faccessat(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, mode: number, flags: number): number {
  if (mode & ~7 || flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const p = readGuestPath(ctx.access, addr);
  if (p === '' && flags & AT_EMPTY_PATH) {
    if (dirfd === AT_FDCWD) {
      const cwd = resolveGuestPath(ctx, '.', process.cwd(), { follow: true, write: (mode & 2) !== 0 });
      if (typeof cwd === 'number') return cwd;
      fs.accessSync(cwd.host, mode);
      return 0;
    }
    return fds.with(dirfd, (f) => {
      fs.accessSync(`/proc/self/fd/${f.hostFd}`, mode);
      return 0;
    });
  }
  const r = guestPath(ctx, fds, dirfd, addr, { follow: !(flags & AT_SYMLINK_NOFOLLOW), write: (mode & 2) !== 0 });
  if (typeof r === 'number') return r;
  fs.accessSync(r.host, mode);
  return 0;
}

function readlinkat(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, buf: number, size: number): number {
  if (size <= 0) return -EINVAL;
  const p = readGuestPath(ctx.access, addr);
  if (typeof p === 'number') return p;
  const base = p.startsWith('/') ? '/' : dirBase(fds, dirfd);
  if (typeof base === 'number') return base;
  let target: Uint8Array;
  if (isSelfExe(p, base)) {
    target = Buffer.from(ctx.options.exePath);
  } else {
    const r = resolveGuestPath(ctx, p, base, { follow: false, write: false });
    if (typeof r === 'number') return r;
    target = fs.readlinkSync(r.host, { encoding: 'buffer' });
  }
  const out = target.subarray(0, Math.min(target.length, size));
  ctx.access.write(buf >>> 0, out);
  return out.length;
}

function getcwd(ctx: SyscallContext, buf: number, size: number): number {
  const cwd = Buffer.from(`${process.cwd()}\0`);
  if ((size >>> 0) < cwd.length) return -ERANGE;
  ctx.access.write(buf >>> 0, cwd);
  return cwd.length;
}

function unlinkat(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, flags: number): number {
  if (flags & ~AT_REMOVEDIR) return -EINVAL;
  const r = guestPath(ctx, fds, dirfd, addr, { follow: false, write: true });
  if (typeof r === 'number') return r;
  if (r.virtual) return -EACCES;
  if (flags & AT_REMOVEDIR) fs.rmdirSync(r.host);
  else fs.unlinkSync(r.host);
  return 0;
}

function mkdirat(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, mode: number): number {
  const r = guestPath(ctx, fds, dirfd, addr, { follow: false, write: true });
  if (typeof r === 'number') return r;
  if (r.virtual) return -EEXIST;
  fs.mkdirSync(r.host, { mode: mode & 0o7777 });
  return 0;
}

function renameat(ctx: SyscallContext, fds: FdTable, oldDir: number, oldAddr: number, newDir: number, newAddr: number, flags: number): number {
  if (flags !== 0) return -EINVAL; // RENAME_NOREPLACE/EXCHANGE/WHITEOUT: not offered
  const from = guestPath(ctx, fds, oldDir, oldAddr, { follow: false, write: true });
  if (typeof from === 'number') return from;
  const to = guestPath(ctx, fds, newDir, newAddr, { follow: false, write: true });
  if (typeof to === 'number') return to;
  if (from.virtual || to.virtual) return -EACCES;
  fs.renameSync(from.host, to.host);
  return 0;
}

function truncate(ctx: SyscallContext, fds: FdTable, addr: number, len: number): number {
  if (len < 0) return -EINVAL;
  const r = guestPath(ctx, fds, AT_FDCWD, addr, { follow: true, write: true });
  if (typeof r === 'number') return r;
  if (r.virtual) return -EINVAL;
  fs.truncateSync(r.host, len);
  return 0;
}

export function pathSyscalls(fds: FdTable): [number, SyscallHandler][] {
  return [
    [NR_open, (ctx, path, flags, mode) => openat(ctx, fds, AT_FDCWD, path, flags, mode)],
    [NR_openat, (ctx, dirfd, path, flags, mode) => openat(ctx, fds, dirfd, path, flags, mode)],
    [NR_access, (ctx, path, mode) => faccessat(ctx, fds, AT_FDCWD, path, mode, 0)],
    [NR_faccessat, (ctx, dirfd, path, mode) => faccessat(ctx, fds, dirfd, path, mode, 0)],
    [NR_faccessat2, (ctx, dirfd, path, mode, flags) => faccessat(ctx, fds, dirfd, path, mode, flags)],
    [NR_readlink, (ctx, path, buf, size) => readlinkat(ctx, fds, AT_FDCWD, path, buf, size)],
    [NR_readlinkat, (ctx, dirfd, path, buf, size) => readlinkat(ctx, fds, dirfd, path, buf, size)],
    [NR_getcwd, (ctx, buf, size) => getcwd(ctx, buf, size)],
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
