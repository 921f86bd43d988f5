// Stores to a frame the tlbexcl strategy has marked (exclusive-state.ts): a
// store announces itself in the frame's live word (live-word.ts) and reads
// the ranges counted there in the same Atomics.add. Without another vCPU's
// range counted there, it runs without the lock (beginUnlockedStore, also
// written out in translated code: inline-stores.ts); otherwise it runs under
// the frame's lock, waits for the commits announced before it, holds the
// overlapping ranges, stores, and cancels them (holdOverlappingLocked,
// releaseHeldLocked); the lazy unmark counts the idle ones (noteStoreLocked).
// The design and its correctness argument: docs/strategy-tlbexcl.md.

import { awaitWindow, WINDOW_WAIT_LIMIT_MS } from '../emulator/atomics/window-wait.js';
import { MAX_VCPUS } from '../emulator/exec/vcpu-table.js';
import type { ExclusiveState, StateCounters } from './exclusive-state.js';
import { MARKED, READY } from './exclusive-state.js';
import { frameSlot } from './frame-slots.js';
import { ANNOUNCED, ANNOUNCEMENTS, LIVE_RANGES, LIVE_READY } from './live-word.js';
import { COUNTED, HELD, RANGE_STRIDE } from './range-line.js';

/** One vCPU's stores to marked frames. */
export class FrameStores {
  private readonly live: Int32Array;
  private readonly ranges: Int32Array;
  private readonly idle: Int32Array;
  private readonly marks: Int32Array;
  /** The slots whose ranges this vCPU holds under a lock (holdOverlappingLocked) and how many. */
  private readonly held = new Int32Array(MAX_VCPUS);
  private heldCount = 0;

  constructor(
    private readonly state: ExclusiveState,
    private readonly unmarkAfter: number,
    private readonly c: StateCounters,
  ) {
    this.live = state.live;
    this.ranges = state.ranges;
    this.idle = state.idle;
    this.marks = state.marks;
  }

  /**
   * A store by `slot` to [off, off+bytes) in `frame` is about to happen; the
   * caller holds the frame's lock. Announces the store (announceLocked:
   * unlocked LDREXes on the frame wait for it, unlocked STREXes there take
   * the lock); if a range is counted, waits for the stores announced before
   * it, an unlocked STREX's commit among them (awaitCommitsLocked), and then
   * holds every other slot's overlapping range (holdRangesLocked). The
   * caller stores, then calls releaseHeldLocked: cancel the held ranges, or
   * (a failed cmpxchg) put them back.
   */
  holdOverlappingLocked(slot: number, off: number, bytes: number, frame: number): void {
    const word = this.announceLocked(frame);
    if ((word & LIVE_RANGES) === 0) return;
    this.awaitCommitsLocked(frame, word);
    this.holdRangesLocked(slot, off, bytes, frame);
  }

  /** Announces a store under the lock and reads the count in one step, before any scan (docs, case 1). */
  announceLocked(frame: number): number {
    this.heldCount = 0;
    return Atomics.add(this.live, frameSlot(frame), ANNOUNCED);
  }

  /**
   * Waits until the stores announced before this one (`word`) are withdrawn:
   * all never block (unlocked stores and runs, unlocked STREX commits; one
   * store under this lock at a time), and none commits after this one was
   * announced, so no commit is under way when the scan holds its ranges.
   */
  awaitCommitsLocked(frame: number, word: number, limitMs: number = WINDOW_WAIT_LIMIT_MS): void {
    if ((word & ANNOUNCEMENTS) === 0) return;
    const fs = frameSlot(frame);
    awaitWindow(this.live, fs, () => ((word = Atomics.load(this.live, fs)) & ANNOUNCEMENTS) !== ANNOUNCED, () => word,
      () => `stores announced on guest frame 0x${frame.toString(16)} (a store under its lock waiting to scan)`, limitMs);
  }

  /** Holds every other slot's range overlapping [off, off+bytes) (the caller announced, and waited for commits). */
  holdRangesLocked(slot: number, off: number, bytes: number, frame: number): void {
    const end = off + bytes;
    const limit = this.state.slotLimit();
    const r = this.ranges;
    for (let s = 0; s < limit; s++) {
      if (s === slot) continue;
      const w = RANGE_STRIDE * s;
      for (;;) {
        const start = Atomics.load(r, w);
        if (!((start & ~HELD) < end && off < Atomics.load(r, w + 1))) break;
        // Only a holder of this frame's lock holds a range of the frame: never one but this.
        if (start < 0) throw new Error(`internal: vCPU slot ${s}'s range on guest frame 0x${frame.toString(16)} held outside its lock`);
        // Against the owner's compare-and-set (its release): one of the two wins the range.
        if (Atomics.compareExchange(r, w, start, start | HELD) === start) {
          this.held[this.heldCount++] = s;
          break;
        }
      }
    }
  }

  /** After the store: cancels (`cancel`) or puts back the held ranges, then withdraws the announcement. */
  releaseHeldLocked(frame: number, cancel: boolean): void {
    for (let i = 0; i < this.heldCount; i++) {
      const w = RANGE_STRIDE * this.held[i]!;
      if (cancel) {
        // Before the range goes: its owner takes the count off itself only once it finds the range none.
        this.state.takeOfferedCount(this.held[i]!);
        this.state.cancelRangeLocked(this.held[i]!);
        this.c.rangesCancelled++;
      } else {
        // A failed cmpxchg stored nothing: the range stands.
        Atomics.store(this.ranges, w, Atomics.load(this.ranges, w) & ~HELD);
      }
    }
    this.heldCount = 0;
    // After the store and the cancellations: a LDREX waiting for it loads after both.
    Atomics.sub(this.live, frameSlot(frame), ANNOUNCED);
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
    const word = Atomics.load(this.live, fs);
    if ((word & LIVE_RANGES) !== 0) return false;
    if (++this.idle[fs]! < this.unmarkAfter) return false;
    const m = Atomics.load(this.marks, frame);
    if (!(m & MARKED)) return false;
    // Takes LIVE_READY off a word with no range counted before clearing the mark: an unlocked LDREX that counted
    // first keeps the frame marked (as does an announcement made or withdrawn meanwhile: a race only moves the
    // unmark); one that counts after finds READY gone in its add's result and takes its range back.
    if (Atomics.compareExchange(this.live, fs, word, word & ~LIVE_READY) !== word) return false;
    Atomics.store(this.marks, frame, m & ~(MARKED | READY));
    this.idle[fs] = 0;
    this.c.pagesUnmarked++;
    return true;
  }

  /**
   * Whether `slot` may store to marked `frame` without the lock: the frame
   * holds no range but possibly the storer's own (and this store is not the
   * idle one that unmarks). If true, the caller stores and then calls
   * endUnlockedStore; if false, it takes the lock. The store announces
   * itself and reads the live count in one Atomics.add on the frame's live
   * word; a LDREX publishes its range, adds it to that word and waits out
   * the stores announced before its add. The adds are ordered: either this
   * one sees the new range's count (and the store goes under the lock,
   * cancelling it), or the LDREX's add finds this announcement or its
   * withdrawal, so its load comes after the store. The storer's own count
   * (its range, or a range cancelled whose count it has not taken off yet)
   * is allowed: a count of one that is it.
   */
  beginUnlockedStore(slot: number, frame: number): boolean {
    const fs = frameSlot(frame);
    // Announces the store and reads the count in one step (the pair awaitStores relies on).
    const live = Atomics.add(this.live, fs, ANNOUNCED) & LIVE_RANGES;
    const allowed = live !== 0 && this.ranges[RANGE_STRIDE * slot + COUNTED] === fs + 1 ? 1 : 0;
    // The idle count is a heuristic (a race only moves the unmark); the store that reaches the limit unmarks under the lock.
    if (live !== allowed || (live === 0 && this.idle[fs]! + 1 >= this.unmarkAfter)) {
      // Withdrawn before the caller takes the lock: a LDREX may be waiting for it.
      Atomics.sub(this.live, fs, ANNOUNCED);
      return false;
    }
    if (live === 0) this.idle[fs]!++;
    return true;
  }

  /** After the unlocked store: a LDREX that sees the announcement gone loads after the store. */
  endUnlockedStore(frame: number): void {
    Atomics.sub(this.live, frameSlot(frame), ANNOUNCED);
  }

}
