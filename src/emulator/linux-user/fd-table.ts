// The guest file-descriptor table of one process (the kernel's
// files_struct). Like Linux's, the fds have two levels: each guest process
// has 1024 fds (one SharedArrayBuffer per process), each naming an open file
// description (OFD) plus its FD_CLOEXEC bit; the OFDs are run-wide
// (open-file-table.ts), so that fork shares them, offsets included. dup()
// shares an OFD (and so its offset), which Node could not give us otherwise:
// it has no dup() or lseek().
//
// Host fds are process-wide, so an fd opened in one worker is valid in all.
// Every fd/OFD mutation, of any process, happens under the OFD table's
// SharedLock; syscalls pin an OFD with get()/put() so a concurrent close()
// cannot release the host fd under them. The last reference to a pipe end
// closes that end (linux-user/pipe-table.ts). The kinds and flags an OFD
// holds are open-file-kinds.ts; what a close does to file locks is
// fd-lock-release.ts; mmap's read of a file is mapped-file-bytes.ts.

import * as fs from 'node:fs';
import { EBADF, EINVAL, EMFILE } from './errno.js';
import { SharedLayout } from '../shared/layout.js';
import type { SharedLock } from '../shared/shared-lock.js';
import {
  FD_CLOEXEC, G_O_ACCMODE, G_O_APPEND, G_O_WRONLY, hostFdInfo, KIND_FILE, KIND_HOSTPOS, KIND_NOCLOSE, KIND_PIPE_READ,
  KIND_PIPE_WRITE, kindOfHostFd,
} from './open-file-kinds.js';
import { OpenFileTable, type Release } from './open-file-table.js';
import { PipeTable } from './pipe-table.js';
import { FileLocks, type FileKey } from './file-locks.js';
import { releaseFileLocks } from './fd-lock-release.js';

const ENFILE = 23;

export const MAX_FDS = 1024;
/** Bytes of the working directory's path (UTF-8); longer paths make chdir fail with ENAMETOOLONG. */
export const CWD_MAX_BYTES = 4096;

const FD_LAYOUT = new SharedLayout([
  { name: 'fdOfd', words: MAX_FDS }, // OFD index + 1, 0 = closed
  { name: 'fdFlags', words: MAX_FDS },
  // The process's working directory (the kernel's fs_struct, shared by threads
  // and copied by fork like the fd table): byte length, then the host path. Empty: the host's cwd.
  { name: 'cwd', words: 1 + CWD_MAX_BYTES / 4 },
  // The table's id as an owner of POSIX record locks (Linux's files_struct): run-wide unique.
  { name: 'owner', words: 1 },
]);

/** A process's fd table and the run-wide tables it refers to. */
export interface FdBuffers {
  /** Run-wide: the open file descriptions. */
  readonly ofds: SharedArrayBuffer;
  /** Run-wide: the pipes (linux-user/pipe-table.ts). */
  readonly pipes: SharedArrayBuffer;
  /** Run-wide: the file locks (linux-user/file-locks.ts). */
  readonly locks: SharedArrayBuffer;
  /** This process's fds. */
  readonly fds: SharedArrayBuffer;
}

/** An OFD pinned by get(): valid until put(). */
export interface OpenFile {
  readonly ofd: number;
  readonly hostFd: number;
}

export class FdTable {
  private readonly fdOfd: Int32Array;
  private readonly fdFlags: Int32Array;
  private readonly cwdWords: Int32Array;
  /** The run's open file descriptions (open-file-table.ts), whose lock is this table's. */
  private readonly files: OpenFileTable;
  private readonly lock: SharedLock;
  readonly pipes: PipeTable;
  readonly locks: FileLocks;
  private readonly owner: Int32Array;

  /**
   * The run's first process's fd table with guest fds 0, 1, 2 on host fds 0,
   * 1, 2 (those that are open), and new run-wide tables.
   */
  static create(): FdBuffers {
    const buffers: FdBuffers = {
      ofds: OpenFileTable.create(),
      pipes: PipeTable.create(),
      locks: FileLocks.create(),
      fds: new SharedArrayBuffer(FD_LAYOUT.totalWords * 4),
    };
    const t = new FdTable(buffers);
    t.owner[0] = t.files.newOwnerId();
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
    return buffers;
  }

  constructor(readonly buffers: FdBuffers) {
    this.fdOfd = FD_LAYOUT.view(buffers.fds, 'fdOfd');
    this.fdFlags = FD_LAYOUT.view(buffers.fds, 'fdFlags');
    this.cwdWords = FD_LAYOUT.view(buffers.fds, 'cwd');
    this.pipes = new PipeTable(buffers.pipes);
    this.locks = new FileLocks(buffers.locks);
    this.files = new OpenFileTable(buffers.ofds, this.locks);
    this.lock = this.files.lock;
    this.owner = FD_LAYOUT.view(buffers.fds, 'owner');
  }

  /** This table's id as the owner of POSIX record locks. */
  get lockOwner(): number {
    return this.owner[0]!;
  }

  /** fork: a copy of this process's fds sharing every OFD (each gains a reference). */
  fork(): FdBuffers {
    const child: FdBuffers = { ...this.buffers, fds: new SharedArrayBuffer(FD_LAYOUT.totalWords * 4) };
    const c = new FdTable(child);
    this.lock.withLock(() => {
      for (let fd = 0; fd < MAX_FDS; fd++) {
        const ofd = this.fdOfd[fd]! - 1;
        if (ofd < 0) continue;
        this.files.refLocked(ofd);
        c.fdFlags[fd] = this.fdFlags[fd]!;
        c.fdOfd[fd] = ofd + 1;
      }
      c.cwdWords.set(this.cwdWords);
    });
    c.owner[0] = this.files.newOwnerId(); // a new process: its record locks are its own (none inherited)
    return child;
  }

  /** The process's working directory: a host path inside the sandbox, or the host's cwd until chdir. */
  cwd(): string {
    return this.lock.withLock(() => {
      const n = this.cwdWords[0]!;
      if (n === 0) return process.cwd();
      return Buffer.from(new Uint8Array(this.cwdWords.buffer, this.cwdWords.byteOffset + 4, n)).toString('utf8');
    });
  }

  /** chdir/fchdir: false if the path is longer than CWD_MAX_BYTES. */
  setCwd(hostPath: string): boolean {
    const bytes = Buffer.from(hostPath, 'utf8');
    if (bytes.length > CWD_MAX_BYTES) return false;
    this.lock.withLock(() => {
      new Uint8Array(this.cwdWords.buffer, this.cwdWords.byteOffset + 4, CWD_MAX_BYTES).set(bytes);
      this.cwdWords[0] = bytes.length;
    });
    return true;
  }

  /** execve: closes the fds marked close-on-exec. */
  closeOnExec(): void {
    for (let fd = 0; fd < MAX_FDS; fd++) {
      if (this.isOpen(fd) && Atomics.load(this.fdFlags, fd) & FD_CLOEXEC) this.close(fd);
    }
  }

  private lowestFreeFd(min: number): number {
    for (let fd = min; fd < MAX_FDS; fd++) if (this.fdOfd[fd] === 0) return fd;
    return -1;
  }

  /**
   * A guest fd for the OFD is closing (close, dup2 over it, exec, exit):
   * names the file when this process may hold POSIX locks on it, which
   * Linux drops at any close of any fd for the file (lock held).
   */
  private posixKeyLocked(ofd: number): FileKey | null {
    return this.files.lockedFileKeyLocked(ofd);
  }

  private finishRelease(r: Release, posixKey: FileKey | null = null): void {
    releaseFileLocks(this.locks, posixKey, this.lockOwner, r?.flockKey ?? null, r?.ofd ?? -1);
    if (!r) return;
    if (r.pipe >= 0) this.pipes.closeEnd(r.pipe, r.writer);
    else FdTable.closeHost(r.host);
  }

  private static closeHost(host: number): void {
    if (host < 0) return;
    try {
      fs.closeSync(host);
    } catch {
      // already gone: nothing the guest can do about it
    }
  }

  /** pipe/pipe2: both ends of a new pipe at the two lowest free fds; [readFd, writeFd] or -errno. */
  installPipe(status: number, cloexec: boolean): [number, number] | number {
    const p = this.pipes.allocate();
    if (p < 0) return -ENFILE;
    const r = this.install(-1, KIND_PIPE_READ, status & ~G_O_ACCMODE, cloexec, 0, p);
    if (r < 0) {
      this.pipes.closeEnd(p, false);
      this.pipes.closeEnd(p, true);
      return r;
    }
    const w = this.install(-1, KIND_PIPE_WRITE, (status & ~G_O_ACCMODE) | G_O_WRONLY, cloexec, 0, p);
    if (w < 0) {
      this.close(r);
      this.pipes.closeEnd(p, true);
      return w;
    }
    return [r, w];
  }

  /** The pipe behind a pipe end's OFD. */
  pipeOf(f: OpenFile): number {
    return this.files.pipe(f.ofd);
  }

  /**
   * Installs a freshly opened host fd at the lowest free guest fd >= minFd.
   * Returns the guest fd, or -EMFILE (the caller still owns and closes hostFd).
   */
  install(hostFd: number, kind: number, status: number, cloexec: boolean, minFd = 0, pipe = -1): number {
    return this.lock.withLock(() => {
      const fd = this.lowestFreeFd(minFd);
      if (fd < 0) return -EMFILE;
      const ofd = this.files.allocLocked(hostFd, kind, status, pipe);
      if (ofd < 0) return -EMFILE;
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
      this.files.refLocked(ofd);
      return { ofd, hostFd: this.files.hostFd(ofd) };
    });
  }

  put(file: OpenFile): void {
    this.finishRelease(this.lock.withLock(() => this.files.unrefLocked(file.ofd)));
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
    let open = true;
    let posixKey: FileKey | null = null;
    const release = this.lock.withLock(() => {
      const ofd = this.fdOfd[fd]! - 1;
      if (ofd < 0) {
        open = false;
        return null;
      }
      posixKey = this.posixKeyLocked(ofd);
      Atomics.store(this.fdOfd, fd, 0);
      this.fdFlags[fd] = 0;
      return this.files.unrefLocked(ofd);
    });
    if (!open) return -EBADF;
    this.finishRelease(release, posixKey);
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
      this.files.refLocked(ofd);
      this.fdFlags[fd] = cloexec ? FD_CLOEXEC : 0;
      Atomics.store(this.fdOfd, fd, ofd + 1);
      return fd;
    });
  }

  /** dup2/dup3 (the caller rejects oldFd === newFd for dup3): closes newFd first if open. */
  dupTo(oldFd: number, newFd: number, cloexec: boolean): number {
    if (!Number.isInteger(oldFd) || oldFd < 0 || oldFd >= MAX_FDS) return -EBADF;
    if (!Number.isInteger(newFd) || newFd < 0 || newFd >= MAX_FDS) return -EBADF;
    let toClose: Release = null;
    let posixKey: FileKey | null = null;
    const r = this.lock.withLock(() => {
      const ofd = this.fdOfd[oldFd]! - 1;
      if (ofd < 0) return -EBADF;
      if (oldFd === newFd) return newFd;
      const prev = this.fdOfd[newFd]! - 1;
      this.files.refLocked(ofd);
      this.fdFlags[newFd] = cloexec ? FD_CLOEXEC : 0;
      if (prev >= 0) posixKey = this.posixKeyLocked(prev);
      Atomics.store(this.fdOfd, newFd, ofd + 1);
      if (prev >= 0) toClose = this.files.unrefLocked(prev);
      return newFd;
    });
    this.finishRelease(toClose, posixKey);
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

  // ---- the OFD behind a pinned fd (open-file-table.ts) ----

  status(f: OpenFile): number {
    return this.files.status(f.ofd);
  }

  setStatus(f: OpenFile, status: number): void {
    this.files.setStatus(f.ofd, status);
  }

  /** The kind without the KIND_NOCLOSE flag. */
  kind(f: OpenFile): number {
    return this.files.kind(f.ofd);
  }

  setKind(f: OpenFile, kind: number): void {
    this.files.setKind(f.ofd, kind);
  }

  offset(f: OpenFile): number {
    return this.files.offset(f.ofd);
  }

  setOffset(f: OpenFile, off: number): void {
    this.files.setOffset(f.ofd, off);
  }

  /** Runs fn holding the OFD's offset lock (read-modify-write of the offset). */
  withOffsetLock<T>(f: OpenFile, fn: () => T): T {
    return this.files.withOffsetLock(f.ofd, fn);
  }

  /** Host fd behind a guest fd right now, or -1 (no pinning: for diagnostics). */
  hostFdOf(fd: number): number {
    if (!this.isOpen(fd)) return -1;
    const ofd = Atomics.load(this.fdOfd, fd) - 1;
    return ofd < 0 ? -1 : this.files.hostFd(ofd);
  }
}
