// The exclusive-access locks of the tlbexcl strategy (Rigo's
// tcg_excl_access_lock and the finer variants measured against it).
//
// Every change to the shared exclusive state of a guest frame (the ranges on
// it, its live-range count, its mark) and every slow-path store to a marked
// frame happens under the lock that covers that frame:
//   global  one lock for all frames, as in Rigo's patches;
//   page    one lock per guest frame (placed by frameSlot, so that
//           neighbouring frames do not share a host cache line);
//   hashed  HASHED_LOCKS locks, a frame picks one by a multiplicative hash.
// A holder never waits for another vCPU (no TLB flush, no exclusive section,
// no fault) while it holds one, so a waiter may sleep without risking a
// deadlock with the cross-vCPU flush protocol.

import { mutexLock, mutexUnlock, type LockCounters } from '../emulator/shared/shared-lock.js';
import { FRAME_SLOTS, frameSlot } from './frame-slots.js';

export const LOCK_KINDS = ['global', 'page', 'hashed'] as const;
export type LockKind = (typeof LOCK_KINDS)[number];

export const HASHED_LOCKS = 64;
/** Lock words of the global and hashed tables sit one host cache line (16 words) apart. */
const LINE_WORDS = 16;

/** Words the lock table of a kind needs. */
export function lockWords(kind: LockKind): number {
  switch (kind) {
    case 'global': return LINE_WORDS;
    case 'hashed': return HASHED_LOCKS * LINE_WORDS;
    case 'page': return FRAME_SLOTS;
  }
}

/**
 * A table of futex mutexes (emulator/shared/shared-lock.ts) in a shared
 * Int32Array. The compare-exchange that takes a lock and the exchange that
 * frees it are sequentially consistent, so everything done under a lock is
 * ordered with the next holder.
 */
export class ExclusiveLocks {
  constructor(
    private readonly words: Int32Array,
    readonly kind: LockKind,
    private readonly counters: LockCounters,
  ) {}

  /** The lock word index covering a guest frame. */
  indexOf(frame: number): number {
    switch (this.kind) {
      case 'global': return 0;
      case 'page': return frameSlot(frame);
      case 'hashed': return (Math.imul(frame, 0x9e3779b1) >>> 26) * LINE_WORDS;
    }
  }

  acquire(i: number): void {
    mutexLock(this.words, i, this.counters);
  }

  release(i: number): void {
    mutexUnlock(this.words, i);
  }
}
