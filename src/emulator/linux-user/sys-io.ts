// Data transfer between guest memory and host fds: read/write, readv/writev,
// pread64/pwrite64, lseek/_llseek. Regular files use our own offset with
// pread/pwrite (Node has no lseek); pipes and ttys use the host position. Data
// is copied through host Buffers at most 1 MiB at a time; a guest buffer that
// faults part-way ends the transfer with the bytes done so far (or -EFAULT).

import * as fs from 'node:fs';
import { EBADF, EFAULT, EINVAL, EISDIR, EPIPE, ESPIPE } from './errno.js';
import { FdTable, type OpenFile } from './fd-table.js';
import {
  G_O_ACCMODE, G_O_APPEND, G_O_NONBLOCK, G_O_WRONLY, KIND_DEVNULL, KIND_DIR, KIND_FILE, KIND_HOSTPOS, KIND_PIPE_READ,
  KIND_PIPE_WRITE, KIND_STREAM, hostFdPosition,
} from './open-file-kinds.js';
import { EOVERFLOW, hostBlocking, hostErrno, isHostError, sleepMs } from './sys-file-util.js';
import type { SyscallContext } from './syscall-context.js';
import { pipeRead, pipeWrite, raiseSigpipe } from './sys-pipe.js';
import { BadGuestAddress, type KernelAccess } from '../softmmu/kernel-access.js';
import { PAGE_SIZE } from '../softmmu/page-bits.js';

const CHUNK = 1 << 20;
const UIO_MAXIOV = 1024;
export const MAX_RW = 0x7ffff000; // Linux's MAX_RW_COUNT
export const SEEK_SET = 0;
export const SEEK_CUR = 1;
export const SEEK_END = 2;
const SEEK_DATA = 3;
const SEEK_HOLE = 4;
const ENXIO = 6;

/** A guest buffer: one for read/write, several for readv/writev. */
export interface Segment {
  readonly addr: number;
  readonly len: number;
}

/** Reads a guest iovec array ({u32 base, u32 len}); -EINVAL for a bad count or total. */
export function readIovecs(access: KernelAccess, iov: number, count: number): Segment[] | number {
  if (count < 0 || count > UIO_MAXIOV) return -EINVAL;
  const raw = access.read(iov >>> 0, count * 8);
  const dv = new DataView(raw.buffer);
  const segs: Segment[] = [];
  let total = 0;
  for (let i = 0; i < count; i++) {
    const len = dv.getUint32(i * 8 + 4, true);
    total += len;
    if (len > 0x7fffffff || total > 0x7fffffff) return -EINVAL;
    segs.push({ addr: dv.getUint32(i * 8, true), len });
  }
  return segs;
}

export function totalOf(segs: readonly Segment[]): number {
  return Math.min(segs.reduce((n, s) => n + s.len, 0), MAX_RW);
}

/** Visits the guest ranges covering logical bytes [from, from+n) of segs. */
function eachRange(segs: readonly Segment[], from: number, n: number, fn: (addr: number, len: number, at: number) => void): void {
  let skip = from;
  let at = 0;
  for (const s of segs) {
    if (at >= n) break;
    if (skip >= s.len) {
      skip -= s.len;
      continue;
    }
    const len = Math.min(s.len - skip, n - at);
    fn((s.addr + skip) >>> 0, len, at);
    at += len;
    skip = 0;
  }
}

export function gather(access: KernelAccess, segs: readonly Segment[], from: number, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  eachRange(segs, from, n, (addr, len, at) => out.set(access.read(addr, len), at));
  return out;
}

export function scatter(access: KernelAccess, segs: readonly Segment[], from: number, data: Uint8Array): void {
  eachRange(segs, from, data.length, (addr, len, at) => access.write(addr, data.subarray(at, at + len)));
}

/** How many of the logical bytes [from, from+n) are accessible before the first bad page. */
export function accessiblePrefix(access: KernelAccess, segs: readonly Segment[], from: number, n: number, write: boolean): number {
  let ok = 0;
  try {
    eachRange(segs, from, n, (addr, len) => {
      for (let done = 0; done < len;) {
        const step = Math.min(len - done, PAGE_SIZE - ((addr + done) & (PAGE_SIZE - 1)));
        access.check((addr + done) >>> 0, step, write);
        done += step;
        ok += step;
      }
    });
  } catch (e) {
    if (!(e instanceof BadGuestAddress)) throw e;
  }
  return ok;
}

/** A host call on a stream fd: blocking-aware, EAGAIN retried unless the guest chose O_NONBLOCK. */
function streamCall(ctx: SyscallContext, fds: FdTable, f: OpenFile, call: () => number): number {
  return hostBlocking(ctx, () => {
    for (let wait = 1; ; wait = Math.min(wait * 2, 20)) {
      try {
        return call();
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (code === 'EAGAIN' && !(fds.status(f) & G_O_NONBLOCK)) {
          sleepMs(wait);
          continue;
        }
        if (isHostError(e)) return -hostErrno(e);
        throw e;
      }
    }
  });
}

/** read/readv/pread64 on a pinned file; pos null = at (and advancing) the file offset. */
export function doRead(ctx: SyscallContext, fds: FdTable, f: OpenFile, segs: readonly Segment[], pos: number | null): number {
  if ((fds.status(f) & G_O_ACCMODE) === G_O_WRONLY) return -EBADF;
  const kind = fds.kind(f);
  if (kind === KIND_PIPE_READ) return pos === null ? pipeRead(ctx, fds, f, segs) : -ESPIPE;
  if (kind === KIND_DIR) return -EISDIR;
  if (pos !== null && kind !== KIND_FILE && kind !== KIND_HOSTPOS) return kind === KIND_DEVNULL ? 0 : -ESPIPE;
  const total = totalOf(segs);
  if (total === 0 || kind === KIND_DEVNULL) return 0;
  const access = ctx.access;
  if (kind === KIND_FILE || pos !== null) {
    const run = (): number => {
      const start = pos ?? fds.offset(f);
      let done = 0;
      let fault = false;
      while (done < total) {
        const n = Math.min(CHUNK, total - done);
        const buf = Buffer.allocUnsafe(n);
        const got = fs.readSync(f.hostFd, buf, 0, n, start + done);
        if (got === 0) break;
        try {
          scatter(access, segs, done, buf.subarray(0, got));
        } catch (e) {
          if (!(e instanceof BadGuestAddress)) throw e;
          fault = true;
          done += accessiblePrefix(access, segs, done, got, true); // those bytes did land
          break;
        }
        done += got;
        if (got < n) break;
      }
      if (pos === null) fds.setOffset(f, start + done);
      return done > 0 || !fault ? done : -EFAULT;
    };
    return pos === null ? fds.withOffsetLock(f, run) : run();
  }
  // Stream, or an inherited file at the host's position: fail fast on a bad buffer before blocking.
  const first = segs.find((s) => s.len > 0)!;
  access.check(first.addr >>> 0, 1, true);
  let done = 0;
  while (done < total) {
    const n = Math.min(CHUNK, total - done);
    const buf = Buffer.allocUnsafe(n);
    const got = streamCall(ctx, fds, f, () => fs.readSync(f.hostFd, buf, 0, n, null));
    if (got < 0) return done > 0 ? done : got;
    if (got === 0) break;
    try {
      scatter(access, segs, done, buf.subarray(0, got));
    } catch (e) {
      if (!(e instanceof BadGuestAddress)) throw e;
      done += accessiblePrefix(access, segs, done, got, true);
      return done > 0 ? done : -EFAULT;
    }
    done += got;
    if (kind === KIND_STREAM || got < n) break;
  }
  return done;
}

/** write/writev/pwrite64 on a pinned file; pos null = at the file offset (or end with O_APPEND). */
export function doWrite(ctx: SyscallContext, fds: FdTable, f: OpenFile, segs: readonly Segment[], pos: number | null): number {
  const status = fds.status(f);
  if ((status & G_O_ACCMODE) === 0) return -EBADF;
  const kind = fds.kind(f);
  if (kind === KIND_DIR) return -EBADF;
  if (kind === KIND_PIPE_WRITE) return pos === null ? pipeWrite(ctx, fds, f, segs) : -ESPIPE;
  const total = totalOf(segs);
  if (kind === KIND_DEVNULL) return total;
  if (pos !== null && kind !== KIND_FILE && kind !== KIND_HOSTPOS) return -ESPIPE;
  if (total === 0) return 0;
  const access = ctx.access;
  const seekable = kind === KIND_FILE || pos !== null;
  const run = (): number => {
    let start = 0;
    if (seekable) start = pos ?? (status & G_O_APPEND ? fs.fstatSync(f.hostFd).size : fds.offset(f));
    let done = 0;
    while (done < total) {
      let data: Buffer;
      let last = false;
      try {
        data = gather(access, segs, done, Math.min(CHUNK, total - done));
      } catch (e) {
        if (!(e instanceof BadGuestAddress)) throw e;
        // Write what is readable before the bad page, then stop (Linux's partial write).
        const ok = accessiblePrefix(access, segs, done, Math.min(CHUNK, total - done), false);
        if (ok === 0 && done === 0) return -EFAULT;
        if (ok === 0) break;
        data = gather(access, segs, done, ok);
        last = true;
      }
      let off = 0;
      while (off < data.length) {
        const at = done + off;
        const n = seekable
          ? writeFile(f.hostFd, data, off, start + at)
          : streamCall(ctx, fds, f, () => fs.writeSync(f.hostFd, data, off, data.length - off, null));
        if (n < 0) {
          if (n === -EPIPE) raiseSigpipe(ctx); // a host pipe whose reader is gone (`mttcg run prog | head`)
          if (seekable && pos === null) fds.setOffset(f, start + at);
          return at > 0 ? at : n;
        }
        off += n;
      }
      done += data.length;
      if (last) break;
    }
    if (seekable && pos === null) fds.setOffset(f, start + done);
    return done;
  };
  return seekable && pos === null ? fds.withOffsetLock(f, run) : run();
}

function writeFile(hostFd: number, data: Buffer, off: number, at: number): number {
  try {
    return fs.writeSync(hostFd, data, off, data.length - off, at);
  } catch (e) {
    if (isHostError(e)) return -hostErrno(e);
    throw e;
  }
}

/** lseek/_llseek on a pinned file: the new offset, or -errno. */
export function doSeek(fds: FdTable, f: OpenFile, off: number, whence: number): number {
  const kind = fds.kind(f);
  // Pipes have no position (tail tries lseek(SEEK_END) on its input); neither have ttys or host pipes.
  if (kind === KIND_STREAM || kind === KIND_PIPE_READ || kind === KIND_PIPE_WRITE) return -ESPIPE;
  if (kind === KIND_DEVNULL) return 0;
  if (whence < SEEK_SET || whence > SEEK_HOLE) return -EINVAL;
  if (kind === KIND_DIR) {
    // The offset is an entry index (the d_off getdents64 hands out).
    const base = whence === SEEK_SET ? 0 : whence === SEEK_CUR ? fds.offset(f) : -1;
    if (base < 0 || base + off < 0) return -EINVAL;
    fds.setOffset(f, base + off);
    return base + off;
  }
  return fds.withOffsetLock(f, () => {
    let cur: number;
    if (kind === KIND_HOSTPOS) {
      cur = hostFdPosition(f.hostFd);
      if (cur < 0) return -ESPIPE;
      if (whence === SEEK_CUR && off === 0) return cur;
    } else {
      cur = fds.offset(f);
    }
    const size = whence >= SEEK_END ? fs.fstatSync(f.hostFd).size : 0;
    let next: number;
    switch (whence) {
      case SEEK_SET: next = off; break;
      case SEEK_CUR: next = cur + off; break;
      case SEEK_END: next = size + off; break;
      case SEEK_DATA: if (off >= size) return -ENXIO; next = off; break;
      default: if (off >= size) return -ENXIO; next = size; break; // SEEK_HOLE: the implicit hole at EOF
    }
    if (next < 0) return -EINVAL;
    // From here on an inherited file is ours to position (pread/pwrite at our offset).
    if (kind === KIND_HOSTPOS) fds.setKind(f, KIND_FILE);
    fds.setOffset(f, next);
    return next;
  });
}

/** lseek(2) returns an off_t: EOVERFLOW past 2 GiB (after moving, as Linux does). */
export function lseek32(fds: FdTable, f: OpenFile, off: number, whence: number): number {
  const r = doSeek(fds, f, off, whence);
  return r > 0x7fffffff ? -EOVERFLOW : r;
}
