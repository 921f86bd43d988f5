// The end of a guest process other than the first (the kernel's do_exit for
// the last thread, and zap_other_threads before it), and execve's
// de_thread: done by the thread that ends it, in its own worker.
//
// The other threads get SIGKILL (a kick ends their waits) and leave on their
// own; the process then closes its fds (pipe readers see end of file), gives
// its frames back (unless a vfork child is borrowing its parent's), becomes
// a zombie for its parent's wait4 and sends the parent its exit signal
// (SIGCHLD) through the supervisor, which holds every process's signal state.

import { sleepMs } from '../shared/host-sleep.js';
import { HOST_UID } from '../linux-user/loader.js';
import { childInfo, tkillInfo } from '../linux-user/siginfo.js';
import { SIGKILL } from '../linux-user/signal-numbers.js';
import { MAX_THREADS } from '../linux-user/signal-threads.js';
import type { GuestThread } from './guest-thread.js';

const CLD_EXITED = 1;
const CLD_KILLED = 2;
/** How long the last thread waits for the others to leave (one stuck in a host read cannot). */
const SIBLINGS_GRACE_MS = 5000;

/** Linux wait status: exit code, or the signal that ended the process (no core dumps, as under qemu-arm). */
export function waitStatus(code: number, signal: number): number {
  return signal !== 0 ? signal & 0x7f : (code & 0xff) << 8;
}

/**
 * Ends every other thread of t's process and waits until they have left.
 * False if one did not leave in time (it is blocked in a host call).
 */
export function killOtherThreads(t: GuestThread): boolean {
  for (let s = 0; s < MAX_THREADS; s++) {
    const tid = t.signals.tidOf(s);
    if (s === t.vcpuIndex || tid === 0) continue;
    t.signals.postToThread(tid, SIGKILL, tkillInfo(SIGKILL, t.kernel.pid, HOST_UID));
  }
  const deadline = Date.now() + SIBLINGS_GRACE_MS;
  while (t.kernel.liveThreads > 1) {
    if (Date.now() > deadline) return false;
    sleepMs(1);
  }
  return true;
}

/**
 * The last thread of a process (not the first process) ends it: teardown,
 * zombie, SIGCHLD. `leave` runs just before the parent can see the zombie:
 * the thread gives up its vCPU slot there, so that a parent forking again
 * right after its wait4 finds this warm worker free (else the pool grows).
 */
export function endProcess(t: GuestThread, code: number, signal: number, report: string, leave: () => void): void {
  const alone = killOtherThreads(t);
  const procs = t.procs;
  const procSlot = procs.slotOf(t.kernel.pid);
  const ppid = procs.info(procSlot).ppid;
  t.fds.closeAll();
  t.kernel.withLock(() => t.kernel.fileMappings.closeAll());
  if (t.process.borrowsMemory) procs.releaseVforkParent(procSlot);
  else {
    // Its SysV attachments go (a removed segment may end with them).
    t.mem.releaseFrames(t.shm.dropSpace(t.spaceId, t.kernel.pid));
    if (alone) t.mem.retire(); // with a thread still in a host call its frames stay (leaked, never reused)
  }
  const exitSignal = procs.exitSignal(procSlot);
  const status = waitStatus(code, signal);
  leave();
  const parent = procs.exit(procSlot, status);
  if (report) t.post({ type: 'warn', key: `exit-${t.kernel.pid}`, message: `mttcg: process ${t.kernel.pid}: ${report}` });
  if (parent >= 0 && exitSignal !== 0) {
    const info = childInfo(signal !== 0 ? CLD_KILLED : CLD_EXITED, t.kernel.pid, HOST_UID, signal !== 0 ? signal : code & 0xff);
    t.post({ type: 'signal', pid: ppid, tid: 0, sig: exitSignal, info });
  }
  t.post({ type: 'process-gone', pid: t.kernel.pid });
}
