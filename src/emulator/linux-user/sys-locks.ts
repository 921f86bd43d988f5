// File locking calls over the run's lock table (file-locks.ts): fcntl's
// record locks (F_GETLK/F_SETLK/F_SETLKW, their 64-bit forms and the open
// file description locks F_OFD_*) and flock. Blocking forms sleep on the
// table's change word, are woken by the guest's signals (-ERESTARTSYS: EINTR,
// or the call again under SA_RESTART) and count as a deadlockable wait.

import { EAGAIN, EBADF, EINVAL, ERESTARTSYS } from './errno.js';
import { FdTable, type OpenFile } from './fd-table.js';
import { fileKeyOf, KIND_FLOCK, KIND_POSIX, LOCK_EXCLUSIVE, LOCK_SHARED, NO_LOCKS, type FileKey, type HeldLock } from './file-locks.js';
import { waitForChange, WaitEnd } from './guest-wait.js';
import { G_O_ACCMODE, G_O_RDONLY, G_O_WRONLY, KIND_PIPE_READ, KIND_PIPE_WRITE } from './open-file-kinds.js';
import { SEEK_CUR, SEEK_END, SEEK_SET } from './sys-io.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';
import type { ThreadContext } from './thread-context.js';
import * as fs from 'node:fs';

export const NR_flock = 143;

export const F_GETLK = 5;
export const F_SETLK = 6;
export const F_SETLKW = 7;
export const F_GETLK64 = 12;
export const F_SETLK64 = 13;
export const F_SETLKW64 = 14;
export const F_OFD_GETLK = 36;
export const F_OFD_SETLK = 37;
export const F_OFD_SETLKW = 38;

const F_RDLCK = 0;
const F_WRLCK = 1;
const F_UNLCK = 2;
const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
const ENOLCK = 37;

/** Whether cmd is one of fcntl's locking commands. */
export function isLockCommand(cmd: number): boolean {
  return (cmd >= F_GETLK && cmd <= F_SETLKW) || (cmd >= F_GETLK64 && cmd <= F_SETLKW64) || (cmd >= F_OFD_GETLK && cmd <= F_OFD_SETLKW);
}

/** struct flock (16 bytes: short type, short whence, long start, long len, int pid) or flock64 (32: start at 8, len at 16, pid at 24). */
interface FlockStruct {
  type: number;
  whence: number;
  start: number;
  len: number;
  pid: number;
}

function readFlock(ctx: SyscallContext, addr: number, wide: boolean): FlockStruct {
  const dv = new DataView(ctx.access.read(addr, wide ? 32 : 16).buffer);
  return wide
    ? { type: dv.getInt16(0, true), whence: dv.getInt16(2, true), start: Number(dv.getBigInt64(8, true)), len: Number(dv.getBigInt64(16, true)), pid: dv.getInt32(24, true) }
    : { type: dv.getInt16(0, true), whence: dv.getInt16(2, true), start: dv.getInt32(4, true), len: dv.getInt32(8, true), pid: dv.getInt32(12, true) };
}

function writeFlock(ctx: SyscallContext, addr: number, wide: boolean, fl: FlockStruct): void {
  const b = new Uint8Array(wide ? 32 : 16);
  const dv = new DataView(b.buffer);
  // Only the fields are written back; the padding the guest passed stays as the kernel leaves it (copied from the guest's).
  b.set(ctx.access.read(addr, b.length));
  dv.setInt16(0, fl.type, true);
  dv.setInt16(2, fl.whence, true);
  if (wide) {
    dv.setBigInt64(8, BigInt(fl.start), true);
    dv.setBigInt64(16, BigInt(fl.len), true);
    dv.setInt32(24, fl.pid, true);
  } else {
    dv.setInt32(4, fl.start, true);
    dv.setInt32(8, fl.len, true);
    dv.setInt32(12, fl.pid, true);
  }
  ctx.access.write(addr, b);
}

function guestPid(ctx: SyscallContext): number {
  return (ctx as Partial<ThreadContext>).kernel?.pid ?? 0;
}

/** The range [start, end) a struct flock names (end Infinity: to the end of any file), or -EINVAL. */
function rangeOf(fds: FdTable, f: OpenFile, fl: FlockStruct): [number, number] | number {
  let base: number;
  switch (fl.whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = fds.offset(f); break;
    case SEEK_END: base = fs.fstatSync(f.hostFd).size; break;
    default: return -EINVAL;
  }
  let start = base + fl.start;
  let end: number;
  if (fl.len > 0) {
    end = start + fl.len;
  } else if (fl.len < 0) {
    end = start;
    start += fl.len;
  } else {
    end = Infinity;
  }
  return start < 0 ? -EINVAL : [start, end];
}

/** A host file's identity, or null for our own pipes (locks on them exclude nobody: they are not shared by name). */
function keyOf(fds: FdTable, f: OpenFile): FileKey | null {
  const k = fds.kind(f);
  return k === KIND_PIPE_READ || k === KIND_PIPE_WRITE ? null : fileKeyOf(f.hostFd);
}

/** fcntl's F_GETLK/F_SETLK/F_SETLKW (and 64-bit, and OFD) forms on a pinned fd. */
export function fcntlLock(ctx: SyscallContext, fds: FdTable, f: OpenFile, cmd: number, arg: number): number {
  const wide = cmd >= F_GETLK64;
  const ofdLock = cmd >= F_OFD_GETLK;
  const addr = arg >>> 0;
  const fl = readFlock(ctx, addr, wide);
  if (fl.type !== F_RDLCK && fl.type !== F_WRLCK && fl.type !== F_UNLCK) return -EINVAL;
  if (ofdLock && fl.pid !== 0) return -EINVAL;
  const range = rangeOf(fds, f, fl);
  if (typeof range === 'number') return range;
  const [start, end] = range;
  const owner = ofdLock ? -(f.ofd + 1) : fds.lockOwner;
  const type = fl.type === F_WRLCK ? LOCK_EXCLUSIVE : fl.type === F_RDLCK ? LOCK_SHARED : 0;
  const key = keyOf(fds, f);
  if (cmd === F_GETLK || cmd === F_GETLK64 || cmd === F_OFD_GETLK) {
    if (fl.type === F_UNLCK) return -EINVAL;
    const held = key ? fds.locks.conflict(KIND_POSIX, key, owner, type, start, end) : null;
    if (held === null) {
      writeFlock(ctx, addr, wide, { ...fl, type: F_UNLCK });
    } else {
      writeFlock(ctx, addr, wide, {
        type: held.type === LOCK_EXCLUSIVE ? F_WRLCK : F_RDLCK,
        whence: SEEK_SET,
        start: held.start,
        len: held.end === Infinity ? 0 : held.end - held.start,
        pid: held.pid,
      });
    }
    return 0;
  }
  // A read lock needs the fd open for reading, a write lock for writing.
  const mode = fds.status(f) & G_O_ACCMODE;
  if ((type === LOCK_SHARED && mode === G_O_WRONLY) || (type === LOCK_EXCLUSIVE && mode === G_O_RDONLY)) return -EBADF;
  if (!key) return 0;
  const wait = cmd === F_SETLKW || cmd === F_SETLKW64 || cmd === F_OFD_SETLKW;
  // An OFD lock reports pid -1 to F_GETLK, as Linux does.
  return acquire(ctx, fds, KIND_POSIX, key, owner, ofdLock ? -1 : guestPid(ctx), type, start, end, wait);
}

/** flock(fd, operation) on the whole file, owned by the fd's open file description. */
function flock(ctx: SyscallContext, fds: FdTable, fd: number, op: number): number {
  return fds.with(fd, (f) => {
    const nb = (op & LOCK_NB) !== 0;
    const what = op & ~LOCK_NB;
    if (what !== LOCK_SH && what !== LOCK_EX && what !== LOCK_UN) return -EINVAL;
    const key = keyOf(fds, f);
    if (!key) return 0;
    const type = what === LOCK_EX ? LOCK_EXCLUSIVE : what === LOCK_SH ? LOCK_SHARED : 0;
    const owner = f.ofd + 1;
    // Converting a lock drops the old one first (another waiter may get in between), as Linux's flock does.
    if (type !== 0) fds.locks.set(KIND_FLOCK, key, owner, 0, 0, 0, Infinity);
    return acquire(ctx, fds, KIND_FLOCK, key, owner, guestPid(ctx), type, 0, Infinity, !nb); // EWOULDBLOCK is EAGAIN
  });
}

/** Sets the lock, waiting while another owner's lock is in the way when `wait`. */
function acquire(
  ctx: SyscallContext, fds: FdTable, kind: number, key: FileKey, owner: number, pid: number,
  type: number, start: number, end: number, wait: boolean,
): number {
  const { array, index } = fds.locks.seqWord;
  for (;;) {
    const seen = fds.locks.seq();
    const r: true | HeldLock | number = fds.locks.set(kind, key, owner, pid, type, start, end);
    if (r === true) return 0;
    if (r === NO_LOCKS) return -ENOLCK;
    if (!wait) return -EAGAIN;
    if (waitForChange(ctx, array, index, seen, Infinity, true) === WaitEnd.SIGNAL) return -ERESTARTSYS;
  }
}

export function lockSyscalls(fds: FdTable): [number, SyscallHandler][] {
  return [[NR_flock, (ctx, fd, op) => flock(ctx, fds, fd, op)]];
}

