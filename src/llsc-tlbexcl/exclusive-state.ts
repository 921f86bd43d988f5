// The shared exclusive state of the tlbexcl strategy (Rigo's exclusive
// bitmap and per-vCPU exclusive addresses), in one SharedArrayBuffer:
//
//   ranges  per vCPU slot, its exclusive range [start, end) as host offsets
//           into guest memory (guest physical addresses: aliases agree), or
//           none (start = NONE_START, end = 0);
//   marks   per guest frame: MARKED (TLB fills give the frame's write entries
//           TLB_EXCL), READY (a TLB flush issued after this mark has finished
//           on every vCPU) and a mark generation in the bits above;
//   live    per frame: how many ranges lie in it;
//   idle    per frame: slow-path stores that found no range on it since the
//           last LDREX there (the lazy unmark counts these);
//           both written on every slow path, so indexed by frameSlot (no
//           host cache line shared by neighbouring frames);
//   locks   the exclusive-access locks (exclusive-locks.ts).
//
// Ranges, live and idle of a frame change only under the lock covering the
// frame. Marks are read without a lock (TLB fills, the unmarked-page check of
// SWP and of stale flagged entries) and so are written with Atomics.
// A range never spans frames: exclusive accesses are naturally aligned and at
// most 8 bytes. A reader holding another frame's lock may see a range half
// set or half cleared; both halves are chosen so that such a torn range
// overlaps nothing, which is the truth for a range outside its frame.

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
  ]);
}

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
      this.live[frameSlot(frame)]!++;
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
    this.live[frameSlot(frame)]!--;
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

  /** Live ranges in a frame (for tests and assertions; racy without the lock). */
  liveRanges(frame: number): number {
    return Atomics.load(this.live, frameSlot(frame));
  }
}
