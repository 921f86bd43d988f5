// Which syscalls the first thread may make while it runs on the main thread
// (the solo phase, solo-phase.ts): those that finish at once and touch only
// its own process's state, so that nothing waits for the main thread's event
// loop (the pool, timers, host signals, --timeout) or for another thread.
// Any other syscall (clone, fork, execve, a wait, a sleep, a futex, a pipe, a
// signal to anyone, a timer) moves the thread to its worker first.

import type { FdTable } from '../emulator/linux-user/fd-table.js';
import { KIND_DEVNULL, KIND_DIR, KIND_FILE, KIND_HOSTPOS } from '../emulator/linux-user/open-file-kinds.js';

/** Local whatever their arguments. */
const ALWAYS = new Set<number>([
  1, 248, // exit, exit_group
  4, 146, // write, writev (to a pipe only after pipe(), which hands over)
  5, 322, 6, 19, 140, 41, 63, 358, 54, // open, openat, close, lseek, _llseek, dup, dup2, dup3, ioctl
  195, 196, 197, 327, 397, 217, 266, 267, // stat64, lstat64, fstat64, fstatat64, statx, getdents64, statfs64, fstatfs64
  33, 334, 439, 85, 332, 183, 60, // access, faccessat, faccessat2, readlink, readlinkat, getcwd, umask
  45, 192, 90, 91, 125, 163, 220, // brk, mmap2, old mmap, munmap, mprotect, mremap, madvise
  20, 64, 224, 199, 200, 201, 202, 65, 132, 147, // getpid, getppid, gettid, get[e][ug]id32, getpgrp, getpgid, getsid
  122, 172, 191, 369, 256, 338, 384, 398, 242, 158, 345, // uname, prctl, ugetrlimit, prlimit64, set_tid_address, set_robust_list, getrandom, rseq, sched_getaffinity, sched_yield, getcpu
  174, 67, 175, 126, 176, 73, 186, 173, 119, // rt_sigaction, sigaction, rt_sigprocmask, sigprocmask, rt_sigpending, sigpending, sigaltstack, rt_sigreturn, sigreturn
  263, 403, 264, 406, 78, 13, 116, 43, 77, // clock_gettime(64), clock_getres(64), gettimeofday, time, sysinfo, times, getrusage
  0xf0002, 0xf0005, // ARM cacheflush, set_tls
]);

/** Reads: local only from an fd that cannot block (a file, a directory, /dev/null and the like). */
const READS = new Set<number>([3, 145, 180, 361]); // read, readv, pread64, preadv

/** fcntl64: local except the lock commands that wait (F_SETLKW, F_SETLKW64, F_OFD_SETLKW). */
const NR_FCNTL64 = 221;
const WAITING_FCNTL = new Set<number>([7, 14, 38]);

/** True if syscall `nr` with first arguments a0, a1 finishes without the event loop or another thread. */
export function isLocalSyscall(nr: number, a0: number, a1: number, fds: FdTable): boolean {
  if (ALWAYS.has(nr)) return true;
  if (nr === NR_FCNTL64) return !WAITING_FCNTL.has(a1);
  if (!READS.has(nr)) return false;
  const file = fds.get(a0);
  if (file === null) return true; // EBADF
  const kind = fds.kind(file);
  return kind === KIND_FILE || kind === KIND_DIR || kind === KIND_DEVNULL || kind === KIND_HOSTPOS;
}
