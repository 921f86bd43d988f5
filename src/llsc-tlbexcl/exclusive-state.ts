// The shared exclusive state of the tlbexcl strategy (Rigo's exclusive
// bitmap and per-vCPU exclusive addresses), in one SharedArrayBuffer:
//
//   ranges  per vCPU slot, its exclusive range [start, end) as host offsets
//           into guest memory (guest physical addresses: aliases agree), or
//           none (start = NONE_START, end = 0);
//   marks   per guest frame: MARKED (TLB fills give the frame's write entries
//           TLB_EXCL), READY (a TLB flush issued after this mark has finished
//           on every vCPU) and a mark generation in the bits above;
//   live    per frame: how many ranges lie in it (changed with Atomics: the
//           unlocked store below reads it without the lock);
//   idle    per frame: slow-path stores that found no range on it since the
//           last LDREX there (the lazy unmark counts these);
//           both written on every slow path, so indexed by frameSlot (no
//           host cache line shared by neighbouring frames);
//   locks   the exclusive-access locks (exclusive-locks.ts);
//   stores  per vCPU slot, the frame (+1) of the unlocked store it is doing,
//           or 0 (storeIfNoRange and awaitStores below).
//
// Ranges, live and idle of a frame change only under the lock covering the
// frame. Marks are read without a lock (TLB fills, the unmarked-page check of
// SWP and of stale flagged entries) and so are written with Atomics.
// A range never spans frames: exclusive accesses are naturally aligned and at
// most 8 bytes. A reader holding another frame's lock may see a range half
// set or half cleared; both halves are chosen so that such a torn range
// overlaps nothing, which is the truth for a range outside its frame.

import { awaitAnnouncedStores } from '../emulator/atomics/inline-flagged-store.js';
import { MAX_VCPUS } from '../emulator/exec/vcpu-table.js';
import { SharedLayout } from '../emulator/shared/layout.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import type { LockCounters } from '../emulator/shared/shared-lock.js';
import { ExclusiveLocks, lockWords, type LockKind } from './exclusive-locks.js';
import { FRAME_SLOTS, frameSlot, MAX_FRAMES } from './frame-slots.js';

export const NONE_START = 0x7fffffff;
const NONE_END = 0;

export const MARKED = 1;
export const READY = 2;
const GEN_SHIFT = 2;

const H_SLOT_LIMIT = 0; // one more than the highest slot ever attached
/** Words per vCPU in `ranges`: one host cache line each, as every LDREX and STREX writes its own. */
const RANGE_STRIDE = 16;

function layoutFor(kind: LockKind): SharedLayout {
  return new SharedLayout([
    { name: 'header', words: 16 },
    { name: 'ranges', words: MAX_VCPUS * RANGE_STRIDE },
    { name: 'marks', words: MAX_FRAMES },
    { name: 'live', words: FRAME_SLOTS },
    { name: 'idle', words: FRAME_SLOTS },
    { name: 'locks', words: lockWords(kind) },
    { name: 'stores', words: MAX_VCPUS * RANGE_STRIDE },
  ]);
}

/** The index of `slot`'s word in `stores` (translated code clears it inline). */
export const storesWord = (slot: number): number => RANGE_STRIDE * slot;

/** Creates the shared state (main thread): every range none, nothing marked. */
export function createExclusiveBuffer(kind: LockKind): SharedArrayBuffer {
  const layout = layoutFor(kind);
  const buffer = new SharedArrayBuffer(layout.totalWords * 4);
  const ranges = layout.view(buffer, 'ranges');
  for (let s = 0; s < MAX_VCPUS; s++) ranges[RANGE_STRIDE * s] = NONE_START;
  return buffer;
}

export interface StateCounters extends LockCounters {
  /** Other vCPUs' ranges a store (plain, SWP, kuser cmpxchg, STREX) cancelled. */
  rangesCancelled: number;
  pagesMarked: number;
  pagesUnmarked: number;
}

/** One vCPU's view of the shared exclusive state. */
export class ExclusiveState {
  readonly locks: ExclusiveLocks;
  private readonly header: Int32Array;
  private readonly ranges: Int32Array;
  readonly marks: Int32Array;
  private readonly live: Int32Array;
  private readonly idle: Int32Array;
  readonly stores: Int32Array;

  constructor(
    buffer: SharedArrayBuffer,
    kind: LockKind,
    private readonly unmarkAfter: number,
    private readonly c: StateCounters,
  ) {
    const layout = layoutFor(kind);
    if (buffer.byteLength !== layout.totalWords * 4) throw new Error('internal: tlbexcl shared state has the wrong size');
    this.header = layout.view(buffer, 'header');
    this.ranges = layout.view(buffer, 'ranges');
    this.marks = layout.view(buffer, 'marks');
    this.live = layout.view(buffer, 'live');
    this.idle = layout.view(buffer, 'idle');
    this.stores = layout.view(buffer, 'stores');
    this.locks = new ExclusiveLocks(layout.view(buffer, 'locks'), kind, c);
  }

  /** Makes `slot` visible to the cancelling scans. */
  registerSlot(slot: number): void {
    let limit = Atomics.load(this.header, H_SLOT_LIMIT);
    while (limit < slot + 1) {
      const seen = Atomics.compareExchange(this.header, H_SLOT_LIMIT, limit, slot + 1);
      if (seen === limit) break;
      limit = seen;
    }
  }

  isMarked(frame: number): boolean {
    return (Atomics.load(this.marks, frame) & MARKED) !== 0;
  }

  rangeStart(slot: number): number {
    return Atomics.load(this.ranges, RANGE_STRIDE * slot);
  }

  rangeEnd(slot: number): number {
    return Atomics.load(this.ranges, RANGE_STRIDE * slot + 1);
  }

  /**
   * LDREX's bookkeeping, under the frame's lock: `slot` (which holds no range)
   * takes [off, off+bytes), the frame counts one more live range and is
   * marked if it was not. Returns the frame's mark word after that.
   */
  reserve(slot: number, off: number, bytes: number): number {
    const frame = off >>> PAGE_BITS;
    const li = this.locks.indexOf(frame);
    this.locks.acquire(li);
    try {
      Atomics.store(this.ranges, RANGE_STRIDE * slot, off);
      Atomics.store(this.ranges, RANGE_STRIDE * slot + 1, off + bytes);
      // Sequentially consistent: an unlocked store that reads the count after this sees the range (storeIfNoRange).
      Atomics.add(this.live, frameSlot(frame), 1);
      this.idle[frameSlot(frame)] = 0;
      let m = Atomics.load(this.marks, frame);
      if (!(m & MARKED)) {
        m = ((((m >>> GEN_SHIFT) + 1) << GEN_SHIFT) | MARKED) & 0x7fffffff;
        Atomics.store(this.marks, frame, m);
        this.c.pagesMarked++;
      }
      return m;
    } finally {
      this.locks.release(li);
    }
  }

  /**
   * After the flush a new mark needs: READY, unless the mark changed meanwhile
   * (unmarked, re-marked: its own marker flushes for it, or already READY).
   */
  markReady(frame: number, mark: number): void {
    Atomics.compareExchange(this.marks, frame, mark, mark | READY);
  }

  /** Clears `slot`'s own range, if it still has one (CLREX, syscall, a new LDREX). */
  dropRange(slot: number): void {
    const start = this.rangeStart(slot);
    if (start === NONE_START) return;
    const frame = start >>> PAGE_BITS;
    const li = this.locks.indexOf(frame);
    this.locks.acquire(li);
    try {
      // Another vCPU may have cancelled it (and counted it) before we got the lock.
      if (this.rangeStart(slot) === start) this.clearRangeLocked(slot, frame);
    } finally {
      this.locks.release(li);
    }
  }

  /** Clears a range known to lie in `frame`; the caller holds the frame's lock. */
  clearRangeLocked(slot: number, frame: number): void {
    Atomics.store(this.ranges, RANGE_STRIDE * slot, NONE_START);
    Atomics.store(this.ranges, RANGE_STRIDE * slot + 1, NONE_END);
    // An unlocked store reads the count without the lock; a torn decrement would let it miss a range.
    Atomics.sub(this.live, frameSlot(frame), 1);
  }

  /**
   * A store to [off, off+bytes) in `frame` is about to happen; the caller holds
   * the frame's lock. Cancels every other slot's overlapping range (a store
   * straddling a range boundary overlaps it).
   */
  cancelOverlappingLocked(off: number, bytes: number, frame: number, exceptSlot: number): void {
    if (this.live[frameSlot(frame)] === 0) return;
    const end = off + bytes;
    const limit = Atomics.load(this.header, H_SLOT_LIMIT);
    const r = this.ranges;
    for (let s = 0; s < limit; s++) {
      if (s === exceptSlot) continue;
      if (Atomics.load(r, RANGE_STRIDE * s) < end && off < Atomics.load(r, RANGE_STRIDE * s + 1)) {
        this.clearRangeLocked(s, frame);
        this.c.rangesCancelled++;
      }
    }
  }

  /**
   * The lazy unmark: a plain store or SWP on a marked frame with no live range
   * counts as idle; after `unmarkAfter` idle stores in a row (an LDREX there
   * resets the count) the mark is cleared. TLB entries that already carry
   * TLB_EXCL are not flushed; each vCPU drops its own the next time one sends
   * it to the slow path. Caller holds the lock. Returns true if it unmarked.
   */
  noteStoreLocked(frame: number): boolean {
    const fs = frameSlot(frame);
    if (this.live[fs] !== 0) return false;
    if (++this.idle[fs]! < this.unmarkAfter) return false;
    const m = Atomics.load(this.marks, frame);
    if (!(m & MARKED)) return false;
    Atomics.store(this.marks, frame, m & ~(MARKED | READY));
    this.idle[frameSlot(frame)] = 0;
    this.c.pagesUnmarked++;
    return true;
  }

  /**
   * Whether `slot` may store to marked `frame` without the lock: the frame
   * holds no range but possibly the storer's own (and this store is not the
   * idle one that unmarks). If true, the caller stores and then calls
   * endUnlockedStore; if false, it takes the lock. The store names its frame
   * in its `stores` word first and reads the live count after that; a LDREX
   * counts its range first and then waits (awaitStores) until no `stores`
   * word names the frame before it loads. Sequentially consistent Atomics
   * order the two pairs: either this read sees the new range (and the store
   * goes under the lock, cancelling it), or the LDREX's wait sees this
   * store's word or its clearing, so its load comes after the store. The
   * live count is read before the own range: if the own range is still set
   * then, it was counted when the count was read, so a count of one is it.
   */
  beginUnlockedStore(slot: number, frame: number): boolean {
    const w = RANGE_STRIDE * slot;
    const fs = frameSlot(frame);
    // Names the frame before reading the count (the pair awaitStores relies on).
    Atomics.store(this.stores, w, frame + 1);
    const live = Atomics.load(this.live, fs);
    const start = live === 0 ? NONE_START : this.rangeStart(slot);
    const allowed = start !== NONE_START && start >>> PAGE_BITS === frame ? 1 : 0;
    // The idle count is a heuristic (a race only moves the unmark); the store that reaches the limit unmarks under the lock.
    if (live !== allowed || (live === 0 && this.idle[fs]! + 1 >= this.unmarkAfter)) {
      // Cleared before the caller takes the lock: a LDREX may be waiting for it.
      Atomics.store(this.stores, w, 0);
      return false;
    }
    if (live === 0) this.idle[fs]!++;
    return true;
  }

  /** After the unlocked store: a LDREX that sees the word cleared loads after the store. */
  endUnlockedStore(slot: number): void {
    Atomics.store(this.stores, storesWord(slot), 0);
  }

  /** After counting `slot`'s new range in `frame`, before its load: waits out every unlocked store to the frame. */
  awaitStores(slot: number, frame: number): boolean {
    const slots = Atomics.load(this.header, H_SLOT_LIMIT);
    return awaitAnnouncedStores(this.stores, storesWord(0), RANGE_STRIDE, slots, slot, frame + 1);
  }


  /** Live ranges in a frame (for tests and assertions; racy without the lock). */
  liveRanges(frame: number): number {
    return Atomics.load(this.live, frameSlot(frame));
  }
}
