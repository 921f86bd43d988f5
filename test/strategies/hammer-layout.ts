// The shared guest words the randomised multi-vCPU hammer works on, and what
// each worker reports. All counters share one 64-byte host cache line, so
// every operation contends with every other one. Each word is used with one
// access size only.

import type { ExclSize } from '../../harness/lowered-atomics.js';
import { DATA_BASE, type HarnessBuffers } from '../../harness/vcpu-harness.js';

const G = DATA_BASE + 0x40;

/** LDREX/STREX counters, one per exclusive size, with their initial values. */
export const EXCL_COUNTERS: Readonly<Record<ExclSize, { addr: number; init: bigint }>> = {
  B: { addr: G + 0, init: 0xf0n },
  H: { addr: G + 8, init: 0xff00n },
  W: { addr: G + 16, init: 0xffff0000n },
  // Near a 32-bit boundary: additions carry from the low word into the high word.
  D: { addr: G + 24, init: 0x00000000fffff000n },
};

/**
 * Bytes and words in the same granules as the counters, each written by
 * plain stores of one owner worker only (false sharing): the counters must
 * stay exact, and each ends holding its owner's last value.
 */
export const NEIGHBOURS: readonly { addr: number; bytes: 1 | 2 | 4 }[] = [
  { addr: G + 1, bytes: 1 },
  { addr: G + 2, bytes: 2 },
  { addr: G + 4, bytes: 4 },
  { addr: G + 10, bytes: 2 },
  { addr: G + 12, bytes: 4 },
  { addr: G + 20, bytes: 4 },
];

/** Added to by the kuser cmpxchg (32 bits) and cmpxchg64. */
export const CAS_COUNTER = G + 32;
export const CAS64_COUNTER = G + 40;
export const CAS64_INIT = 0x7ffffffffffff000n;

/** SWP (word) and SWPB spinlocks, each guarding a counter incremented by plain load and store. */
export const SWP_LOCKS: readonly { lock: number; memop: 'W' | 'B'; guarded: number }[] = [
  { lock: G + 48, memop: 'W', guarded: G + 52 },
  { lock: G + 57, memop: 'B', guarded: G + 60 },
];

export interface HammerData {
  readonly buffers: HarnessBuffers;
  readonly slot: number;
  /** This worker's number (0..workers-1): owns neighbour i when i % workers == index. */
  readonly index: number;
  readonly workers: number;
  readonly seed: number;
  readonly operations: number;
  /** Largest number of busy-loop iterations between LDREX and STREX (widens the race window). */
  readonly windowWork: number;
  /**
   * Plain-load spins on a taken SWP lock before it counts as stuck and is
   * forced free (0: spin forever). Only for unsafe, whose SWP can leave a lock
   * taken by nobody (a load of 1, the holder's release, then the store of 1).
   */
  readonly lockSpinLimit: number;
  /** Words of a SharedArrayBuffer the workers use as a start barrier. */
  readonly barrier: SharedArrayBuffer;
}

export interface HammerResult {
  /** Total added to each exclusive counter, modulo its width. */
  readonly added: Readonly<Record<ExclSize, bigint>>;
  readonly casAdded: bigint;
  readonly cas64Added: bigint;
  /** Critical sections entered, per SWP lock. */
  readonly lockEntries: readonly number[];
  /** Last value this worker stored to each neighbour it owns (null where not the owner or never stored). */
  readonly neighbourLast: readonly (number | null)[];
  /** Locks found stuck and forced free (lockSpinLimit). */
  readonly stuckLocks: number;
  readonly strexFailures: number;
  readonly casFailures: number;
  readonly boundariesServed: number;
  /** The strategy's own counters (AtomicVcpu.stats()). */
  readonly strategyStats: Readonly<Record<string, number>>;
}
