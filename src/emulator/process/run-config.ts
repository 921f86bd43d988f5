// Everything a run needs, as plain data that can cross to worker threads.

import type { StrategyOptions } from '../atomics/strategy.js';

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
  /** Max guest instructions per TB (1 = single-step). */
  readonly maxInsns: number;
  readonly chaining: boolean;
  /** qemu-style register trace file, or null. */
  readonly traceFile: string | null;
  /** Directory to write each TB's generated JavaScript into, or null. */
  readonly dumpJsDir: string | null;
  readonly stats: boolean;
  /** Seconds before the run is stopped (0 = no limit). */
  readonly timeoutSeconds: number;
  /** Seconds every vCPU must sit in untimed futex waits before a deadlock is reported. */
  readonly deadlockSeconds: number;
}

export const DEFAULT_MEMORY_MB = 1024;
export const DEFAULT_MAX_INSNS = 512;

/** The shared buffers every vCPU worker attaches to. */
export interface ProcessBuffers {
  readonly memory: { readonly data: SharedArrayBuffer; readonly control: SharedArrayBuffer };
  readonly kernel: SharedArrayBuffer;
  /** linux-user/signal-state.ts: dispositions, per-thread masks and pending signals. */
  readonly signals: SharedArrayBuffer;
  readonly fds: SharedArrayBuffer;
  readonly vcpus: SharedArrayBuffer;
  readonly stats: SharedArrayBuffer;
  readonly strategy: SharedArrayBuffer | null;
}

/** What a vCPU worker is started with. */
export interface VcpuWorkerData {
  readonly config: RunConfig;
  readonly buffers: ProcessBuffers;
  readonly slot: number;
  readonly tid: number;
  /** Initial register file (Env layout). */
  readonly env: Int32Array;
  readonly clearChildTid: number;
}

/** The thread a spare worker is given. */
export interface VcpuAssignment {
  readonly slot: number;
  readonly tid: number;
  readonly env: Int32Array;
  readonly clearChildTid: number;
}

/** Messages from a vCPU worker to the supervisor. */
export type WorkerMessage =
  | { type: 'warn'; key: string; message: string }
  | { type: 'spawn'; slot: number; tid: number; env: Int32Array; clearChildTid: number }
  | { type: 'thread-exit'; slot: number; tid: number; stats: Record<string, number | string> | null }
  | { type: 'process-exit'; status: number; report: string; slot: number }
  /** The worker's thread has exited and the worker waits for a new assignment (reuse). */
  | { type: 'idle' };
