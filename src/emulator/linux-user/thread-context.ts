// The per-thread view syscalls get: SyscallContext plus the calling vCPU's
// identity and the shared process state (memory, kernel, fds, other vCPUs).

import type { FdTable } from './fd-table.js';
import type { ImageLayout, KernelState } from './kernel-state.js';
import type { SignalDelivery } from './signal-delivery.js';
import type { ShmTable } from './shm-table.js';
import type { SignalState } from './signal-state.js';
import type { SyscallContext } from './syscall-context.js';
import type { GuestMemory, GuestMemoryBuffers } from '../softmmu/guest-memory.js';
import type { ProcessTable } from './process-table.js';
import type { SigInfo } from './siginfo.js';
import type { Mmu } from '../softmmu/mmu.js';
import type { SchedThread } from '../sched/sched-thread.js';

export interface CloneRequest {
  readonly flags: number;
  readonly childStack: number;
  readonly parentTidPtr: number;
  readonly tls: number;
  readonly childTidPtr: number;
}

/** What execve built: a loaded address space and the registers to start it with. */
export interface ProcessImage {
  readonly memory: GuestMemoryBuffers;
  readonly regs: Int32Array;
  /** Initial break, mmap next start and sigreturn page of the new image. */
  readonly layout: ImageLayout;
  /** Host path of the executable (what /proc/self/exe names) and the guest's name for it. */
  readonly exePath: string;
  readonly guestExePath: string;
}

export interface ThreadContext extends SyscallContext {
  readonly tid: number;
  readonly vcpuIndex: number;
  readonly kernel: KernelState;
  /** The process's signal state; this thread's record is at vcpuIndex. */
  readonly signals: SignalState;
  /** This thread's signal delivery: handler frames, sigreturn, syscall restart. */
  readonly delivery: SignalDelivery;
  readonly mem: GuestMemory;
  readonly mmu: Mmu;
  readonly fds: FdTable;
  /** The deterministic scheduler's side of this thread under --sched (futex, yield, sleep, clocks), else null. */
  readonly sched: SchedThread | null;
  /** set_tid_address / CLONE_CHILD_CLEARTID: cleared and woken when this thread exits. */
  clearChildTid: number;
  /** Drops stale TLB entries for [start, start+len) on the vCPUs tlbUsers names (GuestMemory.Remap) before returning. */
  flushTlbRange(start: number, len: number, tlbUsers: number): void;
  /** Starts a new vCPU for clone(CLONE_VM|CLONE_THREAD...); returns its tid or -errno. */
  spawnThread(req: CloneRequest): number;
  /** The run-wide process table (pids, parents, groups, wait statuses). */
  readonly procs: ProcessTable;
  /** The run's System V shared memory segments (shm-table.ts). */
  readonly shm: ShmTable;
  /** This process's address space id (shm attachments are per address space). */
  readonly spaceId: number;
  /** fork, vfork, clone without CLONE_THREAD: a new process; returns its pid or -errno. */
  spawnProcess(req: CloneRequest): number;
  /** execve's last step: the process goes on with this image (never returns). */
  replaceImage(image: ProcessImage): never;
  /** Posts a signal to another process (kill), or to its thread tid (tgkill); delivery is asynchronous. */
  signalProcess(pid: number, sig: number, info: SigInfo, tid?: number): void;
  /** The pid of the live thread tid, whichever process it belongs to; -1 if none. */
  pidOfThread(tid: number): number;
  /** A timer of this process was armed or disarmed: the supervisor, which fires timers, reschedules. */
  timersChanged(): void;
  /**
   * The vCPU is about to block in the kernel (futex wait, sleep): it counts as
   * quiescent. `infinite` (no timeout) waits are what deadlock detection looks at.
   */
  enterBlocking(infinite: boolean, futexAddr: number): void;
  /** Back from blocking: waits for any exclusive section and serves pending requests. */
  leaveBlocking(): void;
}
