// One guest thread inside its worker: the ThreadContext syscalls see, and
// the bridge to the vCPU table (blocking, flushes, new threads).

import { parentPort } from 'node:worker_threads';
import { Env } from '../arm/cpu-state.js';
import { EAGAIN, ENOSYS } from '../linux-user/errno.js';
import type { FdTable } from '../linux-user/fd-table.js';
import type { KernelState } from '../linux-user/kernel-state.js';
import type { ProcessTable } from '../linux-user/process-table.js';
import { ShmTable } from '../linux-user/shm-table.js';
import { SignalDelivery } from '../linux-user/signal-delivery.js';
import type { SignalState } from '../linux-user/signal-state.js';
import { CLONE_CHILD_CLEARTID, CLONE_PARENT_SETTID, CLONE_SETTLS } from '../linux-user/sys-clone.js';
import type { SyscallOptions } from '../linux-user/syscall-context.js';
import type { CloneRequest, ProcessImage, ThreadContext } from '../linux-user/thread-context.js';
import { ImageReplaced } from '../linux-user/guest-exit.js';
import type { SigInfo } from '../linux-user/siginfo.js';
import { forkProcess } from './process-fork.js';
import type { GuestMemory } from '../softmmu/guest-memory.js';
import type { KernelAccess } from '../softmmu/kernel-access.js';
import type { Mmu } from '../softmmu/mmu.js';
import type { SchedThread } from '../sched/sched-thread.js';
import { MAX_VCPUS, type SlotControl, type VcpuTable } from '../exec/vcpu-table.js';
import type { ProcessBuffers, WorkerMessage } from './run-config.js';

export class GuestThread implements ThreadContext {
  clearChildTid: number;
  readonly delivery: SignalDelivery;
  readonly shm: ShmTable;
  /** Set by the worker under --sched. */
  sched: SchedThread | null = null;
  private readonly warned = new Set<string>();

  constructor(
    readonly tid: number,
    readonly vcpuIndex: number,
    readonly env: Int32Array,
    readonly access: KernelAccess,
    readonly options: SyscallOptions,
    readonly kernel: KernelState,
    readonly procs: ProcessTable,
    readonly signals: SignalState,
    readonly mem: GuestMemory,
    readonly mmu: Mmu,
    readonly fds: FdTable,
    readonly table: VcpuTable,
    private readonly control: SlotControl,
    readonly process: ProcessBuffers,
    clearChildTid: number,
    /** Where messages to the supervisor go: the worker's port, or the supervisor itself for the main thread's solo phase. */
    private readonly poster: (m: WorkerMessage) => void = (m) => parentPort?.postMessage(m),
  ) {
    this.clearChildTid = clearChildTid;
    this.delivery = new SignalDelivery(this);
    this.shm = new ShmTable(process.shm);
  }

  get spaceId(): number {
    return this.process.spaceId;
  }

  post(m: WorkerMessage): void {
    this.poster(m);
  }

  warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.post({ type: 'warn', key, message });
  }

  flushTlbRange(start: number, len: number, tlbUsers: number): void {
    this.control.flushTlbRange(start, len, tlbUsers);
  }

  enterBlocking(infinite: boolean, futexAddr: number): void {
    this.control.setBlockAddress(futexAddr);
    this.control.enterBlocking(infinite);
  }

  leaveBlocking(): void {
    this.control.leaveBlocking();
  }

  spawnProcess(req: CloneRequest): number {
    if (this.sched) {
      this.warnOnce('sched-fork', 'mttcg: --sched runs one process; fork, vfork and clone without CLONE_THREAD fail with ENOSYS');
      return -ENOSYS;
    }
    return forkProcess(this, req);
  }

  replaceImage(image: ProcessImage): never {
    throw new ImageReplaced(image);
  }

  signalProcess(pid: number, sig: number, info: SigInfo, tid = 0): void {
    this.post({ type: 'signal', pid, tid, sig, info });
  }

  pidOfThread(tid: number): number {
    return this.table.pidOfThread(tid);
  }

  timersChanged(): void {
    this.post({ type: 'timers-changed' });
  }

  /** Runs fn while every other vCPU is parked or blocked in the kernel. */
  stopTheWorld<T>(fn: () => T): T {
    return this.control.stopTheWorld(fn);
  }

  spawnThread(req: CloneRequest): number {
    // A second vCPU in this space: copy-on-write pages left by a fork get their own frames first.
    if (this.mem.breakAllCow()) this.mmu.tlb.flushAll();
    const tid = this.procs.allocTid();
    const slot = this.table.allocate(tid, this.process.spaceId, this.kernel.pid);
    if (slot < 0) {
      this.warnOnce('too-many-threads', `mttcg: more than ${MAX_VCPUS} live threads; clone fails with EAGAIN`);
      return -EAGAIN;
    }
    const childEnv = this.env.slice();
    childEnv[Env.R0] = 0;
    childEnv[Env.SP] = req.childStack;
    childEnv[Env.EXCL_ADDR] = -1;
    if (req.flags & CLONE_SETTLS) childEnv[Env.TPIDRURO] = req.tls;
    if (req.flags & CLONE_PARENT_SETTID) this.access.writeU32(req.parentTidPtr, tid);
    // The new thread inherits the blocked mask; nothing pending, no alternate stack (CLONE_VM).
    this.signals.attachThread(slot, tid, this.signals.blockedLo(this.vcpuIndex), this.signals.blockedHi(this.vcpuIndex));
    this.kernel.threadStarted();
    const clearChildTid = req.flags & CLONE_CHILD_CLEARTID ? req.childTidPtr : 0;
    const schedIndex = this.sched ? this.sched.spawn(tid) : -1;
    this.post({ type: 'spawn', slot, thread: { process: this.process, tid, env: childEnv, clearChildTid, schedIndex } });
    return tid;
  }
}
