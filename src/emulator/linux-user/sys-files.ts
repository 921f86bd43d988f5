// File syscalls for ARM EABI guests: the table fileSyscalls() hands to the
// dispatcher, and the fd-level calls (read/write and friends, close, dup*,
// fcntl64, ioctl, fsync, ftruncate). Path calls are in sys-paths.ts, stat and
// getdents64 in sys-stat.ts, data transfer in sys-io.ts. Every handler
// returns a result or -errno; guest memory faults become -EFAULT.

import * as fs from 'node:fs';
import { EBADF, EINVAL, ENOTTY, ESPIPE } from './errno.js';
import { FdTable, type OpenFile } from './fd-table.js';
import {
  FD_CLOEXEC, G_O_ACCMODE, G_O_APPEND, G_O_CLOEXEC, G_O_NONBLOCK, KIND_DEVNULL, KIND_DIR, KIND_FILE, KIND_HOSTPOS,
  KIND_PIPE_READ, KIND_PIPE_WRITE, KIND_STREAM,
} from './open-file-kinds.js';
import { pathSyscalls } from './sys-paths.js';
import { pipeSyscalls } from './sys-pipe.js';
import { pollSyscalls } from './sys-poll.js';
import { statSyscalls } from './sys-stat.js';
import { fileAttrSyscalls } from './sys-file-attrs.js';
import { sendfileSyscalls } from './sys-sendfile.js';
import { fdRangeSyscalls } from './sys-fd-range.js';
import { linkSyscalls } from './sys-links.js';
import { fcntlLock, isLockCommand, lockSyscalls } from './sys-locks.js';
import { doRead, doSeek, doWrite, lseek32, readIovecs } from './sys-io.js';
import { guarded, pair, setU64 } from './sys-file-util.js';
import type { SyscallContext, SyscallHandler, SyscallTable } from './syscall-context.js';
import { GUEST_PID } from './kernel-state.js';
import { PIPE_CAPACITY } from './pipe-table.js';
import { hostIsatty } from '../../host/on-demand-builtins.js';

export const NR_read = 3;
export const NR_write = 4;
export const NR_close = 6;
export const NR_lseek = 19;
export const NR_dup = 41;
export const NR_ioctl = 54;
export const NR_dup2 = 63;
export const NR_ftruncate = 93;
export const NR_fsync = 118;
export const NR_llseek = 140;
export const NR_readv = 145;
export const NR_writev = 146;
export const NR_fdatasync = 148;
export const NR_pread64 = 180;
export const NR_pwrite64 = 181;
export const NR_ftruncate64 = 194;
export const NR_fcntl64 = 221;
export const NR_dup3 = 358;
export const NR_arm_fadvise64_64 = 270;

const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_SETOWN = 8;
const F_GETOWN = 9;
const F_DUPFD_CLOEXEC = 1030;
const F_GETPIPE_SZ = 1032;
/** Status flags F_SETFL may change: O_APPEND, O_NONBLOCK, O_ASYNC, O_DIRECT, O_NOATIME. */
const SETFL_MASK = G_O_APPEND | G_O_NONBLOCK | 0o20000 | 0o200000 | 0o1000000;

const TCGETS = 0x5401;
const TCSETS = 0x5402;
const TCSETSW = 0x5403;
const TCSETSF = 0x5404;
const TIOCGPGRP = 0x540f;
const TIOCGWINSZ = 0x5413;
const TIOCSWINSZ = 0x5414;
const FIONREAD = 0x541b;
const FIONBIO = 0x5421;
const FIONCLEX = 0x5450;
const FIOCLEX = 0x5451;

/** A cooked-mode terminal as `stty sane` leaves it (ARM struct termios, 36 bytes). */
function saneTermios(): Uint8Array {
  const b = new Uint8Array(36);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, 0o42400, true); // c_iflag: ICRNL | IXON | IUTF8
  dv.setUint32(4, 0o5, true); // c_oflag: OPOST | ONLCR
  dv.setUint32(8, 0o277, true); // c_cflag: B38400 | CS8 | CREAD
  dv.setUint32(12, 0o104073, true); // c_lflag: ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  // c_line at 16, then c_cc[19]: INTR QUIT ERASE KILL EOF TIME MIN SWTC START STOP SUSP EOL REPRINT DISCARD WERASE LNEXT EOL2
  b.set([3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0], 17);
  return b;
}

function winsize(): Uint8Array {
  const num = (v: string | undefined, d: number): number => {
    const n = Number(v);
    return Number.isInteger(n) && n > 0 && n < 0x10000 ? n : d;
  };
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, num(process.env['LINES'], 24), true);
  dv.setUint16(2, num(process.env['COLUMNS'], 80), true);
  return b;
}

function ioctl(ctx: SyscallContext, fds: FdTable, fd: number, req: number, arg: number): number {
  return fds.with(fd, (f) => {
    const a = arg >>> 0;
    switch (req >>> 0) {
      case FIONBIO: {
        const on = ctx.access.readU32(a) !== 0;
        const st = fds.status(f);
        fds.setStatus(f, on ? st | G_O_NONBLOCK : st & ~G_O_NONBLOCK);
        return 0;
      }
      case FIONREAD:
        if (fds.kind(f) !== KIND_PIPE_READ) break;
        ctx.access.writeU32(a, fds.pipes.available(fds.pipeOf(f)));
        return 0;
      case FIOCLEX: return fds.setFdFlags(fd, FD_CLOEXEC);
      case FIONCLEX: return fds.setFdFlags(fd, 0);
    }
    const isTty = fds.kind(f) === KIND_STREAM && hostIsatty(f.hostFd);
    if (!isTty) return -ENOTTY;
    switch (req >>> 0) {
      case TCGETS: ctx.access.write(a, saneTermios()); return 0;
      case TCSETS: case TCSETSW: case TCSETSF:
        ctx.access.check(a, 36, false);
        ctx.warnOnce('tcsets', 'mttcg: guest terminal mode changes (tcsetattr) are ignored');
        return 0;
      case TIOCGWINSZ: ctx.access.write(a, winsize()); return 0;
      case TIOCSWINSZ: ctx.access.check(a, 8, false); return 0;
      case TIOCGPGRP: ctx.access.writeU32(a, GUEST_PID); return 0;
      default: return -ENOTTY;
    }
  });
}

function fcntl(ctx: SyscallContext, fds: FdTable, fd: number, cmd: number, arg: number): number {
  switch (cmd) {
    case F_DUPFD: return fds.dup(fd, arg, false);
    case F_DUPFD_CLOEXEC: return fds.dup(fd, arg, true);
    case F_GETFD: return fds.fdFlagsOf(fd);
    case F_SETFD: return fds.setFdFlags(fd, arg);
  }
  return fds.with(fd, (f) => {
    if (isLockCommand(cmd)) return fcntlLock(ctx, fds, f, cmd, arg);
    switch (cmd) {
      case F_GETFL: return fds.status(f);
      case F_SETFL:
        fds.setStatus(f, (fds.status(f) & ~SETFL_MASK) | (arg & SETFL_MASK));
        return 0;
      case F_GETOWN: case F_SETOWN: return 0;
      case F_GETPIPE_SZ: {
        const k = fds.kind(f);
        return k === KIND_STREAM || k === KIND_PIPE_READ || k === KIND_PIPE_WRITE ? PIPE_CAPACITY : -EINVAL;
      }
      default: return -EINVAL;
    }
  });
}

function ftruncate(fds: FdTable, fd: number, len: number): number {
  if (len < 0) return -EINVAL;
  return fds.with(fd, (f) => {
    const k = fds.kind(f);
    if ((k !== KIND_FILE && k !== KIND_HOSTPOS) || (fds.status(f) & G_O_ACCMODE) === 0) return -EINVAL;
    fs.ftruncateSync(f.hostFd, len);
    return 0;
  });
}

function fsync(fds: FdTable, fd: number, dataOnly: boolean): number {
  return fds.with(fd, (f) => {
    const k = fds.kind(f);
    if (k === KIND_STREAM || k === KIND_DEVNULL || k === KIND_PIPE_READ || k === KIND_PIPE_WRITE) return -EINVAL;
    if (dataOnly && k !== KIND_DIR) fs.fdatasyncSync(f.hostFd);
    else fs.fsyncSync(f.hostFd);
    return 0;
  });
}

/** posix_fadvise (ARM's argument order: fd, advice, offset, len): advice only, nothing to do but check. */
function fadvise(fds: FdTable, fd: number, advice: number): number {
  return fds.with(fd, (f) => {
    const k = fds.kind(f);
    if (k === KIND_PIPE_READ || k === KIND_PIPE_WRITE) return -ESPIPE;
    return advice >>> 0 <= 5 ? 0 : -EINVAL; // POSIX_FADV_NORMAL .. POSIX_FADV_NOREUSE
  });
}

export function fileSyscalls(fds: FdTable): SyscallTable {
  const one = (addr: number, len: number) => [{ addr: addr >>> 0, len: len >>> 0 }];
  const withFile = (fd: number, fn: (f: OpenFile) => number): number => fds.with(fd, fn);
  const entries: [number, SyscallHandler][] = [
    [NR_read, (ctx, fd, buf, len) => withFile(fd, (f) => doRead(ctx, fds, f, one(buf, len), null))],
    [NR_write, (ctx, fd, buf, len) => withFile(fd, (f) => doWrite(ctx, fds, f, one(buf, len), null))],
    [NR_readv, (ctx, fd, iov, cnt) => withFile(fd, (f) => {
      const segs = readIovecs(ctx.access, iov, cnt);
      return typeof segs === 'number' ? segs : doRead(ctx, fds, f, segs, null);
    })],
    [NR_writev, (ctx, fd, iov, cnt) => withFile(fd, (f) => {
      const segs = readIovecs(ctx.access, iov, cnt);
      return typeof segs === 'number' ? segs : doWrite(ctx, fds, f, segs, null);
    })],
    [NR_pread64, (ctx, fd, buf, len, _pad, lo, hi) => withFile(fd, (f) => {
      const pos = pair(lo, hi);
      return pos < 0 ? -EINVAL : doRead(ctx, fds, f, one(buf, len), pos);
    })],
    [NR_pwrite64, (ctx, fd, buf, len, _pad, lo, hi) => withFile(fd, (f) => {
      const pos = pair(lo, hi);
      return pos < 0 ? -EINVAL : doWrite(ctx, fds, f, one(buf, len), pos);
    })],
    [NR_lseek, (_ctx, fd, off, whence) => withFile(fd, (f) => lseek32(fds, f, off | 0, whence))],
    [NR_llseek, (ctx, fd, hi, lo, result, whence) => withFile(fd, (f) => {
      ctx.access.check(result >>> 0, 8, true);
      const r = doSeek(fds, f, pair(lo, hi), whence);
      if (r < 0) return r;
      const b = new Uint8Array(8);
      setU64(new DataView(b.buffer), 0, r);
      ctx.access.write(result >>> 0, b);
      return 0;
    })],
    [NR_close, (_ctx, fd) => fds.close(fd)],
    [NR_dup, (_ctx, fd) => fds.dup(fd, 0, false)],
    [NR_dup2, (_ctx, oldFd, newFd) => fds.dupTo(oldFd, newFd, false)],
    [NR_dup3, (_ctx, oldFd, newFd, flags) => {
      if (flags & ~G_O_CLOEXEC) return -EINVAL;
      if (oldFd === newFd) return fds.isOpen(oldFd) ? -EINVAL : -EBADF;
      return fds.dupTo(oldFd, newFd, (flags & G_O_CLOEXEC) !== 0);
    }],
    [NR_fcntl64, (ctx, fd, cmd, arg) => fcntl(ctx, fds, fd, cmd, arg)],
    [NR_ioctl, (ctx, fd, req, arg) => ioctl(ctx, fds, fd, req, arg)],
    [NR_fsync, (_ctx, fd) => fsync(fds, fd, false)],
    [NR_fdatasync, (_ctx, fd) => fsync(fds, fd, true)],
    [NR_arm_fadvise64_64, (_ctx, fd, advice) => fadvise(fds, fd, advice)],
    [NR_ftruncate, (_ctx, fd, len) => ftruncate(fds, fd, len | 0)],
    [NR_ftruncate64, (_ctx, fd, _pad, lo, hi) => ftruncate(fds, fd, pair(lo, hi))],
    ...pathSyscalls(fds),
    ...statSyscalls(fds),
    ...fileAttrSyscalls(fds),
    ...sendfileSyscalls(fds),
    ...fdRangeSyscalls(fds),
    ...linkSyscalls(fds),
    ...lockSyscalls(fds),
    ...pipeSyscalls(fds),
    ...pollSyscalls(fds),
  ];
  return new Map(entries.map(([nr, fn]) => [nr, guarded(fn)]));
}
