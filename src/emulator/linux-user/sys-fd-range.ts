// Calls on an fd's extent or on a range of fds: fallocate (a regular file's
// size and holes), close_range, and the flushes sync/syncfs.

import * as fs from 'node:fs';
import { EBADF, EINVAL, EISDIR, ENODEV, ESPIPE } from './errno.js';
import { FdTable, MAX_FDS } from './fd-table.js';
import {
  FD_CLOEXEC, G_O_ACCMODE, G_O_APPEND, KIND_DIR, KIND_FILE, KIND_HOSTPOS, KIND_PIPE_READ, KIND_PIPE_WRITE,
} from './open-file-kinds.js';
import { EOPNOTSUPP, pair } from './sys-file-util.js';
import type { SyscallHandler } from './syscall-context.js';

export const NR_sync = 36;
export const NR_fallocate = 352;
export const NR_syncfs = 373;
export const NR_close_range = 436;

const FALLOC_FL_KEEP_SIZE = 0x01;
const FALLOC_FL_PUNCH_HOLE = 0x02;
const CLOSE_RANGE_UNSHARE = 1 << 1;
const CLOSE_RANGE_CLOEXEC = 1 << 2;
const EFBIG = 27;
const MAX_FILE = 2 ** 53; // past what a JS number offset can name exactly
const ZEROS = new Uint8Array(1 << 16);

/**
 * fallocate(fd, mode, offset, len). Mode 0 makes the file at least
 * offset+len bytes long (the new bytes read as zeros); KEEP_SIZE alone
 * changes nothing the guest can see; PUNCH_HOLE|KEEP_SIZE zeroes the range's
 * part inside the file. Other modes (collapse, zero, insert range) are
 * EOPNOTSUPP, as on a file system without them. Errors as Linux checks them:
 * EBADF for a closed fd, EINVAL for a negative offset or a length <= 0, EBADF unless open for
 * writing, ESPIPE for a pipe, EISDIR for a directory, ENODEV for anything
 * else that is not a regular file, EFBIG past the largest size.
 */
function fallocate(fds: FdTable, fd: number, mode: number, offset: number, len: number): number {
  return fds.with(fd, (f) => {
    if (offset < 0 || len <= 0) return -EINVAL;
    if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) return -EOPNOTSUPP;
    if (mode & FALLOC_FL_PUNCH_HOLE && !(mode & FALLOC_FL_KEEP_SIZE)) return -EOPNOTSUPP;
    const status = fds.status(f);
    if ((status & G_O_ACCMODE) === 0) return -EBADF;
    if (mode & FALLOC_FL_PUNCH_HOLE && status & G_O_APPEND) return -EBADF;
    const kind = fds.kind(f);
    if (kind === KIND_PIPE_READ || kind === KIND_PIPE_WRITE) return -ESPIPE;
    if (kind === KIND_DIR) return -EISDIR;
    if (kind !== KIND_FILE && kind !== KIND_HOSTPOS) return -ENODEV;
    if (offset + len > MAX_FILE) return -EFBIG;
    const size = fs.fstatSync(f.hostFd).size;
    if (mode & FALLOC_FL_PUNCH_HOLE) {
      for (let at = offset, end = Math.min(offset + len, size); at < end;) {
        at += fs.writeSync(f.hostFd, ZEROS, 0, Math.min(ZEROS.length, end - at), at);
      }
    } else if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > size) {
      fs.ftruncateSync(f.hostFd, offset + len);
    }
    return 0;
  });
}

/**
 * close_range(first, last, flags): closes (or with CLOSE_RANGE_CLOEXEC marks
 * close-on-exec) every open fd in [first, last]; fds past the table's end
 * are never open. CLOSE_RANGE_UNSHARE would need a private fd table for the
 * calling thread, which threads here do not have: EINVAL, and glibc's
 * closefrom then closes the fds one by one.
 */
function closeRange(fds: FdTable, first: number, last: number, flags: number): number {
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first >>> 0 > last >>> 0) return -EINVAL;
  if (flags & CLOSE_RANGE_UNSHARE) return -EINVAL;
  const end = Math.min(last >>> 0, MAX_FDS - 1);
  for (let fd = first >>> 0; fd <= end; fd++) {
    if (!fds.isOpen(fd)) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) fds.setFdFlags(fd, FD_CLOEXEC);
    else fds.close(fd);
  }
  return 0;
}

export function fdRangeSyscalls(fds: FdTable): [number, SyscallHandler][] {
  return [
    // ARM EABI: fd, mode, then the 64-bit offset and length in aligned register pairs.
    [NR_fallocate, (_ctx, fd, mode, offLo, offHi, lenLo, lenHi) => fallocate(fds, fd, mode, pair(offLo, offHi), pair(lenLo, lenHi))],
    [NR_close_range, (_ctx, first, last, flags) => closeRange(fds, first, last, flags)],
    // Writes go straight to the host's files; flushing them is the host's business (as sync(1) would be).
    [NR_sync, () => 0],
    [NR_syncfs, (_ctx, fd) => (fds.isOpen(fd) ? 0 : -EBADF)],
  ];
}
