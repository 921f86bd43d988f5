// The run's open file descriptions (OFDs, the kernel's struct file), in one
// run-wide SharedArrayBuffer, so that fork shares them (offsets included)
// between processes. An OFD holds the host fd (or the pipe it is an end of),
// a reference count (guest fds and in-flight syscalls), the guest status
// flags (O_APPEND, O_NONBLOCK, access mode...), a kind (open-file-kinds.ts)
// and a 64-bit file offset with a lock of its own for read-modify-writes.
//
// The buffer's header holds the lock under which every fd and OFD change of
// any process happens (the fd tables take it: fd-table.ts) and the counter
// that names each fd table as an owner of record locks. The *Locked methods
// run under that lock; the others are lock-free.

import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';
import { lockedFileKey } from './fd-lock-release.js';
import type { FileKey, FileLocks } from './file-locks.js';
import { G_O_CLOEXEC, KIND_NOCLOSE, KIND_PIPE_READ, KIND_PIPE_WRITE } from './open-file-kinds.js';

const MAX_OFDS = 4096;
const OFD_WORDS = 8;
const O_HOST = 0; // host fd, -1 when free
const O_REFS = 1; // guest fds + in-flight syscalls using it; 0 = free
const O_STATUS = 2; // guest open flags (access mode, O_APPEND, O_NONBLOCK, ...)
const O_KIND = 3;
const O_OFF_LO = 4;
const O_OFF_HI = 5;
const O_LOCK = 6; // serialises offset updates (Linux's f_pos_lock)
const O_PIPE = 7; // pipe number of a pipe end

const H_LOCK = 0; // the fd tables' lock
const H_NEXT_OWNER = 1; // the last lock-owner id given to an fd table

const LAYOUT = new SharedLayout([
  { name: 'header', words: 16 },
  { name: 'ofds', words: MAX_OFDS * OFD_WORDS },
]);

/**
 * What the last reference to an OFD leaves to do outside the lock: a host fd
 * to close, a pipe end to close, the OFD's flock locks to drop (on the file
 * `flockKey` names, or null when none may be held).
 */
export type Release = { host: number; pipe: number; writer: boolean; ofd: number; flockKey: FileKey | null } | null;

export class OpenFileTable {
  private readonly header: Int32Array;
  private readonly ofds: Int32Array;
  /** The lock of every fd and OFD change, of every process. */
  readonly lock: SharedLock;

  /** A table with every OFD free. */
  static create(): SharedArrayBuffer {
    const sab = new SharedArrayBuffer(LAYOUT.totalWords * 4);
    const ofds = LAYOUT.view(sab, 'ofds');
    for (let i = 0; i < MAX_OFDS; i++) ofds[i * OFD_WORDS + O_HOST] = -1;
    return sab;
  }

  /** locks: the run's file locks, whose flock locks an OFD's last reference drops. */
  constructor(buffer: SharedArrayBuffer, private readonly locks: FileLocks) {
    this.header = LAYOUT.view(buffer, 'header');
    this.ofds = LAYOUT.view(buffer, 'ofds');
    this.lock = new SharedLock(this.header, H_LOCK);
  }

  /** A run-wide unique id for a new fd table as the owner of POSIX record locks. */
  newOwnerId(): number {
    return Atomics.add(this.header, H_NEXT_OWNER, 1) + 1;
  }

  /** A free OFD set up with one reference, or -1 when every OFD is in use. */
  allocLocked(hostFd: number, kind: number, status: number, pipe: number): number {
    let ofd = 0;
    while (ofd < MAX_OFDS && this.ofds[ofd * OFD_WORDS + O_REFS] !== 0) ofd++;
    if (ofd === MAX_OFDS) return -1;
    const b = ofd * OFD_WORDS;
    this.ofds.fill(0, b, b + OFD_WORDS);
    this.ofds[b + O_HOST] = hostFd;
    this.ofds[b + O_REFS] = 1;
    this.ofds[b + O_STATUS] = status & ~G_O_CLOEXEC;
    this.ofds[b + O_KIND] = kind;
    this.ofds[b + O_PIPE] = pipe;
    return ofd;
  }

  /** One more reference (a new guest fd, or a syscall pinning it). */
  refLocked(ofd: number): void {
    this.ofds[ofd * OFD_WORDS + O_REFS]!++;
  }

  /** Drops one reference; returns what to close once the lock is released. */
  unrefLocked(ofd: number): Release {
    const b = ofd * OFD_WORDS;
    if (--this.ofds[b + O_REFS]! > 0) return null;
    const host = this.ofds[b + O_HOST]!;
    const kind = this.ofds[b + O_KIND]!;
    this.ofds[b + O_HOST] = -1;
    const k = kind & 0xff;
    if (k === KIND_PIPE_READ || k === KIND_PIPE_WRITE) {
      return { host: -1, pipe: this.ofds[b + O_PIPE]!, writer: k === KIND_PIPE_WRITE, ofd, flockKey: null };
    }
    // The host fd is still open here: name the file now if its flock locks may need dropping.
    const flockKey = lockedFileKey(this.locks, kind, host);
    return { host: (kind & KIND_NOCLOSE) !== 0 ? -1 : host, pipe: -1, writer: false, ofd, flockKey };
  }

  /**
   * The file the OFD's host fd names, when a lock may be held on it (a guest
   * fd for it is closing: its process's POSIX locks on the file go).
   */
  lockedFileKeyLocked(ofd: number): FileKey | null {
    const b = ofd * OFD_WORDS;
    return lockedFileKey(this.locks, this.ofds[b + O_KIND]!, this.ofds[b + O_HOST]!);
  }

  hostFd(ofd: number): number {
    return Atomics.load(this.ofds, ofd * OFD_WORDS + O_HOST);
  }

  /** The pipe behind a pipe end. */
  pipe(ofd: number): number {
    return Atomics.load(this.ofds, ofd * OFD_WORDS + O_PIPE);
  }

  status(ofd: number): number {
    return Atomics.load(this.ofds, ofd * OFD_WORDS + O_STATUS);
  }

  setStatus(ofd: number, status: number): void {
    Atomics.store(this.ofds, ofd * OFD_WORDS + O_STATUS, status & ~G_O_CLOEXEC);
  }

  /** The kind without the KIND_NOCLOSE flag. */
  kind(ofd: number): number {
    return Atomics.load(this.ofds, ofd * OFD_WORDS + O_KIND) & 0xff;
  }

  setKind(ofd: number, kind: number): void {
    const i = ofd * OFD_WORDS + O_KIND;
    Atomics.store(this.ofds, i, (Atomics.load(this.ofds, i) & KIND_NOCLOSE) | kind);
  }

  offset(ofd: number): number {
    const b = ofd * OFD_WORDS;
    return Atomics.load(this.ofds, b + O_OFF_HI) * 0x100000000 + (Atomics.load(this.ofds, b + O_OFF_LO) >>> 0);
  }

  setOffset(ofd: number, off: number): void {
    const b = ofd * OFD_WORDS;
    Atomics.store(this.ofds, b + O_OFF_LO, off % 0x100000000 | 0);
    Atomics.store(this.ofds, b + O_OFF_HI, Math.floor(off / 0x100000000));
  }

  /** Runs fn holding the OFD's offset lock (read-modify-write of the offset). */
  withOffsetLock<T>(ofd: number, fn: () => T): T {
    return new SharedLock(this.ofds, ofd * OFD_WORDS + O_LOCK).withLock(fn);
  }
}
