// The guest file-descriptor table, shared by every vCPU worker through one
// SharedArrayBuffer. Like Linux it has two levels: 1024 guest fds, each naming
// an open file description (OFD) plus its FD_CLOEXEC bit, and OFDs holding
// the host fd, a reference count, the guest status flags (O_APPEND, O_NONBLOCK,
// access mode...), a kind and a 64-bit file offset. dup() shares an OFD (and so
// its offset), which Node could not give us otherwise: it has no dup() or lseek().
//
// Host fds are process-wide, so an fd opened in one worker is valid in all.
// Every fd/OFD mutation happens under one SharedLock; syscalls pin an OFD with
// get()/put() so a concurrent close() cannot release the host fd under them.

import * as fs from 'node:fs';
import { EACCES, EBADF, EINVAL, EMFILE, ENODEV, errnoFromNode } from './errno.js';
import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';

export const MAX_FDS = 1024;
const MAX_OFDS = 1024;
const OFD_WORDS = 8;
const O_HOST = 0; // host fd, -1 when free
const O_REFS = 1; // guest fds + in-flight syscalls using it; 0 = free
const O_STATUS = 2; // guest open flags (access mode, O_APPEND, O_NONBLOCK, ...)
const O_KIND = 3;
const O_OFF_LO = 4;
const O_OFF_HI = 5;
const O_LOCK = 6; // serialises offset updates (Linux's f_pos_lock)

/** Pipe, tty, socket or char device: host read/write at the host's own position. */
export const KIND_STREAM = 1;
/** Regular file: we keep the offset and use pread/pwrite. */
export const KIND_FILE = 2;
/** Directory: the offset is the getdents64 entry index. */
export const KIND_DIR = 3;
/** Inherited regular file (stdio redirected to a file): host offset until the guest seeks. */
export const KIND_HOSTPOS = 4;
/** /dev/null. */
export const KIND_DEVNULL = 5;
/** Flag in the kind word: never close the host fd (the emulator's own stdio). */
export const KIND_NOCLOSE = 0x100;

export const FD_CLOEXEC = 1;
/** Guest (ARM) open flags kept in an OFD's status word. */
export const G_O_ACCMODE = 3;
export const G_O_WRONLY = 1;
export const G_O_RDWR = 2;
export const G_O_APPEND = 0o2000;
export const G_O_NONBLOCK = 0o4000;
export const G_O_LARGEFILE = 0o400000;
export const G_O_CLOEXEC = 0o2000000;

const LAYOUT = new SharedLayout([
  { name: 'header', words: 16 },
  { name: 'fdOfd', words: MAX_FDS }, // OFD index + 1, 0 = closed
  { name: 'fdFlags', words: MAX_FDS },
  { name: 'ofds', words: MAX_OFDS * OFD_WORDS },
]);

/** An OFD pinned by get(): valid until put(). */
export interface OpenFile {
  readonly ofd: number;
  readonly hostFd: number;
}

/** Reads a host fd's open flags and offset from /proc/self/fdinfo (null if unavailable). */
function hostFdInfo(hostFd: number): { flags: number; pos: number } | null {
  try {
    const text = fs.readFileSync(`/proc/self/fdinfo/${hostFd}`, 'latin1');
    const pos = /^pos:\s*(\d+)/m.exec(text);
    const flags = /^flags:\s*([0-7]+)/m.exec(text);
    return { pos: pos ? Number(pos[1]) : 0, flags: flags ? parseInt(flags[1]!, 8) : 0 };
  } catch {
    return null;
  }
}

/** The host's current file offset of a host fd (for ftell on an inherited file), or -1. */
export function hostFdPosition(hostFd: number): number {
  return hostFdInfo(hostFd)?.pos ?? -1;
}

/** The table kind for a host fd, from fstat. */
export function kindOfHostFd(hostFd: number): number {
  const st = fs.fstatSync(hostFd);
  if (st.isFile()) return KIND_FILE;
  if (st.isDirectory()) return KIND_DIR;
  return KIND_STREAM;
}

export class FdTable {
  private readonly header: Int32Array;
  private readonly fdOfd: Int32Array;
  private readonly fdFlags: Int32Array;
  private readonly ofds: Int32Array;
  private readonly lock: SharedLock;

  /** A new table with guest fds 0, 1, 2 on host fds 0, 1, 2 (those that are open). */
  static create(): SharedArrayBuffer {
    const sab = new SharedArrayBuffer(LAYOUT.totalWords * 4);
    const t = new FdTable(sab);
    for (let i = 0; i < MAX_OFDS; i++) t.ofds[i * OFD_WORDS + O_HOST] = -1;
    for (let fd = 0; fd < 3; fd++) {
      let kind: number;
      try {
        kind = kindOfHostFd(fd);
      } catch {
        continue; // host fd closed: so is the guest's
      }
      const info = hostFdInfo(fd);
      // Host and guest agree on the access mode and O_APPEND bits. O_NONBLOCK is
      // left out: Node may have set it on its own stdio, the guest expects blocking.
      const status = info ? info.flags & (G_O_ACCMODE | G_O_APPEND) : fd === 0 ? 0 : G_O_WRONLY;
      if (kind === KIND_FILE) kind = KIND_HOSTPOS;
      t.install(fd, kind | KIND_NOCLOSE, status, false);
    }
    return sab;
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = LAYOUT.view(buffer, 'header');
    this.fdOfd = LAYOUT.view(buffer, 'fdOfd');
    this.fdFlags = LAYOUT.view(buffer, 'fdFlags');
    this.ofds = LAYOUT.view(buffer, 'ofds');
    this.lock = new SharedLock(this.header, 0);
  }

  private lowestFreeFd(min: number): number {
    for (let fd = min; fd < MAX_FDS; fd++) if (this.fdOfd[fd] === 0) return fd;
    return -1;
  }

  /** Drops one reference (lock held); returns the host fd to close, or -1. */
  private unrefLocked(ofd: number): number {
    const b = ofd * OFD_WORDS;
    if (--this.ofds[b + O_REFS]! > 0) return -1;
    const host = this.ofds[b + O_HOST]!;
    const noClose = (this.ofds[b + O_KIND]! & KIND_NOCLOSE) !== 0;
    this.ofds[b + O_HOST] = -1;
    return noClose ? -1 : host;
  }

  private static closeHost(host: number): void {
    if (host < 0) return;
    try {
      fs.closeSync(host);
    } catch {
      // already gone: nothing the guest can do about it
    }
  }

  /**
   * Installs a freshly opened host fd at the lowest free guest fd >= minFd.
   * Returns the guest fd, or -EMFILE (the caller still owns and closes hostFd).
   */
  install(hostFd: number, kind: number, status: number, cloexec: boolean, minFd = 0): number {
    return this.lock.withLock(() => {
      const fd = this.lowestFreeFd(minFd);
      if (fd < 0) return -EMFILE;
      let ofd = 0;
      while (ofd < MAX_OFDS && this.ofds[ofd * OFD_WORDS + O_REFS] !== 0) ofd++;
      if (ofd === MAX_OFDS) return -EMFILE;
      const b = ofd * OFD_WORDS;
      this.ofds.fill(0, b, b + OFD_WORDS);
      this.ofds[b + O_HOST] = hostFd;
      this.ofds[b + O_REFS] = 1;
      this.ofds[b + O_STATUS] = status & ~G_O_CLOEXEC;
      this.ofds[b + O_KIND] = kind;
      this.fdFlags[fd] = cloexec ? FD_CLOEXEC : 0;
      Atomics.store(this.fdOfd, fd, ofd + 1);
      return fd;
    });
  }

  /** Pins the OFD behind a guest fd (null if the fd is not open). Pair with put(). */
  get(fd: number): OpenFile | null {
    if (!Number.isInteger(fd) || fd < 0 || fd >= MAX_FDS) return null;
    return this.lock.withLock(() => {
      const ofd = this.fdOfd[fd]! - 1;
      if (ofd < 0) return null;
      const b = ofd * OFD_WORDS;
      this.ofds[b + O_REFS]!++;
      return { ofd, hostFd: this.ofds[b + O_HOST]! };
    });
  }

  put(file: OpenFile): void {
    FdTable.closeHost(this.lock.withLock(() => this.unrefLocked(file.ofd)));
  }

  /** Runs fn with the fd's OFD pinned; -EBADF if the fd is not open. */
  with(fd: number, fn: (file: OpenFile) => number): number {
    const file = this.get(fd);
    if (!file) return -EBADF;
    try {
      return fn(file);
    } finally {
      this.put(file);
    }
  }

  isOpen(fd: number): boolean {
    return Number.isInteger(fd) && fd >= 0 && fd < MAX_FDS && Atomics.load(this.fdOfd, fd) !== 0;
  }

  close(fd: number): number {
    if (!Number.isInteger(fd) || fd < 0 || fd >= MAX_FDS) return -EBADF;
    const host = this.lock.withLock(() => {
      const ofd = this.fdOfd[fd]! - 1;
      if (ofd < 0) return -2;
      Atomics.store(this.fdOfd, fd, 0);
      this.fdFlags[fd] = 0;
      return this.unrefLocked(ofd);
    });
    if (host === -2) return -EBADF;
    FdTable.closeHost(host);
    return 0;
  }

  /** Closes every guest fd (process teardown; the emulator's own stdio stays open). */
  closeAll(): void {
    for (let fd = 0; fd < MAX_FDS; fd++) if (this.isOpen(fd)) this.close(fd);
  }

  /** dup/F_DUPFD: the lowest free fd >= minFd sharing oldFd's OFD. */
  dup(oldFd: number, minFd: number, cloexec: boolean): number {
    if (!Number.isInteger(minFd) || minFd < 0 || minFd >= MAX_FDS) return -EINVAL;
    if (!Number.isInteger(oldFd) || oldFd < 0 || oldFd >= MAX_FDS) return -EBADF;
    return this.lock.withLock(() => {
      const ofd = this.fdOfd[oldFd]! - 1;
      if (ofd < 0) return -EBADF;
      const fd = this.lowestFreeFd(minFd);
      if (fd < 0) return -EMFILE;
      this.ofds[ofd * OFD_WORDS + O_REFS]!++;
      this.fdFlags[fd] = cloexec ? FD_CLOEXEC : 0;
      Atomics.store(this.fdOfd, fd, ofd + 1);
      return fd;
    });
  }

  /** dup2/dup3 (the caller rejects oldFd === newFd for dup3): closes newFd first if open. */
  dupTo(oldFd: number, newFd: number, cloexec: boolean): number {
    if (!Number.isInteger(oldFd) || oldFd < 0 || oldFd >= MAX_FDS) return -EBADF;
    if (!Number.isInteger(newFd) || newFd < 0 || newFd >= MAX_FDS) return -EBADF;
    let toClose = -1;
    const r = this.lock.withLock(() => {
      const ofd = this.fdOfd[oldFd]! - 1;
      if (ofd < 0) return -EBADF;
      if (oldFd === newFd) return newFd;
      const prev = this.fdOfd[newFd]! - 1;
      this.ofds[ofd * OFD_WORDS + O_REFS]!++;
      this.fdFlags[newFd] = cloexec ? FD_CLOEXEC : 0;
      Atomics.store(this.fdOfd, newFd, ofd + 1);
      if (prev >= 0) toClose = this.unrefLocked(prev);
      return newFd;
    });
    FdTable.closeHost(toClose);
    return r;
  }

  fdFlagsOf(fd: number): number {
    return this.isOpen(fd) ? Atomics.load(this.fdFlags, fd) : -EBADF;
  }

  setFdFlags(fd: number, flags: number): number {
    if (!this.isOpen(fd)) return -EBADF;
    Atomics.store(this.fdFlags, fd, flags & FD_CLOEXEC);
    return 0;
  }

  status(f: OpenFile): number {
    return Atomics.load(this.ofds, f.ofd * OFD_WORDS + O_STATUS);
  }

  setStatus(f: OpenFile, status: number): void {
    Atomics.store(this.ofds, f.ofd * OFD_WORDS + O_STATUS, status & ~G_O_CLOEXEC);
  }

  /** The kind without the KIND_NOCLOSE flag. */
  kind(f: OpenFile): number {
    return Atomics.load(this.ofds, f.ofd * OFD_WORDS + O_KIND) & 0xff;
  }

  setKind(f: OpenFile, kind: number): void {
    const i = f.ofd * OFD_WORDS + O_KIND;
    Atomics.store(this.ofds, i, (Atomics.load(this.ofds, i) & KIND_NOCLOSE) | kind);
  }

  offset(f: OpenFile): number {
    const b = f.ofd * OFD_WORDS;
    return Atomics.load(this.ofds, b + O_OFF_HI) * 0x100000000 + (Atomics.load(this.ofds, b + O_OFF_LO) >>> 0);
  }

  setOffset(f: OpenFile, off: number): void {
    const b = f.ofd * OFD_WORDS;
    Atomics.store(this.ofds, b + O_OFF_LO, off % 0x100000000 | 0);
    Atomics.store(this.ofds, b + O_OFF_HI, Math.floor(off / 0x100000000));
  }

  /** Runs fn holding the OFD's offset lock (read-modify-write of the offset). */
  withOffsetLock<T>(f: OpenFile, fn: () => T): T {
    return new SharedLock(this.ofds, f.ofd * OFD_WORDS + O_LOCK).withLock(fn);
  }

  /** Host fd behind a guest fd right now, or -1 (no pinning: for diagnostics). */
  hostFdOf(fd: number): number {
    if (!this.isOpen(fd)) return -1;
    const ofd = Atomics.load(this.fdOfd, fd) - 1;
    return ofd < 0 ? -1 : Atomics.load(this.ofds, ofd * OFD_WORDS + O_HOST);
  }

  /**
   * For mmap: up to len bytes of the file at offset (fewer at end of file; the
   * mapping's tail stays zero). -EBADF, -EACCES (write-only), -ENODEV (not a file).
   */
  readAt(fd: number, len: number, offset: number): Uint8Array | number {
    const f = this.get(fd);
    if (!f) return -EBADF;
    try {
      if ((this.status(f) & G_O_ACCMODE) === G_O_WRONLY) return -EACCES;
      const kind = this.kind(f);
      if (kind === KIND_DEVNULL) return new Uint8Array(0);
      if (kind !== KIND_FILE && kind !== KIND_HOSTPOS) return -ENODEV;
      const want = Math.max(0, Math.min(len, fs.fstatSync(f.hostFd).size - offset));
      const out = Buffer.alloc(want);
      let done = 0;
      while (done < want) {
        const n = fs.readSync(f.hostFd, out, done, Math.min(want - done, 1 << 20), offset + done);
        if (n === 0) break;
        done += n;
      }
      return new Uint8Array(out.buffer, out.byteOffset, done);
    } catch (e) {
      return -errnoFromNode(e);
    } finally {
      this.put(f);
    }
  }
}
