// Copies between two fds without the guest's memory: sendfile and
// sendfile64 (a regular file to any writable fd), and the vectored
// positioned calls preadv/pwritev. sendfile reads a chunk of the input into a
// host staging buffer and writes it to the output through the same read and
// write paths the guest's own read/write take (files, our pipes, host
// streams), so every kind of output fd behaves as it does for write(2).

import { EBADF, EINVAL, ESPIPE } from './errno.js';
import type { FdTable, OpenFile } from './fd-table.js';
import {
  G_O_ACCMODE, G_O_APPEND, G_O_WRONLY, KIND_DEVNULL, KIND_FILE, KIND_HOSTPOS,
} from './open-file-kinds.js';
import { pair, setU64 } from './sys-file-util.js';
import { MAX_RW, SEEK_CUR, SEEK_SET, doRead, doSeek, doWrite, readIovecs } from './sys-io.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';
import { BadGuestAddress, KernelAccess } from '../softmmu/kernel-access.js';

export const NR_sendfile = 187;
export const NR_sendfile64 = 239;
export const NR_preadv = 361;
export const NR_pwritev = 362;

const CHUNK = 1 << 16;

/**
 * A host buffer seen through KernelAccess's interface at addresses 0..size-1,
 * so that doRead/doWrite (and the pipe code below them) can fill and drain it.
 */
class StagingAccess extends KernelAccess {
  readonly bytes: Uint8Array;

  constructor(base: KernelAccess, size: number) {
    super(base.mem);
    this.bytes = new Uint8Array(size);
  }

  private bounds(addr: number, len: number): void {
    if (len < 0 || addr < 0 || addr + len > this.bytes.length) throw new BadGuestAddress(addr);
  }

  override read(addr: number, len: number): Uint8Array {
    this.bounds(addr, len);
    return this.bytes.slice(addr, addr + len);
  }

  override write(addr: number, data: Uint8Array): void {
    this.bounds(addr, data.length);
    this.bytes.set(data, addr);
  }

  override poke(addr: number, data: Uint8Array): void {
    this.write(addr, data);
  }

  override check(addr: number, len: number): void {
    this.bounds(addr, len);
  }
}

/**
 * The same syscall context with the staging buffer in place of guest memory.
 * Everything else is the calling thread's, read through the prototype (a
 * write with no reader raises SIGPIPE in this thread; a blocking pipe write
 * is woken by its signals), and the blocking marks are the thread's own.
 */
function staged(ctx: SyscallContext, access: StagingAccess): SyscallContext {
  return Object.create(ctx, {
    access: { value: access },
    enterBlocking: { value: ctx.enterBlocking?.bind(ctx) },
    leaveBlocking: { value: ctx.leaveBlocking?.bind(ctx) },
  }) as SyscallContext;
}

/** The offset sendfile's *offset holds: 32-bit signed for sendfile, 64-bit for sendfile64. */
function readOffset(access: KernelAccess, addr: number, wide: boolean): number {
  const raw = access.read(addr, wide ? 8 : 4);
  const dv = new DataView(raw.buffer);
  return wide ? Number(dv.getBigInt64(0, true)) : dv.getInt32(0, true);
}

function writeOffset(access: KernelAccess, addr: number, wide: boolean, value: number): void {
  const b = new Uint8Array(wide ? 8 : 4);
  const dv = new DataView(b.buffer);
  if (wide) setU64(dv, 0, value);
  else dv.setInt32(0, value, true);
  access.write(addr, b);
}

/**
 * sendfile(out, in, offset, count) with Linux's checks in Linux's order: the
 * offset pointer is read first (EFAULT); the input must be open for reading
 * (EBADF) and, with an offset, seekable (ESPIPE), the offset not negative
 * (EINVAL); the output open for writing (EBADF) and not O_APPEND (EINVAL);
 * an input that is not a regular file is EINVAL. With an offset pointer the
 * input's file offset stays put and *offset advances by the bytes sent.
 */
function sendfile(ctx: SyscallContext, fds: FdTable, outFd: number, inFd: number, offPtr: number, count: number, wide: boolean): number {
  const start = offPtr !== 0 ? readOffset(ctx.access, offPtr >>> 0, wide) : null;
  return fds.with(inFd, (inF) => {
    if ((fds.status(inF) & G_O_ACCMODE) === G_O_WRONLY) return -EBADF;
    const inKind = fds.kind(inF);
    const seekable = inKind === KIND_FILE || inKind === KIND_HOSTPOS || inKind === KIND_DEVNULL;
    if (start !== null && !seekable) return -ESPIPE;
    if (start !== null && start < 0) return -EINVAL;
    return fds.with(outFd, (outF) => {
      const status = fds.status(outF);
      if ((status & G_O_ACCMODE) === 0) return -EBADF;
      if (status & G_O_APPEND) return -EINVAL;
      if (!seekable) return -EINVAL;
      const sent = copy(ctx, fds, inF, outF, start, Math.min(count >>> 0, MAX_RW));
      if (start !== null && sent > 0) writeOffset(ctx.access, offPtr >>> 0, wide, start + sent);
      return sent;
    });
  });
}

/** Reads up to n bytes of inF (at pos, or at and advancing its offset) and writes them to outF. */
function copy(ctx: SyscallContext, fds: FdTable, inF: OpenFile, outF: OpenFile, pos: number | null, n: number): number {
  if (n === 0) return 0;
  const stage = new StagingAccess(ctx.access, Math.min(CHUNK, n));
  const sctx = staged(ctx, stage);
  const at0 = pos ?? doSeek(fds, inF, 0, SEEK_CUR);
  if (at0 < 0) return at0;
  let done = 0;
  let result = 0;
  while (done < n) {
    const want = Math.min(stage.bytes.length, n - done);
    const got = doRead(sctx, fds, inF, [{ addr: 0, len: want }], at0 + done);
    if (got <= 0) {
      result = got;
      break;
    }
    const put = doWrite(sctx, fds, outF, [{ addr: 0, len: got }], null);
    if (put < 0) {
      result = put;
      break;
    }
    done += put;
    if (put < got || got < want) break;
  }
  // The input's offset moves by what was written, as Linux's does.
  if (pos === null && done > 0) doSeek(fds, inF, at0 + done, SEEK_SET);
  return done > 0 ? done : result;
}

/** preadv/pwritev(fd, iov, iovcnt, pos_lo, pos_hi): readv/writev at a position, the offset unchanged. */
function vectored(ctx: SyscallContext, fds: FdTable, fd: number, iov: number, cnt: number, lo: number, hi: number, write: boolean): number {
  return fds.with(fd, (f) => {
    const segs = readIovecs(ctx.access, iov, cnt);
    if (typeof segs === 'number') return segs;
    const pos = pair(lo, hi);
    if (pos < 0) return -EINVAL;
    return write ? doWrite(ctx, fds, f, segs, pos) : doRead(ctx, fds, f, segs, pos);
  });
}

export function sendfileSyscalls(fds: FdTable): [number, SyscallHandler][] {
  return [
    [NR_sendfile, (ctx, out, inp, off, count) => sendfile(ctx, fds, out, inp, off, count, false)],
    [NR_sendfile64, (ctx, out, inp, off, count) => sendfile(ctx, fds, out, inp, off, count, true)],
    [NR_preadv, (ctx, fd, iov, cnt, lo, hi) => vectored(ctx, fds, fd, iov, cnt, lo, hi, false)],
    [NR_pwritev, (ctx, fd, iov, cnt, lo, hi) => vectored(ctx, fds, fd, iov, cnt, lo, hi, true)],
  ];
}
