// stat64/lstat64/fstat64/fstatat64, statx and getdents64, with the ARM EABI
// layouts written byte by byte:
//   struct stat64 (arch/arm/include/uapi/asm/stat.h), 104 bytes, with the
//   EABI's 8-byte alignment of 64-bit members (hence the holes at 44 and 60);
//   struct statx (include/uapi/linux/stat.h), 256 bytes, the same everywhere;
//   struct linux_dirent64 {u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; name}.

import * as fs from 'node:fs';
import { EBADF, EINVAL, ENOENT, ENOTDIR } from './errno.js';
import { FdTable } from './fd-table.js';
import { KIND_DIR, KIND_PIPE_READ, KIND_PIPE_WRITE } from './open-file-kinds.js';
import { HOST_GID, HOST_UID } from './loader.js';
import { withGuestPath } from './path-policy.js';
import {
  AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, dirBase, readGuestPath, setU64,
} from './sys-file-util.js';
import type { ThreadContext } from './thread-context.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';

export const NR_stat64 = 195;
export const NR_lstat64 = 196;
export const NR_fstat64 = 197;
export const NR_getdents64 = 217;
export const NR_fstatat64 = 327;
export const NR_statx = 397;

export const STAT64_SIZE = 104;
export const STATX_SIZE = 256;
const AT_NO_AUTOMOUNT = 0x800;
const AT_STATX_SYNC_TYPE = 0x6000;
const STATX_BASIC_STATS = 0x7ff;
const STATX_BTIME = 0x800;
const STATX_RESERVED = 0x80000000;

/** Seconds (floored) and nanoseconds of a time in ns since the epoch. */
function splitNs(ns: bigint): [bigint, number] {
  let sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  if (nsec < 0n) {
    sec -= 1n;
    nsec += 1_000_000_000n;
  }
  return [sec, Number(nsec)];
}

const u32 = (v: bigint): number => Number(BigInt.asUintN(32, v));

export function encodeStat64(s: fs.BigIntStats): Uint8Array {
  const b = new Uint8Array(STAT64_SIZE);
  const dv = new DataView(b.buffer);
  setU64(dv, 0, s.dev);
  dv.setUint32(12, u32(s.ino), true); // __st_ino: the low 32 bits
  dv.setUint32(16, u32(s.mode), true);
  dv.setUint32(20, u32(s.nlink), true);
  dv.setUint32(24, u32(s.uid), true);
  dv.setUint32(28, u32(s.gid), true);
  setU64(dv, 32, s.rdev);
  setU64(dv, 48, s.size);
  dv.setUint32(56, u32(s.blksize), true);
  setU64(dv, 64, s.blocks);
  const times = [s.atimeNs, s.mtimeNs, s.ctimeNs];
  times.forEach((ns, i) => {
    const [sec, nsec] = splitNs(ns);
    dv.setUint32(72 + i * 8, u32(sec), true); // 32-bit time_t in this struct
    dv.setUint32(76 + i * 8, nsec, true);
  });
  setU64(dv, 96, s.ino);
  return b;
}

/** glibc's dev_t encoding: major = bits 8..19 and 32..43, minor = bits 0..7 and 20..31. */
function devMajor(dev: bigint): number {
  return Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn)) >>> 0;
}
function devMinor(dev: bigint): number {
  return Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn)) >>> 0;
}

export function encodeStatx(s: fs.BigIntStats): Uint8Array {
  const b = new Uint8Array(STATX_SIZE);
  const dv = new DataView(b.buffer);
  const hasBirth = s.birthtimeNs > 0n;
  dv.setUint32(0, STATX_BASIC_STATS | (hasBirth ? STATX_BTIME : 0), true);
  dv.setUint32(4, u32(s.blksize), true);
  dv.setUint32(16, u32(s.nlink), true);
  dv.setUint32(20, u32(s.uid), true);
  dv.setUint32(24, u32(s.gid), true);
  dv.setUint16(28, Number(s.mode & 0xffffn), true);
  setU64(dv, 32, s.ino);
  setU64(dv, 40, s.size);
  setU64(dv, 48, s.blocks);
  // statx_timestamp {s64 tv_sec; u32 tv_nsec; s32 reserved}: atime, btime, ctime, mtime.
  const stamps: [number, bigint][] = [[64, s.atimeNs], [80, hasBirth ? s.birthtimeNs : 0n], [96, s.ctimeNs], [112, s.mtimeNs]];
  for (const [at, ns] of stamps) {
    const [sec, nsec] = splitNs(ns);
    dv.setBigInt64(at, sec, true);
    dv.setUint32(at + 8, nsec, true);
  }
  dv.setUint32(128, devMajor(s.rdev), true);
  dv.setUint32(132, devMinor(s.rdev), true);
  dv.setUint32(136, devMajor(s.dev), true);
  dv.setUint32(140, devMinor(s.dev), true);
  return b;
}

/** fstat of a guest pipe end: a FIFO owned by the user, its inode the pipe's number (as pipefs numbers them). */
function pipeStat(pipe: number): fs.BigIntStats {
  const now = BigInt(Date.now()) * 1_000_000n;
  const fields = {
    dev: 12n, ino: BigInt(0x10000 + pipe), mode: 0o10600n, nlink: 1n, uid: BigInt(HOST_UID), gid: BigInt(HOST_GID),
    rdev: 0n, size: 0n, blksize: 4096n, blocks: 0n, atimeNs: now, mtimeNs: now, ctimeNs: now,
  };
  return fields as unknown as fs.BigIntStats;
}

/**
 * Under --sched a pipe, terminal or socket (the host's plumbing of stdin and
 * stdout, or a guest pipe) has fixed device, inode and times, so that a run
 * does not depend on which pipe the host happened to give it.
 */
function schedPlumbing(st: fs.BigIntStats): fs.BigIntStats {
  const type = st.mode & 0o170000n;
  if (type === 0o100000n || type === 0o040000n || type === 0o120000n) return st; // regular, directory, symlink: input
  return { ...st, dev: 12n, ino: 1n, rdev: 0n, atimeNs: 0n, mtimeNs: 0n, ctimeNs: 0n, birthtimeNs: 0n } as unknown as fs.BigIntStats;
}

function fstatFd(fds: FdTable, fd: number): fs.BigIntStats | number {
  const f = fds.get(fd);
  if (!f) return -EBADF;
  try {
    const kind = fds.kind(f);
    if (kind === KIND_PIPE_READ || kind === KIND_PIPE_WRITE) return pipeStat(fds.pipeOf(f));
    return fs.fstatSync(f.hostFd, { bigint: true });
  } finally {
    fds.put(f);
  }
}

/** What fstatat/statx name: a path under the policy, or with AT_EMPTY_PATH the dirfd itself. */
function statTarget(ctx: SyscallContext, fds: FdTable, dirfd: number, addr: number, flags: number): fs.BigIntStats | number {
  let p = readGuestPath(ctx.access, addr);
  if (typeof p === 'number') return p;
  if (p === '') {
    if (!(flags & AT_EMPTY_PATH)) return -ENOENT;
    if (dirfd !== AT_FDCWD) return fstatFd(fds, dirfd);
    p = '.';
  }
  const base = p.startsWith('/') ? '/' : dirBase(fds, dirfd);
  if (typeof base === 'number') return base;
  const follow = !(flags & AT_SYMLINK_NOFOLLOW);
  let st: fs.BigIntStats | null = null;
  const r = withGuestPath(ctx, p, base, { follow, write: false }, (v, at) => {
    st = at === null ? fs.statSync(v.host, { bigint: true }) : at.stat(follow);
    return 0;
  });
  return (st as fs.BigIntStats | null) ?? r; // st is set inside the callback
}

function putStat(ctx: SyscallContext, buf: number, st: fs.BigIntStats | number, encode: (s: fs.BigIntStats) => Uint8Array): number {
  if (typeof st === 'number') return st;
  if ((ctx as Partial<ThreadContext>).sched) st = schedPlumbing(st);
  ctx.access.write(buf >>> 0, encode(st));
  return 0;
}

function direntType(d: fs.Dirent): number {
  if (d.isFIFO()) return 1;
  if (d.isCharacterDevice()) return 2;
  if (d.isDirectory()) return 4;
  if (d.isBlockDevice()) return 6;
  if (d.isFile()) return 8;
  if (d.isSymbolicLink()) return 10;
  if (d.isSocket()) return 12;
  return 0; // DT_UNKNOWN
}

/**
 * getdents64: the directory is listed afresh on each call ('.', '..', then
 * Node's sorted listing); the OFD offset is the index of the next entry.
 */
function getdents64(ctx: SyscallContext, fds: FdTable, fd: number, dirp: number, count: number): number {
  return fds.with(fd, (f) => {
    if (fds.kind(f) !== KIND_DIR) return -ENOTDIR;
    return fds.withOffsetLock(f, () => {
      // Through the fd, never its path: the directory may have been renamed (or replaced by a symlink) since.
      const dir = `/proc/self/fd/${f.hostFd}`;
      const listing = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' }) as unknown as fs.Dirent[];
      const names: { name: Buffer; type: number; host: string }[] = [
        { name: Buffer.from('.'), type: 4, host: `${dir}/.` },
        { name: Buffer.from('..'), type: 4, host: `${dir}/..` },
        ...listing.map((d) => {
          const name = Buffer.from(d.name as unknown as Buffer);
          return { name, type: direntType(d), host: `${dir}/${name.toString()}` };
        }),
      ];
      const out = new Uint8Array(Math.min(count >>> 0, 1 << 20));
      const dv = new DataView(out.buffer);
      let index = fds.offset(f);
      let used = 0;
      for (; index < names.length; index++) {
        const e = names[index]!;
        const reclen = (19 + e.name.length + 1 + 7) & ~7;
        if (used + reclen > out.length) break;
        let ino = 1n;
        try {
          ino = fs.lstatSync(e.host, { bigint: true }).ino;
        } catch {
          // vanished since the listing: keep a non-zero inode so libc does not skip it
        }
        setU64(dv, used, ino);
        setU64(dv, used + 8, index + 1);
        dv.setUint16(used + 16, reclen, true);
        out[used + 18] = e.type;
        out.set(e.name, used + 19);
        used += reclen;
      }
      if (used === 0 && index < names.length) return -EINVAL; // buffer too small for one entry
      ctx.access.write(dirp >>> 0, out.subarray(0, used));
      fds.setOffset(f, index);
      return used;
    });
  });
}

export function statSyscalls(fds: FdTable): [number, SyscallHandler][] {
  return [
    [NR_stat64, (ctx, p, buf) => putStat(ctx, buf, statTarget(ctx, fds, AT_FDCWD, p, 0), encodeStat64)],
    [NR_lstat64, (ctx, p, buf) => putStat(ctx, buf, statTarget(ctx, fds, AT_FDCWD, p, AT_SYMLINK_NOFOLLOW), encodeStat64)],
    [NR_fstat64, (ctx, fd, buf) => putStat(ctx, buf, fstatFd(fds, fd), encodeStat64)],
    [NR_fstatat64, (ctx, dirfd, p, buf, flags) => {
      if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) return -EINVAL;
      return putStat(ctx, buf, statTarget(ctx, fds, dirfd, p, flags), encodeStat64);
    }],
    [NR_statx, (ctx, dirfd, p, flags, mask, buf) => {
      if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) return -EINVAL;
      if ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE || mask & STATX_RESERVED) return -EINVAL;
      return putStat(ctx, buf, statTarget(ctx, fds, dirfd, p, flags), encodeStatx);
    }],
    [NR_getdents64, (ctx, fd, dirp, count) => getdents64(ctx, fds, fd, dirp, count)],
  ];
}
