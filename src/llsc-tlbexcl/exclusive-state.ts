// The shared exclusive state of the tlbexcl strategy (Rigo's exclusive
// bitmap and per-vCPU exclusive addresses), in one SharedArrayBuffer:
//
//   ranges  per vCPU slot, one line (range-line.ts): its exclusive range
//           [start, end) as host offsets into guest memory (guest physical
//           addresses: aliases agree), or none, and the live word its range
//           is counted in;
//   marks   per guest frame: MARKED (TLB fills give the frame's write entries
//           TLB_EXCL), READY (a TLB flush issued after this mark has finished
//           on every vCPU) and a mark generation in the bits above;
//   live    per frame, one word (live-word.ts): the ranges counted in it,
//           LIVE_READY and the stores announced on it;
//   idle    per frame: slow-path stores that found no range on it since the
//           last LDREX there (the lazy unmark counts these);
//           both written on every slow path, so indexed by frameSlot (no
//           host cache line shared by neighbouring frames);
//   wraps   per frame: how often its version word's sequence wrapped
//           (`--tlbexcl-monitor version` only: version-monitor.ts);
//   locks   the exclusive-access locks (exclusive-locks.ts).
//
// This file is the owner's side: LDREX (reserve, reserveUnlocked, the wait
// awaitStores), STREX (beginCommit, endCommit), CLREX (dropRange); the
// stores' side is frame-stores.ts. A range's start word also carries HELD
// (the sign bit; host offsets are below 2^31) while a store under the
// frame's lock that overlaps it holds it by compare-and-set; that store then
// cancels it or, for a failed cmpxchg, puts it back. Only the owner sets a
// range; the owner (without the lock, by compare-and-set) and lock holders
// clear it. Only the owner adds its range to the frame's live count, and the
// owner takes it off (uncount) once it finds the range none, unless it
// offered it (offerCount) to the store that cancels it: so a count stays
// from its add until the range is done, cancelled or not (a STREX reading 1
// is alone). An unlocked LDREX publishes its range and then counts it,
// reading LIVE_READY and the stores announced before it in the add's result;
// the lazy unmark takes LIVE_READY off by compare-and-set from a word with
// no range before it clears the mark, so such a LDREX sees either READY gone
// or its count makes the unmark fail. Idle counts and marks change under the
// lock. Marks are read without a lock (TLB fills, the unmarked-page check of
// SWP and of stale flagged entries, unlocked LDREX) and so are written with
// Atomics. A range never spans frames: exclusive accesses are naturally
// aligned and at most 8 bytes. A reader holding another frame's lock may see
// a range half set or half cleared; both halves are chosen so that such a
// torn range overlaps nothing, which is the truth for a range outside its
// frame.

import { awaitWindow, WINDOW_WAIT_LIMIT_MS } from '../emulator/atomics/window-wait.js';
import { MAX_VCPUS } from '../emulator/exec/vcpu-table.js';
import { SharedLayout } from '../emulator/shared/layout.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import type { LockCounters } from '../emulator/shared/shared-lock.js';
import { ExclusiveLocks, lockWords, type LockKind } from './exclusive-locks.js';
import { FRAME_SLOTS, frameSlot, MAX_FRAMES } from './frame-slots.js';
import { ANNOUNCED, ANNOUNCEMENTS, LIVE_RANGES, LIVE_READY } from './live-word.js';
import { CLAIMABLE, COUNTED, HELD, NONE_END, NONE_START, RANGE_STRIDE } from './range-line.js';

export { NONE_START } from './range-line.js';

export const MARKED = 1;
export const READY = 2;
const GEN_SHIFT = 2;

const H_SLOT_LIMIT = 0; // one more than the highest slot ever attached

function layoutFor(kind: LockKind): SharedLayout {
  return new SharedLayout([
    { name: 'header', words: 16 },
    { name: 'ranges', words: MAX_VCPUS * RANGE_STRIDE },
    { name: 'marks', words: MAX_FRAMES },
    { name: 'live', words: FRAME_SLOTS },
    { name: 'idle', words: FRAME_SLOTS },
    { name: 'wraps', words: FRAME_SLOTS },
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
  /** LDREXes that reserved without the lock (the frame already marked and flushed). */
  ldrexUnlocked: number;
  /** Successful STREXes that stored without the lock (no other range on the frame). */
  strexUnlocked: number;
  /** Other vCPUs' ranges a store (plain, SWP, kuser cmpxchg, STREX) cancelled. */
  rangesCancelled: number;
  pagesMarked: number;
  pagesUnmarked: number;
}

/** One vCPU's view of the shared exclusive state. */
export class ExclusiveState {
  readonly locks: ExclusiveLocks;
  private readonly header: Int32Array;
  /** Each slot's line (range-line.ts); the stores' scans (frame-stores.ts) read it too. */
  readonly ranges: Int32Array;
  readonly marks: Int32Array;
  /** Read by translated code's unlocked-store check (inline-stores.ts) as well. */
  readonly live: Int32Array;
  readonly idle: Int32Array;
  /** Read and written by the version monitor only (version-monitor.ts). */
  readonly wraps: Int32Array;

  /** `readyBit`: the live word's bit that markReady sets (LIVE_READY; 0 under the version monitor, whose READY is the mark's). */
  constructor(
    buffer: SharedArrayBuffer,
    kind: LockKind,
    readonly unmarkAfter: number,
    private readonly c: StateCounters,
    private readonly readyBit: number = LIVE_READY,
  ) {
    const layout = layoutFor(kind);
    if (buffer.byteLength !== layout.totalWords * 4) throw new Error('internal: tlbexcl shared state has the wrong size');
    this.header = layout.view(buffer, 'header');
    this.ranges = layout.view(buffer, 'ranges');
    this.marks = layout.view(buffer, 'marks');
    this.live = layout.view(buffer, 'live');
    this.idle = layout.view(buffer, 'idle');
    this.wraps = layout.view(buffer, 'wraps');
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

  /** One more than the highest slot registered: the scans' bound. */
  slotLimit(): number {
    return Atomics.load(this.header, H_SLOT_LIMIT);
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
      // Counted before it is published, as in reserveUnlocked; sequentially consistent: an unlocked store
      // that reads the count after this goes to the lock (beginUnlockedStore).
      Atomics.add(this.live, frameSlot(frame), 1);
      this.ranges[RANGE_STRIDE * slot + COUNTED] = frameSlot(frame) + 1;
      Atomics.store(this.ranges, RANGE_STRIDE * slot + 1, off + bytes);
      Atomics.store(this.ranges, RANGE_STRIDE * slot, off);
      return this.markFrameLocked(frame);
    } finally {
      this.locks.release(li);
    }
  }

  /**
   * LDREX's mark under the version monitor (version-monitor.ts), which
   * counts no range: under the frame's lock, marks the frame if it was not.
   * Returns the frame's mark word.
   */
  markLocked(frame: number): number {
    const li = this.locks.indexOf(frame);
    this.locks.acquire(li);
    try {
      return this.markFrameLocked(frame);
    } finally {
      this.locks.release(li);
    }
  }

  /** Resets the idle count and marks `frame` (a new generation) unless it is marked; the caller holds its lock. */
  private markFrameLocked(frame: number): number {
    this.idle[frameSlot(frame)] = 0;
    let m = Atomics.load(this.marks, frame);
    if (!(m & MARKED)) {
      m = ((((m >>> GEN_SHIFT) + 1) << GEN_SHIFT) | MARKED) & 0x7fffffff;
      Atomics.store(this.marks, frame, m);
      this.c.pagesMarked++;
    }
    return m;
  }

  /**
   * After the flush a new mark needs: READY, unless the mark changed meanwhile
   * (unmarked, re-marked: its own marker flushes for it, or already READY),
   * and the live word's ready bit with it, under the lock (as the unmark, which takes it off).
   */
  markReady(frame: number, mark: number): void {
    const li = this.locks.indexOf(frame);
    this.locks.acquire(li);
    try {
      if (Atomics.compareExchange(this.marks, frame, mark, mark | READY) === mark && this.readyBit !== 0) Atomics.or(this.live, frameSlot(frame), this.readyBit);
    } finally {
      this.locks.release(li);
    }
  }

  /** Clears `slot`'s own range, if it still has one, and its count (CLREX, syscall, a new LDREX). */
  dropRange(slot: number): void {
    if (this.releaseOwnRange(slot)) return;
    // Held by a store under the frame's lock: wait for that lock, then see what it left.
    const start = this.rangeStart(slot) & ~HELD;
    if (start === NONE_START) return this.uncount(slot);
    const li = this.locks.indexOf(start >>> PAGE_BITS);
    this.locks.acquire(li);
    try {
      // Another vCPU may have cancelled it before we got the lock (or a failed cmpxchg put it back).
      if (this.rangeStart(slot) === start) this.cancelRangeLocked(slot);
    } finally {
      this.locks.release(li);
    }
    this.uncount(slot);
  }

  /** The owner takes its range's count off, once the range is none (the count stayed while it was published). */
  uncount(slot: number): void {
    const w = RANGE_STRIDE * slot + COUNTED;
    const counted = this.ranges[w]!;
    if (counted === 0) return;
    // A claimable count goes to whichever of the owner and a cancelling store takes it first.
    if ((counted & CLAIMABLE) !== 0) {
      if (Atomics.compareExchange(this.ranges, w, counted, 0) !== counted) return;
    } else {
      this.ranges[w] = 0;
    }
    // Sequentially consistent: an unlocked store or STREX reading the count after this may store.
    Atomics.sub(this.live, (counted & ~CLAIMABLE) - 1, 1);
  }

  /**
   * The owner of a counted range, about to wait for the frame's lock (a STREX
   * that lost its race), lets a store that cancels the range take its count
   * off at once, so that the winner's next stores do not find it counted. An
   * Atomics.store after the count's add: a store that reads it has seen the add.
   */
  offerCount(slot: number): void {
    const w = RANGE_STRIDE * slot + COUNTED;
    const counted = this.ranges[w]!;
    if (counted !== 0) Atomics.store(this.ranges, w, counted | CLAIMABLE);
  }

  /** A store under the lock cancelling `slot`'s held range takes its count off if the owner offered it. */
  takeOfferedCount(slot: number): void {
    const w = RANGE_STRIDE * slot + COUNTED;
    const counted = Atomics.load(this.ranges, w);
    if ((counted & CLAIMABLE) !== 0 && Atomics.compareExchange(this.ranges, w, counted, 0) === counted) {
      Atomics.sub(this.live, (counted & ~CLAIMABLE) - 1, 1);
    }
  }

  /**
   * The owner clears its range without the lock: compare-and-set of the
   * start word from the range to none (a store holding it, or one that
   * cancelled it first, wins), then takes its count off. False if a store
   * holds it (the count stays).
   */
  releaseOwnRange(slot: number): boolean {
    const w = RANGE_STRIDE * slot;
    // A plain read of the owner's own start word: only the owner sets a range, so it reads its own last
    // value or a later one (none, or held); a stale range makes the compare-and-set below fail and re-read.
    const start = this.ranges[w]!;
    if (start < 0) return false;
    // Against a locked store holding or cancelling it. The end word stays: nothing reads it beside a start of
    // none, and the next range writes it first.
    if (start !== NONE_START && Atomics.compareExchange(this.ranges, w, start, NONE_START) !== start &&
      this.rangeStart(slot) !== NONE_START) return false;
    this.uncount(slot);
    return true;
  }

  /**
   * LDREX without the lock, for a `slot` that holds no range and no count:
   * if the frame is marked READY (its flush is done), publishes [off,
   * off+bytes) and then counts it (publishUnlocked, countUnlocked). Returns
   * the live word before the count, whose announcements the caller waits out
   * (awaitStores) before it loads, or -1 (nothing left reserved or counted:
   * the caller takes the locked path).
   */
  reserveUnlocked(slot: number, off: number, bytes: number): number {
    const frame = off >>> PAGE_BITS;
    // A plain read: only a quick refusal; LIVE_READY in the count's result is the check that counts.
    if ((this.marks[frame]! & (MARKED | READY)) !== (MARKED | READY)) return -1;
    this.publishUnlocked(slot, off, bytes);
    return this.countUnlocked(slot, frame);
  }

  /** reserveUnlocked's first half (apart for the tests of the order): publishes the range [off, off+bytes) of `slot`. */
  publishUnlocked(slot: number, off: number, bytes: number): void {
    const w = RANGE_STRIDE * slot;
    // Plain writes, end before start, both before the count's Atomics.add: a store under the lock whose
    // announcement returns this range's count scans after that add, so it sees both (docs, case 1).
    this.ranges[w + 1] = off + bytes;
    this.ranges[w] = off;
  }

  /**
   * reserveUnlocked's second half: counts `slot`'s published range in `frame`.
   * The add's own result is the read of the announcements (case 1 of the
   * docs' proof): a store announced before it is in it, a store announced
   * after it sees the count and, under the lock, scans after the publication.
   */
  countUnlocked(slot: number, frame: number): number {
    const fs = frameSlot(frame);
    const before = Atomics.add(this.live, fs, 1);
    this.ranges[RANGE_STRIDE * slot + COUNTED] = fs + 1;
    // Not READY (unmarked, or unmarking): take the range and the count back.
    if ((before & LIVE_READY) === 0) {
      this.dropRange(slot);
      return -1;
    }
    this.idle[fs] = 0;
    this.c.ldrexUnlocked++;
    return before;
  }

  /**
   * STREX without the lock: 0 if `slot`'s range is exactly [off, off+bytes),
   * no other range is counted on its frame and no other store is announced
   * there: the commit is then announced, and the caller stores and calls
   * endCommit; 1 if `slot` has no range (the STREX fails); 2 for the locked
   * path (another range or store on the frame, another address or size, a
   * store holding the range). The announcement and the count are one
   * Atomics.add: a LDREX counting a range after it waits for the commit
   * (awaitStores), and a store under the lock announced after it waits for
   * the commit before it scans (holdOverlappingLocked), so nothing holds or
   * cancels the range while it commits.
   */
  beginCommit(slot: number, off: number, bytes: number): number {
    const w = RANGE_STRIDE * slot;
    // A plain read of the owner's own range: only the owner sets one, so none stays none.
    if (this.ranges[w] === NONE_START) {
      this.uncount(slot);
      return 1;
    }
    const fs = frameSlot(off >>> PAGE_BITS);
    // The count includes this range (counted until its owner takes it off), so 1 means no other range was
    // counted before, and no announcement means no store under the lock is scanning or storing.
    const alone = (Atomics.add(this.live, fs, ANNOUNCED) & (LIVE_RANGES | ANNOUNCEMENTS)) === 1;
    // The range read after the add: a locked store that held or cancelled it announced before the add, and
    // either is still announced (not alone) or withdrew after it was done, which the add has seen.
    const start = this.ranges[w]!;
    if (alone && start === off && this.ranges[w + 1] === off + bytes) return 0;
    Atomics.sub(this.live, fs, ANNOUNCED);
    return start === NONE_START ? this.fail(slot) : 2;
  }

  private fail(slot: number): number {
    this.uncount(slot);
    return 1;
  }

  /** After beginCommit's store: the range goes, then its count and the announcement. */
  endCommit(slot: number, off: number): void {
    // Plain: nothing reads another slot's range but a locked store's scan, which waits for this commit's
    // withdrawal below first (an Atomics.sub after the store and these writes).
    this.ranges[RANGE_STRIDE * slot] = NONE_START;
    this.ranges[RANGE_STRIDE * slot + COUNTED] = 0;
    Atomics.sub(this.live, frameSlot(off >>> PAGE_BITS), 1 + ANNOUNCED);
    this.c.strexUnlocked++;
  }

  /**
   * endCommit for a STREX that starts a run of stores (translated code,
   * inline-exclusives.ts): the range goes, but its count and the commit's
   * announcement stay in the live word, where the run's withdrawal (an
   * Atomics.sub after the run's stores, inline-stores.ts) takes both off. A
   * LDREX counted meanwhile waits for that withdrawal; a store announced
   * meanwhile finds a range counted and goes under the lock, where it waits
   * for the announcements before its own (docs, "A run started by the STREX").
   */
  endCommitStartingRun(slot: number): void {
    this.ranges[RANGE_STRIDE * slot] = NONE_START;
    this.ranges[RANGE_STRIDE * slot + COUNTED] = 0;
    this.c.strexUnlocked++;
  }

  /**
   * Sets a range to none; the caller holds the lock of the range's frame.
   * Its count stays: the owner takes it off (uncount) when it finds the
   * range none, as a range may be published before it is counted.
   */
  cancelRangeLocked(slot: number): void {
    Atomics.store(this.ranges, RANGE_STRIDE * slot, NONE_START);
    Atomics.store(this.ranges, RANGE_STRIDE * slot + 1, NONE_END);
  }

  /**
   * After publishing `slot`'s new range in `frame` and counting it, before
   * its load: waits out the stores announced in `word`, the frame's live word
   * read after both (an unlocked LDREX: its count's own result; a locked
   * one: a load after the publication). A store announced after that read
   * saw the range counted: an unlocked store or STREX then stores nothing
   * unlocked, a store under the lock scans the ranges after this one was
   * published and cancels it if it overlaps. So the wait ends when no store
   * is announced on the frame, or early when the range is gone (only a store
   * cancels it, and its STREX fails whatever the load returns). `limitMs`:
   * window-wait.ts (tests). True if it waited.
   */
  awaitStores(slot: number, frame: number, word: number, limitMs: number = WINDOW_WAIT_LIMIT_MS): boolean {
    if ((word & ANNOUNCEMENTS) === 0) return false;
    const fs = frameSlot(frame);
    const w = RANGE_STRIDE * slot;
    // The storers never block inside their windows; the wait sleeps briefly if one was descheduled. A range a
    // locked store holds is not gone yet (a failed cmpxchg puts it back): only none ends the wait early.
    const open = (): boolean => ((word = Atomics.load(this.live, fs)) & ANNOUNCEMENTS) !== 0 && Atomics.load(this.ranges, w) !== NONE_START;
    awaitWindow(this.live, fs, open, () => word, () => `stores announced on guest frame 0x${frame.toString(16)}`, limitMs);
    return true;
  }
}
