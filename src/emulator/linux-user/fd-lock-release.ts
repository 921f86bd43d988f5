// What closing guest fds does to the run's file locks (file-locks.ts), as in
// Linux: any close of an fd for a file drops the POSIX record locks the
// closing process's fd table owns on that file (locks_remove_posix), and the
// last reference to an open file description drops the flock lock it owns
// (locks_remove_flock). The fd table (fd-table.ts) names the file under its
// lock, while the host fd is surely still open, and releases the locks once
// it has let go of that lock.

import { fileKeyOf, type FileKey, type FileLocks, KIND_FLOCK, KIND_POSIX } from './file-locks.js';
import { KIND_PIPE_READ, KIND_PIPE_WRITE } from './open-file-kinds.js';

/** Kinds whose OFD holds a host fd that names a host file (all but our own pipes' ends). */
function isHostFileKind(kind: number): boolean {
  const k = kind & 0xff;
  return k !== KIND_PIPE_READ && k !== KIND_PIPE_WRITE;
}

/**
 * The file an OFD's host fd names, when a lock may be held on it; null when
 * none can be (no lock in the run, a pipe end, a host fd fstat refuses).
 */
export function lockedFileKey(locks: FileLocks, kind: number, hostFd: number): FileKey | null {
  if (!locks.any() || !isHostFileKind(kind)) return null;
  try {
    return fileKeyOf(hostFd);
  } catch {
    return null;
  }
}

/**
 * Drops the POSIX locks `owner` (an fd table's lock owner) holds on the file
 * posixKey names, then the flock lock of OFD `ofd` on the file flockKey
 * names; a null key drops nothing.
 */
export function releaseFileLocks(locks: FileLocks, posixKey: FileKey | null, owner: number, flockKey: FileKey | null, ofd: number): void {
  if (posixKey) locks.releaseAll(KIND_POSIX, posixKey, owner);
  if (flockKey) locks.releaseAll(KIND_FLOCK, flockKey, ofd + 1);
}
