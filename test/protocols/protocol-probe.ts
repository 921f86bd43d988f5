// Shared words through which the protocol-test workers observe each other
// (one SharedArrayBuffer beside the vCPU table), and the data each worker gets.

import type { HarnessBuffers } from '../../harness/vcpu-harness.js';

export const enum Probe {
  /** Start barrier: workers that have arrived. */
  BARRIER = 0,
  /** slot+1 of the vCPU whose exclusive-section fn is running, 0 if none. */
  ACTIVE = 1,
  /** 1 once the sleeper is blocked (between enterBlocking and its wait). */
  SLEEPING = 2,
  /** The sleeper's futex word: 0 until it is woken. */
  FUTEX = 3,
  /** Generation of the newest TLB flush request (bumped before the request). */
  REQUEST_GEN = 4,
  /** Highest generation whose flush has returned (stored after it returned). */
  DONE_GEN = 5,
  /** Initiators that have finished; runners stop when all have. */
  FINISHED = 6,
  /** 1 once the sleeper has returned from leaveBlocking. */
  SLEEPER_BACK = 7,
  /** Runners that have seen every case the TLB-shootdown test asserts on (initiators flush on until all have). */
  RUNNERS_READY = 8,
  /** Per-slot "inside a TB" flags start here: 0 at a boundary, 1 in a TB, 2 in a helper queued for a section. */
  IN_TB = 16,
}

export const IN_TB_QUEUED = 2;
export const PROBE_WORDS = Probe.IN_TB + 64;

export function createProbe(): SharedArrayBuffer {
  return new SharedArrayBuffer(PROBE_WORDS * 4);
}

export interface ProtocolWorkerData {
  readonly buffers: HarnessBuffers;
  readonly probe: SharedArrayBuffer;
  readonly slot: number;
  /** Slots of every worker in this run (for checks over the others). */
  readonly slots: readonly number[];
  readonly role: string;
  readonly seed: number;
  /** Loop iterations, or sections/flushes to start, depending on the role. */
  readonly count: number;
  /** Initiators in the run (runners stop once all have finished). */
  readonly initiators: number;
}

/** Every worker arrives before any starts, serving requests while it waits. */
export function startBarrier(probe: Int32Array, workers: number, boundary: () => void): void {
  Atomics.add(probe, Probe.BARRIER, 1);
  Atomics.notify(probe, Probe.BARRIER);
  for (let seen = Atomics.load(probe, Probe.BARRIER); seen < workers; seen = Atomics.load(probe, Probe.BARRIER)) {
    boundary();
    Atomics.wait(probe, Probe.BARRIER, seen, 1);
  }
}

/**
 * Spins (serving requests through `boundary` if given) until pred() holds.
 * The bound only turns a hang into a clear error; no test asserts on time.
 */
export function spinUntil(what: string, pred: () => boolean, boundary?: () => void): void {
  const scratch = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; !pred(); i++) {
    boundary?.();
    if (i > 1000) Atomics.wait(scratch, 0, 0, 1);
    if (i > 60_000) throw new Error(`gave up waiting for ${what}`);
  }
}
