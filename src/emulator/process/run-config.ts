// Everything a run needs, as plain data that can cross to worker threads.

import type { StrategyOptions } from '../atomics/strategy.js';
import type { FdBuffers } from '../linux-user/fd-table.js';
import type { GuestMemoryBuffers } from '../softmmu/guest-memory.js';
import type { SchedSpec } from '../sched/sched-spec.js';

export interface RunConfig {
  /** Host path of the guest ELF (absolute). */
  readonly exePath: string;
  /** argv as the guest sees it (argv[0] as given on the command line). */
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  readonly memoryMb: number;
  readonly strategy: string;
  readonly strategyOptions: StrategyOptions;
  readonly allowDirs: readonly string[];
  /** The sysroot (-L, QEMU_LD_PREFIX): absolute guest paths are looked up under it first; or null. */
  readonly sysroot: string | null;
  /** Directories the guest may read but not change: the sysroot and the program's directory. */
  readonly readOnlyDirs: readonly string[];
  /** Max guest instructions per TB (1 = single-step). */
  readonly maxInsns: number;
  readonly chaining: boolean;
  /** Interpreted runs after which a TB heads a compiled region (0 = interpreter only). */
  readonly hotThreshold: number;
  /** qemu-style register trace file, or null. */
  readonly traceFile: string | null;
  /** Directory to write each compiled region's JavaScript into, or null. */
  readonly dumpJsDir: string | null;
  readonly stats: boolean;
  /** Seconds before the run is stopped (0 = no limit). */
  readonly timeoutSeconds: number;
  /** Seconds every vCPU must sit in untimed futex waits before a deadlock is reported. */
  readonly deadlockSeconds: number;
  /** Guest processes that may exist at once (--max-procs). */
  readonly maxProcs: number;
  /** --strex-fail P: each STREX fails spuriously with probability P, under every strategy (0 or absent: never). */
  readonly strexFail?: number;
  /** --sched: the deterministic scheduler (one vCPU at a time, single-step TBs), or absent/null. */
  readonly sched?: SchedSpec | null;
}

export const DEFAULT_MEMORY_MB = 1024;
export const DEFAULT_MAX_INSNS = 512;

/** The buffers of one guest process: its address space, kernel state, signal state and fd table. */
export interface ProcessBuffers {
  readonly pid: number;
  /** Names the address space run-wide (SharedArrayBuffers lose their identity between workers). */
  readonly spaceId: number;
  /** A vfork child runs in its parent's address space until it execs: it must not release it. */
  readonly borrowsMemory: boolean;
  /** Host path of the executable (/proc/self/exe) and the name the guest ran it by. */
  readonly exePath: string;
  readonly guestExePath: string;
  readonly memory: GuestMemoryBuffers;
  readonly kernel: SharedArrayBuffer;
  /** linux-user/signal-state.ts: dispositions, per-thread masks and pending signals. */
  readonly signals: SharedArrayBuffer;
  /** linux-user/fd-table.ts: this process's fds over the run-wide open file descriptions and pipes. */
  readonly fds: FdBuffers;
  /** linux-user/shm-table.ts: the run's System V shared memory segments (the same buffer in every process). */
  readonly shm: SharedArrayBuffer;
}

/** Buffers shared by every vCPU of the run, whatever process it runs. */
export interface RunBuffers {
  readonly vcpus: SharedArrayBuffer;
  readonly stats: SharedArrayBuffer;
  readonly strategy: SharedArrayBuffer | null;
  /** linux-user/process-table.ts: pids, parents, wait statuses, run-wide limits. */
  readonly processes: SharedArrayBuffer;
  /** sched/sched-board.ts under --sched, else null. */
  readonly sched: SharedArrayBuffer | null;
}

/** What a pooled vCPU worker is started with: the run, and the vCPU slot it owns for good. */
export interface VcpuWorkerData {
  readonly config: RunConfig;
  readonly run: RunBuffers;
  readonly slot: number;
  /**
   * The first thread runs on the main thread first (machine/solo-phase.ts):
   * slot 0's worker leaves V8's compile mode to the main thread, which sets
   * it when the phase ends (host/v8-compile-mode.ts).
   */
  readonly soloPhase?: boolean;
}

/** A guest thread handed to the pooled worker of the slot its creator claimed. */
export interface ThreadAssignment {
  readonly process: ProcessBuffers;
  readonly tid: number;
  /** Initial register file (Env layout). */
  readonly env: Int32Array;
  readonly clearChildTid: number;
  /** The thread's index on the --sched board (creation order), -1 without --sched. */
  readonly schedIndex: number;
  /**
   * A thread the main thread's solo phase hands over (machine/solo-phase.ts):
   * true when it stopped at an SVC it did not run (the pc is past it, r7 names
   * it): the worker runs that syscall first.
   */
  readonly pendingSyscall?: boolean;
  /** The solo phase's --stats counters, added to this thread's. */
  readonly carried?: Record<string, number | string> | null;
  /** The thread's CLOCK_THREAD_CPUTIME_ID when the solo phase handed it over: its clock goes on from there. */
  readonly threadClockNs?: number;
  /**
   * The TBs the solo phase translated, as pc and Env.EXEC_STATE pairs in
   * order: after a clone its worker translates them before the thread goes
   * on (machine/solo-warm.ts).
   */
  readonly soloTbs?: Int32Array;
}

/** Messages from a vCPU worker to the supervisor. */
export type WorkerMessage =
  | { type: 'warn'; key: string; message: string }
  | { type: 'spawn'; slot: number; thread: ThreadAssignment }
  | { type: 'thread-exit'; tid: number; stats: Record<string, number | string> | null }
  /** The first process ended: the run ends with its status. */
  | { type: 'process-exit'; status: number; report: string }
  /** Post a signal to another process (kill, SIGCHLD), or to its thread tid if not 0 (tgkill): the supervisor holds every process's signal state. */
  | { type: 'signal'; pid: number; tid: number; sig: number; info: Int32Array }
  /** A process other than the first ended (its signal state may go). */
  | { type: 'process-gone'; pid: number }
  /** A timer was armed or disarmed: the supervisor reschedules (process/timer-service.ts). */
  | { type: 'timers-changed' };
