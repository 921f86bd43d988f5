// File attributes: chmod/fchmod/fchmodat, utimensat (32- and 64-bit time),
// utimes/futimesat, the chown family, statfs64/fstatfs64. Paths go through
// the policy like every path call (a change needs a writable --allow-dir;
// the sysroot answers EROFS). Through an fd, a change is made only when the
// object the fd names lies inside a writable --allow-dir (an inherited
// stdout redirected to a host file stays untouched: EPERM). Ownership never
// changes: a chown that would change nothing succeeds, any other is EPERM,
// as for an unprivileged user (the guest cannot change the host's owners).

import * as fs from 'node:fs';
import { clockNs, CLOCK_REALTIME, readTimespecFields } from './guest-clock.js';
import { EFAULT, EINVAL, EPERM, EROFS } from './errno.js';
import type { FdTable, OpenFile } from './fd-table.js';
import type { HostAt } from './host-at.js';
import { KIND_PIPE_READ, KIND_PIPE_WRITE } from './open-file-kinds.js';
import { allowedRoots, isInside, readOnlyRoots } from './path-policy.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, EOPNOTSUPP, readGuestPath, setU64 } from './sys-file-util.js';
import { onGuestPath } from './sys-paths.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';

export const NR_chmod = 15;
export const NR_lchown = 16;
export const NR_fchmod = 94;
export const NR_fchown = 95;
export const NR_chown = 182;
export const NR_lchown32 = 198;
export const NR_fchown32 = 207;
export const NR_chown32 = 212;
export const NR_statfs64 = 266;
export const NR_fstatfs64 = 267;
export const NR_utimes = 269;
export const NR_fchownat = 325;
export const NR_futimesat = 326;
export const NR_fchmodat = 333;
export const NR_utimensat = 348;
export const NR_utimensat_time64 = 412;

const UTIME_NOW = 0x3fffffff;
const UTIME_OMIT = 0x3ffffffe;
/** struct statfs64 on ARM EABI: packed, 4-byte aligned (asm/statfs.h). */
const STATFS64_SIZE = 84;
const STATFS64_EABI_SIZE = 88;
const ST_RDONLY = 1;
const ST_VALID = 0x20;
const NAME_MAX = 255;

/** One timestamp to set: seconds and nanoseconds, or null to keep it (UTIME_OMIT). */
type Stamp = { readonly sec: bigint; readonly nsec: number } | null;

/** Runs `use` on the host object an fd names when a change there is allowed (pipes: nothing to change). */
function onFdObject(ctx: SyscallContext, fds: FdTable, fd: number, use: (objectPath: string) => number): number {
  return fds.with(fd, (f: OpenFile) => {
    const kind = fds.kind(f);
    if (kind === KIND_PIPE_READ || kind === KIND_PIPE_WRITE) return 0;
    const objectPath = `/proc/self/fd/${f.hostFd}`;
    let real: string;
    try {
      real = fs.readlinkSync(objectPath);
    } catch {
      return -EPERM;
    }
    if (!isInside(real, allowedRoots(ctx.options))) return isInside(real, readOnlyRoots(ctx.options)) ? -EROFS : -EPERM;
    return use(objectPath);
  });
}

/** Runs `use` on a guest path's object (following it or not); devices are not changed (EPERM). */
function onPathObject(
  ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, follow: boolean,
  use: (objectPath: string | null, at: HostAt) => number,
): number {
  return onGuestPath(ctx, fds, dirfd, addr, { follow, write: true }, (_r, at) => {
    if (at === null) return -EPERM;
    return at.onObject(follow, (p) => use(p, at));
  });
}

/** dirfd + path + flags, the *at convention: AT_EMPTY_PATH with "" means dirfd itself. */
function onAtObject(
  ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, flags: number,
  use: (objectPath: string | null, linkPath: string | null) => number,
): number {
  if (flags & AT_EMPTY_PATH && dirfd !== AT_FDCWD && readGuestPath(ctx.access, addr) === '') {
    return onFdObject(ctx, fds, dirfd, (p) => use(p, null));
  }
  return onPathObject(ctx, fds, dirfd, addr, !(flags & AT_SYMLINK_NOFOLLOW), (p, at) => use(p, p === null ? at.path : null));
}

function chmodAt(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, mode: number, flags: number): number {
  if (flags & ~AT_SYMLINK_NOFOLLOW) return -EINVAL;
  return onPathObject(ctx, fds, dirfd, addr, !(flags & AT_SYMLINK_NOFOLLOW), (p) => {
    if (p === null) return -EOPNOTSUPP; // a symlink's mode cannot be changed on Linux
    fs.chmodSync(p, mode & 0o7777);
    return 0;
  });
}

/** The new times, or -EINVAL; null `timesAddr` means both now. `width` is 8 (time32) or 16 (time64). */
function readTimespecs(ctx: SyscallContext, timesAddr: number, width: 8 | 16): [Stamp, Stamp] | number {
  const now = (): Stamp => {
    const ns = clockNs(CLOCK_REALTIME)!;
    return { sec: ns / 1_000_000_000n, nsec: Number(ns % 1_000_000_000n) };
  };
  if (timesAddr === 0) return [now(), now()];
  const stamps: Stamp[] = [];
  for (let i = 0; i < 2; i++) {
    const { sec, nsec } = readTimespecFields(ctx.access, (timesAddr + i * width) >>> 0, width === 16);
    if (nsec === UTIME_NOW) stamps.push(now());
    else if (nsec === UTIME_OMIT) stamps.push(null);
    else if (nsec < 0 || nsec >= 1_000_000_000) return -EINVAL;
    else stamps.push({ sec, nsec });
  }
  return [stamps[0]!, stamps[1]!];
}

/** struct timeval[2] (utimes, futimesat): microseconds; null means both now. */
function readTimevals(ctx: SyscallContext, timesAddr: number): [Stamp, Stamp] | number {
  if (timesAddr === 0) return readTimespecs(ctx, 0, 8);
  const raw = ctx.access.read(timesAddr >>> 0, 16);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const stamps: Stamp[] = [];
  for (let i = 0; i < 2; i++) {
    const usec = dv.getInt32(i * 8 + 4, true);
    if (usec < 0 || usec >= 1_000_000) return -EINVAL;
    stamps.push({ sec: BigInt(dv.getInt32(i * 8, true)), nsec: usec * 1000 });
  }
  return [stamps[0]!, stamps[1]!];
}

/**
 * Sets the times through Node's fs.utimes, which takes seconds as a double:
 * below a microsecond the value is rounded (about 0.25 us for today's dates),
 * and an omitted time is written back from stat with the same rounding.
 */
function setTimes(objectPath: string | null, linkPath: string | null, [atime, mtime]: [Stamp, Stamp]): number {
  if (atime === null && mtime === null) return 0;
  const st = objectPath === null ? fs.lstatSync(linkPath!, { bigint: true }) : fs.statSync(objectPath, { bigint: true });
  const seconds = (s: Stamp, keepNs: bigint): number =>
    s === null ? Number(keepNs / 1_000_000n) / 1000 + Number(keepNs % 1_000_000n) / 1e9 : Number(s.sec) + s.nsec / 1e9;
  const a = seconds(atime, st.atimeNs);
  const m = seconds(mtime, st.mtimeNs);
  if (objectPath === null) fs.lutimesSync(linkPath!, a, m);
  else fs.utimesSync(objectPath, a, m);
  return 0;
}

function utimensAt(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, timesAddr: number, flags: number, width: 8 | 16): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const times = readTimespecs(ctx, timesAddr, width);
  if (typeof times === 'number') return times;
  if (addr === 0) {
    // futimens(fd, times): glibc passes a NULL path.
    if (dirfd === AT_FDCWD) return -EFAULT;
    if (flags & AT_SYMLINK_NOFOLLOW) return -EINVAL;
    return onFdObject(ctx, fds, dirfd, (p) => setTimes(p, null, times));
  }
  return onAtObject(ctx, fds, dirfd, addr, flags, (p, link) => setTimes(p, link, times));
}

function utimesAt(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, timesAddr: number): number {
  const times = readTimevals(ctx, timesAddr);
  if (typeof times === 'number') return times;
  return onPathObject(ctx, fds, dirfd, addr, true, (p, at) => setTimes(p, at.path, times));
}

/** -1 in the call's width: "leave unchanged". */
function isUnchanged(id: number, wide: boolean): boolean {
  return wide ? id >>> 0 === 0xffffffff : (id & 0xffff) === 0xffff;
}

/** A chown that changes nothing succeeds; the guest cannot give a file away or take it (EPERM). */
function chownObject(objectPath: string | null, linkPath: string | null, uid: number, gid: number, wide: boolean): number {
  const st = objectPath === null ? fs.lstatSync(linkPath!) : fs.statSync(objectPath);
  const mask = wide ? 0xffffffff : 0xffff;
  const uidOk = isUnchanged(uid, wide) || (uid & mask) >>> 0 === st.uid;
  const gidOk = isUnchanged(gid, wide) || (gid & mask) >>> 0 === st.gid;
  return uidOk && gidOk ? 0 : -EPERM;
}

function chownAt(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, uid: number, gid: number, flags: number, wide: boolean): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  return onAtObject(ctx, fds, dirfd, addr, flags, (p, link) => chownObject(p, link, uid, gid, wide));
}

function fchown(ctx: SyscallContext, fds: FdTable, fd: number, uid: number, gid: number, wide: boolean): number {
  return onFdObject(ctx, fds, fd, (p) => chownObject(p, null, uid, gid, wide));
}

/** The fields of struct statfs64 that mttcg fills (f_fsid stays 0). */
interface FsInfo {
  readonly type: bigint;
  readonly bsize: bigint;
  readonly blocks: bigint;
  readonly bfree: bigint;
  readonly bavail: bigint;
  readonly files: bigint;
  readonly ffree: bigint;
}

/** A pipe's file system as the kernel's simple_statfs reports it: PIPEFS_MAGIC, a page per block, nothing else. */
const PIPEFS: FsInfo = { type: 0x50495045n, bsize: 4096n, blocks: 0n, bfree: 0n, bavail: 0n, files: 0n, ffree: 0n };

/** struct statfs64; of the mount flags only read-only is known here (the sysroot), the rest read as clear. */
function encodeStatfs64(st: FsInfo, readOnly: boolean): Uint8Array {
  const out = new Uint8Array(STATFS64_SIZE);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, Number(st.type & 0xffffffffn), true);
  dv.setUint32(4, Number(st.bsize), true);
  setU64(dv, 8, st.blocks);
  setU64(dv, 16, st.bfree);
  setU64(dv, 24, st.bavail);
  setU64(dv, 32, st.files);
  setU64(dv, 40, st.ffree);
  dv.setUint32(56, NAME_MAX, true);
  dv.setUint32(60, Number(st.bsize), true); // f_frsize
  dv.setUint32(64, ST_VALID | (readOnly ? ST_RDONLY : 0), true);
  return out;
}

function statfs64(ctx: SyscallContext, fds: FdTable, target: { path: number } | { fd: number }, size: number, buf: number): number {
  // EABI userspace passes 88 (the struct padded to 8 bytes); the kernel's ARM wrapper takes it as 84.
  if (size !== STATFS64_SIZE && size !== STATFS64_EABI_SIZE) return -EINVAL;
  const put = (info: FsInfo, readOnly: boolean): number => {
    ctx.access.write(buf >>> 0, encodeStatfs64(info, readOnly));
    return 0;
  };
  const host = (p: string): number => {
    let readOnly = false;
    try {
      readOnly = isInside(fs.realpathSync(p), readOnlyRoots(ctx.options));
    } catch {
      // a virtual device: not under a read-only root
    }
    return put(fs.statfsSync(p, { bigint: true }), readOnly);
  };
  if ('fd' in target) {
    return fds.with(target.fd, (f) => {
      const kind = fds.kind(f);
      if (kind === KIND_PIPE_READ || kind === KIND_PIPE_WRITE) return put(PIPEFS, false);
      return host(`/proc/self/fd/${f.hostFd}`);
    });
  }
  return onGuestPath(ctx, fds, AT_FDCWD, target.path, { follow: true, write: false }, (r, at) => host(at === null ? r.host : at.path));
}

export function fileAttrSyscalls(fds: FdTable): [number, SyscallHandler][] {
  return [
    [NR_chmod, (ctx, path, mode) => chmodAt(ctx, fds, AT_FDCWD, path, mode, 0)],
    [NR_fchmodat, (ctx, dirfd, path, mode) => chmodAt(ctx, fds, dirfd, path, mode, 0)],
    [NR_fchmod, (ctx, fd, mode) => onFdObject(ctx, fds, fd, (p) => {
      fs.chmodSync(p, mode & 0o7777);
      return 0;
    })],
    [NR_utimensat, (ctx, dirfd, path, times, flags) => utimensAt(ctx, fds, dirfd, path, times, flags, 8)],
    [NR_utimensat_time64, (ctx, dirfd, path, times, flags) => utimensAt(ctx, fds, dirfd, path, times, flags, 16)],
    [NR_utimes, (ctx, path, times) => utimesAt(ctx, fds, AT_FDCWD, path, times)],
    [NR_futimesat, (ctx, dirfd, path, times) => utimesAt(ctx, fds, dirfd, path, times)],
    [NR_chown32, (ctx, path, uid, gid) => chownAt(ctx, fds, AT_FDCWD, path, uid, gid, 0, true)],
    [NR_lchown32, (ctx, path, uid, gid) => chownAt(ctx, fds, AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW, true)],
    [NR_fchownat, (ctx, dirfd, path, uid, gid, flags) => chownAt(ctx, fds, dirfd, path, uid, gid, flags, true)],
    [NR_fchown32, (ctx, fd, uid, gid) => fchown(ctx, fds, fd, uid, gid, true)],
    [NR_chown, (ctx, path, uid, gid) => chownAt(ctx, fds, AT_FDCWD, path, uid, gid, 0, false)],
    [NR_lchown, (ctx, path, uid, gid) => chownAt(ctx, fds, AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW, false)],
    [NR_fchown, (ctx, fd, uid, gid) => fchown(ctx, fds, fd, uid, gid, false)],
    [NR_statfs64, (ctx, path, size, buf) => statfs64(ctx, fds, { path }, size, buf)],
    [NR_fstatfs64, (ctx, fd, size, buf) => statfs64(ctx, fds, { fd }, size, buf)],
  ];
}
