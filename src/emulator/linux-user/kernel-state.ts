// Process-wide kernel state shared by every vCPU worker: the program break,
// thread ids and the live-thread count. It lives in one SharedArrayBuffer;
// every mutation happens under its lock (the analogue of qemu-user's
// mmap_lock for brk/mmap). Signal state is in signal-state.ts.

import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';
import { FILE_MAPPING_WORDS, FileMappings, type FileSegment } from './file-mappings.js';

const W_LOCK = 0;
const W_BRK_START = 1;
const W_BRK_CUR = 2; // the break as the guest sees it (unaligned)
const W_NEXT_TID = 3;
const W_LIVE_THREADS = 4;
const W_PID = 5;
const W_EXIT_CODE = 6;
const W_EXITING = 7; // set once exit_group (or a fatal signal) starts ending the process
const W_MMAP_NEXT = 8; // where the next mmap without a hint starts searching (qemu's mmap_next_start)
const W_SIGRETURN_PAGE = 9; // where the loader put the signal return trampolines
const W_ARG_START = 10; // the image's argument strings (mm->arg_start) and their count
const W_ARGC = 11;
const W_STACK_BASE = 12; // the initial sp (mm->start_stack)
const W_SEMIHOST_ERRNO = 13; // ARM semihosting's SYS_ERRNO: the last failed call's errno
const W_HEAP_BASE = 14; // ARM semihosting's SYS_HEAPINFO heap, once claimed (limit 0: not yet)
const W_HEAP_LIMIT = 15;

const LAYOUT = new SharedLayout([
  { name: 'words', words: 16 },
  { name: 'fileMappings', words: FILE_MAPPING_WORDS }, // file-mappings.ts
]);

/** Where the loader left things in a new process image (linux-user/loader.ts). */
export interface ImageLayout {
  /** The first page after the program's bss: the initial program break. */
  readonly brkStart: number;
  /** Where the next mmap without a hint starts searching (the loader's last placement). */
  readonly mmapNext: number;
  /** The page holding the signal return trampolines. */
  readonly sigreturnPage: number;
  /** The argument strings and initial sp (ARM semihosting's command line and heap info). */
  readonly args: ProgramArgs;
  /** The segments mapped from the program's and the interpreter's files, in mapping order (create adopts their fds). */
  readonly fileSegments: readonly FileSegment[];
}

/** What the kernel keeps of an image's initial stack (mm->arg_start, mm->start_stack). */
export interface ProgramArgs {
  /** Address of argv[0]'s bytes; the argc strings follow one another, NUL-terminated. */
  readonly argStart: number;
  readonly argc: number;
  /** The initial sp. */
  readonly stackBase: number;
}

/** The pid qemu-arm would report is the host's; we use a fixed, tid-compatible number. */
export const GUEST_PID = 1000;

export class KernelState {
  readonly words: Int32Array;
  /** The process's private file mappings (madvise DONTNEED re-reads them); under the lock. */
  readonly fileMappings: FileMappings;
  private readonly lock: SharedLock;

  static create(image: ImageLayout, pid = GUEST_PID): SharedArrayBuffer {
    const sab = new SharedArrayBuffer(LAYOUT.totalWords * 4);
    const w = LAYOUT.view(sab, 'words');
    w[W_BRK_START] = image.brkStart;
    w[W_BRK_CUR] = image.brkStart;
    w[W_PID] = pid;
    w[W_NEXT_TID] = pid + 1;
    w[W_LIVE_THREADS] = 1;
    w[W_MMAP_NEXT] = image.mmapNext;
    w[W_SIGRETURN_PAGE] = image.sigreturnPage;
    w[W_ARG_START] = image.args.argStart;
    w[W_ARGC] = image.args.argc;
    w[W_STACK_BASE] = image.args.stackBase;
    // The loader's segments are private file mappings (madvise DONTNEED reads the file again); a later one replaces an earlier one's pages.
    const files = new FileMappings(LAYOUT.view(sab, 'fileMappings'));
    for (const s of image.fileSegments) {
      files.forget(s.start, s.len);
      files.adopt(s.start, s.len, s.fd, s.offset);
    }
    return sab;
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = LAYOUT.view(buffer, 'words');
    this.fileMappings = new FileMappings(LAYOUT.view(buffer, 'fileMappings'));
    this.lock = new SharedLock(this.words, W_LOCK);
  }

  /** fork: the child's state, a copy of this one (break, mmap placement) with one thread. */
  fork(pid: number): SharedArrayBuffer {
    const sab = new SharedArrayBuffer(this.buffer.byteLength);
    const w = LAYOUT.view(sab, 'words');
    this.withLock(() => {
      w.set(this.words);
      this.fileMappings.copyTo(LAYOUT.view(sab, 'fileMappings'));
    });
    w[W_LOCK] = 0;
    w[W_PID] = pid;
    w[W_LIVE_THREADS] = 1;
    w[W_EXITING] = 0;
    w[W_EXIT_CODE] = 0;
    return sab;
  }

  withLock<T>(fn: () => T): T {
    return this.lock.withLock(fn);
  }

  get pid(): number {
    return this.words[W_PID]!;
  }

  get brkStart(): number {
    return this.words[W_BRK_START]! >>> 0;
  }

  get brk(): number {
    return Atomics.load(this.words, W_BRK_CUR) >>> 0;
  }

  set brk(v: number) {
    Atomics.store(this.words, W_BRK_CUR, v | 0);
  }

  /** Where an mmap without a hint starts searching (read and set under the lock). */
  get mmapNext(): number {
    return Atomics.load(this.words, W_MMAP_NEXT) >>> 0;
  }

  set mmapNext(v: number) {
    Atomics.store(this.words, W_MMAP_NEXT, v | 0);
  }

  /** The page of the signal return trampolines (fixed for the life of the image). */
  get sigreturnPage(): number {
    return this.words[W_SIGRETURN_PAGE]! >>> 0;
  }

  /** The image's argument strings and initial sp (see create). */
  get args(): ProgramArgs {
    return { argStart: this.words[W_ARG_START]! >>> 0, argc: this.words[W_ARGC]!, stackBase: this.words[W_STACK_BASE]! >>> 0 };
  }

  /** ARM semihosting's errno (SYS_ERRNO). */
  get semihostErrno(): number {
    return Atomics.load(this.words, W_SEMIHOST_ERRNO);
  }

  set semihostErrno(v: number) {
    Atomics.store(this.words, W_SEMIHOST_ERRNO, v);
  }

  /** ARM semihosting's heap [base, limit) once SYS_HEAPINFO has claimed it, else null. */
  get semihostHeap(): { base: number; limit: number } | null {
    const limit = Atomics.load(this.words, W_HEAP_LIMIT) >>> 0;
    return limit === 0 ? null : { base: Atomics.load(this.words, W_HEAP_BASE) >>> 0, limit };
  }

  set semihostHeap(h: { base: number; limit: number }) {
    Atomics.store(this.words, W_HEAP_BASE, h.base | 0);
    Atomics.store(this.words, W_HEAP_LIMIT, h.limit | 0);
  }

  allocTid(): number {
    return Atomics.add(this.words, W_NEXT_TID, 1);
  }

  threadStarted(): void {
    Atomics.add(this.words, W_LIVE_THREADS, 1);
  }

  /** Returns the number of threads still alive after this one. */
  threadExited(): number {
    return Atomics.sub(this.words, W_LIVE_THREADS, 1) - 1;
  }

  get liveThreads(): number {
    return Atomics.load(this.words, W_LIVE_THREADS);
  }

  /** Claims the right to end the process; false if another vCPU already did. */
  beginExit(code: number): boolean {
    if (Atomics.compareExchange(this.words, W_EXITING, 0, 1) !== 0) return false;
    Atomics.store(this.words, W_EXIT_CODE, code);
    return true;
  }

  get exiting(): boolean {
    return Atomics.load(this.words, W_EXITING) !== 0;
  }

  get exitCode(): number {
    return Atomics.load(this.words, W_EXIT_CODE);
  }
}
