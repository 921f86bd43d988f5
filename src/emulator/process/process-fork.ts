// fork, vfork and clone without CLONE_THREAD, done by the calling thread in
// its own worker (the kernel's copy_process): a pid and a process-table
// entry, a copy of the address space (or, with CLONE_VM, the same one), of
// the kernel state, fd table and signal dispositions, a vCPU slot for the
// child's only thread, and a `spawn` to the supervisor, which hands the
// thread to that slot's worker. Only the calling thread is copied, as Linux
// does for a fork in a multi-threaded process. A vfork parent sleeps until
// its child has exec'd or exited.

import { Env } from '../arm/cpu-state.js';
import { EAGAIN } from '../linux-user/errno.js';
import { waitForChange, WaitEnd } from '../linux-user/guest-wait.js';
import { SignalState } from '../linux-user/signal-state.js';
import {
  CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_PARENT, CLONE_PARENT_SETTID, CLONE_SETTLS, CLONE_VFORK, CLONE_VM,
} from '../linux-user/sys-clone.js';
import type { CloneRequest } from '../linux-user/thread-context.js';
import { GuestMemory } from '../softmmu/guest-memory.js';
import { KernelAccess } from '../softmmu/kernel-access.js';
import type { GuestThread } from './guest-thread.js';
import { attachSignalState } from './process-signals.js';
import type { ProcessBuffers } from './run-config.js';

const CSIGNAL = 0xff;

export function forkProcess(t: GuestThread, req: CloneRequest): number {
  const procs = t.procs;
  const mySlot = procs.slotOf(t.kernel.pid);
  const me = procs.info(mySlot);
  const pid = procs.allocTid();
  const parentPid = req.flags & CLONE_PARENT ? me.ppid : me.pid;
  const procSlot = procs.add(pid, parentPid, me.pgid, me.sid, req.flags & CSIGNAL);
  if (procSlot < 0) {
    t.warnOnce('max-procs', 'mttcg: --max-procs processes exist; fork fails with EAGAIN');
    return -EAGAIN;
  }
  const shareVm = (req.flags & CLONE_VM) !== 0;
  const spaceId = shareVm ? t.process.spaceId : procs.allocSpaceId();
  const slot = t.table.allocate(pid, spaceId);
  if (slot < 0) {
    procs.discard(procSlot);
    t.warnOnce('too-many-threads', 'mttcg: every vCPU is in use; fork fails with EAGAIN');
    return -EAGAIN;
  }

  let memory = t.process.memory;
  let childMem = t.mem;
  if (shareVm) {
    // Two vCPUs in one space: no copy-on-write page may stay (its frame could move under the other's TLB).
    if (t.mem.breakAllCow()) t.mmu.tlb.flushAll();
  } else {
    memory = t.mem.newSpace();
    childMem = new GuestMemory(memory);
    if (t.kernel.liveThreads > 1) {
      // Other threads of this process must not write while the pages are copied.
      t.stopTheWorld(() => t.mem.copyInto(childMem));
    } else if (t.process.borrowsMemory) {
      // A vfork child runs in its blocked parent's space, whose vCPU may hold write entries: a plain copy.
      t.mem.copyInto(childMem);
    } else {
      // Alone in its space: the pages are shared copy-on-write, and this vCPU's write entries go.
      t.mem.copyInto(childMem, true);
      t.mmu.tlb.flushAll();
    }
    // The copy maps the SysV segments the parent attached: so are the child's attachments.
    t.shm.forkSpace(t.spaceId, spaceId, pid);
  }
  const signalsBuffer = SignalState.create(pid);
  const signals = attachSignalState(signalsBuffer, t.table, childMem);
  signals.copyDispositionsFrom(t.signals);
  signals.attachThread(slot, pid, t.signals.blockedLo(t.vcpuIndex), t.signals.blockedHi(t.vcpuIndex));

  const env = t.env.slice();
  env[Env.R0] = 0;
  if (req.childStack !== 0) env[Env.SP] = req.childStack;
  env[Env.EXCL_ADDR] = -1;
  if (req.flags & CLONE_SETTLS) env[Env.TPIDRURO] = req.tls;
  if (req.flags & CLONE_PARENT_SETTID) t.access.writeU32(req.parentTidPtr, pid);
  if (req.flags & CLONE_CHILD_SETTID) new KernelAccess(childMem).writeU32(req.childTidPtr, pid);
  const child: ProcessBuffers = {
    ...t.process,
    pid,
    spaceId,
    borrowsMemory: shareVm,
    memory,
    kernel: t.kernel.fork(pid),
    signals: signalsBuffer,
    fds: t.fds.fork(),
  };
  const clearChildTid = req.flags & CLONE_CHILD_CLEARTID ? req.childTidPtr : 0;
  t.post({ type: 'spawn', slot, thread: { process: child, tid: pid, env, clearChildTid, schedIndex: -1 } });

  if (req.flags & CLONE_VFORK) {
    // The parent sleeps until the child has exec'd or exited (its memory is the child's meanwhile).
    const i = procs.vforkDoneIndex(procSlot);
    while (Atomics.load(procs.entries, i) === 0) {
      // A signal for the parent ends the wait early (it is delivered on the way out).
      if (waitForChange(t, procs.entries, i, 0, Infinity, true) === WaitEnd.SIGNAL) break;
    }
  }
  return pid;
}
