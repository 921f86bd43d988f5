// tlbexcl's version monitor (`--tlbexcl-monitor version`), the shared words'
// side for one vCPU: a monitor whose LDREX only reads. Each 64-byte line of a
// marked frame has a version word (version-word.ts). A LDREX waits until no
// store to the line is announced and no commit is under way there, checks
// that the frame is READY, and keeps that quiet word, with its range,
// privately (nothing shared is written); a STREX compare-and-sets exactly
// that word to word + COMMIT (so it fails after any store to the line
// announced or finished since), stores, and withdraws with + SEQ - COMMIT.
// Every other store to a marked frame announces itself on its line's word
// (+ WRITER), waits out a commit it finds under way, stores and withdraws
// (+ SEQ - WRITER); under the plain withdrawal (`--tlbexcl-withdraw plain`,
// x86-64 hosts) it waits out the commit first and then announces by
// compare-and-set from a word without COMMIT, so that nothing but a commit's
// holder writes the word while COMMIT is up (inline-version-stores.ts).
// The mark, its TLB flush and TLB_EXCL are Rigo's, as under
// the range monitor (exclusive-state.ts, frame-tlb.ts).
// docs/strategy-tlbexcl.md ("The version monitor").

import { awaitWindow, WINDOW_WAIT_LIMIT_MS } from '../emulator/atomics/window-wait.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { MARKED, READY, type ExclusiveState, type StateCounters } from './exclusive-state.js';
import { frameSlot } from './frame-slots.js';
import { MonitorSlot as S, newMonitorSlots } from './monitor-slots.js';
import type { Withdrawal } from './tlbexcl-options.js';
import { COMMIT, isQuiet, LINE_BITS, LINES_PER_FRAME, lineWord, SEQ, WRITER, wrappedBy } from './version-word.js';

/** The version word of the line holding host offset `off`. */
export const wordOf = (off: number): number => lineWord(off >>> LINE_BITS);

/** One vCPU's monitor and its steps on the lines' version words. */
export class VersionMonitor {
  /**
   * The monitor, private to the vCPU, in slots that translated code shares
   * (monitor-slots.ts, bound as a_xk): the bytes, the quiet word the LDREX
   * read and the wrap count read before it, and the vCPU's own finished
   * stores under that word since the LDREX, which its STREX expects on top
   * of the kept word (a vCPU's own store to other bytes does not fail its
   * STREX; ARM ARM A3.4.5). Translated code's run withdrawals count own
   * stores there too (inline-version-stores.ts).
   */
  readonly slots = newMonitorSlots();
  private readonly live: Int32Array;
  private readonly marks: Int32Array;
  private readonly idle: Int32Array;
  private readonly wraps: Int32Array;

  constructor(
    private readonly state: ExclusiveState,
    private readonly c: StateCounters,
    /** How commits are withdrawn, and so how a store announces (tlbexcl-options.ts). */
    private readonly withdrawal: Withdrawal,
  ) {
    this.live = state.live;
    this.marks = state.marks;
    this.idle = state.idle;
    this.wraps = state.wraps;
  }

  /** CLREX, a syscall, a STREX. */
  clear(): void {
    this.slots[S.START] = -1;
    this.slots[S.OWN_WORD] = 0;
  }

  /** Whether a monitor is open (a STREX without one fails at once). */
  get open(): boolean {
    return this.slots[S.START]! >= 0;
  }

  /**
   * LDREX's step before its load: waits until the version word of the line
   * holding [off, off+bytes) is quiet (no store announced, no commit under
   * way), then, if the frame's mark is READY, keeps that word and the bytes.
   * Returns 0, or 1 if it waited; -1 (no monitor) if the frame is not marked
   * READY: the caller marks it, flushes, and calls again. `limitMs`:
   * window-wait.ts (tests); `afterWord`: runs between the word's read and
   * the mark's (tests of that order).
   */
  reserve(off: number, bytes: number, limitMs: number = WINDOW_WAIT_LIMIT_MS, afterWord?: () => void): number {
    const frame = off >>> PAGE_BITS;
    this.clear();
    // A plain read, only a quick refusal: the mark read after the word below is the check that counts.
    if ((this.marks[frame]! & (MARKED | READY)) !== (MARKED | READY)) return -1;
    const li = wordOf(off);
    // Read before the word: a wrap counted after this read is seen by the STREX (beginCommit).
    let wraps = this.wraps[li]!;
    let w = Atomics.load(this.live, li);
    let waited = 0;
    while (!isQuiet(w)) {
      // Announced stores and commits never block; the wait sleeps briefly if one's thread was descheduled.
      awaitWindow(this.live, li, () => !isQuiet(w = Atomics.load(this.live, li)), () => w,
        () => `stores announced on guest frame 0x${frame.toString(16)}`, limitMs);
      waited = 1;
      // Again, wrap count first: a wrap counted during the wait (its COMMIT) would otherwise fail the STREX.
      wraps = this.wraps[li]!;
      w = Atomics.load(this.live, li);
    }
    afterWord?.();
    // After the word: an unmark that took READY off before this read has advanced the word since (or waits for
    // the commit that holds it); one that takes it off after this read advances it after the word was read.
    if ((Atomics.load(this.marks, frame) & (MARKED | READY)) !== (MARKED | READY)) return -1;
    // The idle count is a heuristic for the lazy unmark: written only when it changes (a LDREX writes nothing else).
    const fs = frameSlot(frame);
    if (this.idle[fs] !== 0) this.idle[fs] = 0;
    const s = this.slots;
    s[S.START] = off;
    s[S.END] = off + bytes;
    s[S.WORD] = w;
    s[S.WRAPS_SEEN] = wraps;
    s[S.OWN_WORD] = li + 1;
    s[S.OWN_STORES] = 0;
    return waited;
  }

  /**
   * STREX's step before its store: 0 if the monitor covers exactly [off,
   * off+bytes) and the line's version word is still the one the LDREX kept,
   * advanced by this vCPU's own stores (compare-and-set to word + COMMIT:
   * nothing else announced or finished since); the caller then stores and
   * calls endCommit (or leaves COMMIT up for the run it starts). 1: the
   * STREX fails (no monitor, or a store since); 2: it fails, the monitor
   * being for another address or size. The monitor is closed either way.
   */
  beginCommit(off: number, bytes: number): number {
    const s = this.slots;
    const start = s[S.START]!;
    const word = (s[S.WORD]! + s[S.OWN_STORES]! * SEQ) | 0;
    const end = s[S.END]!;
    this.clear();
    if (start !== off || end !== off + bytes) return start < 0 ? 1 : 2;
    // Own stores that wrapped the kept sequence carried out of it: that word is not one a commit may start from.
    if (!isQuiet(word)) return 1;
    const li = wordOf(off);
    if (Atomics.compareExchange(this.live, li, word, word + COMMIT) !== word) return 1;
    // The word came back after its sequence wrapped (2^21 finished stores): fail, withdrawing as a commit that stored.
    if (this.wraps[li] !== s[S.WRAPS_SEEN]) return this.failCommit(off);
    return 0;
  }

  /**
   * A STREX whose compare-and-set succeeded but whose word's wrap count
   * changed since its LDREX (the word came back after 2^21 finished stores):
   * withdraws as a commit that stored (one more SEQ), and returns 1, the
   * STREX's failure. The monitor is already closed.
   */
  failCommit(off: number): number {
    this.withdraw(wordOf(off), SEQ - COMMIT, true);
    return 1;
  }

  /** After a commit's store: COMMIT goes, the sequence advances. */
  endCommit(off: number): void {
    this.withdraw(wordOf(off), SEQ - COMMIT, true);
  }

  /**
   * A store at `off` to a marked frame (aligned: it never spans lines)
   * announces itself on its line's word; if a commit is under way there (a
   * STREX between its compare-and-set and its withdrawal, or the run it
   * started), waits until it is withdrawn, so that the store lands after the
   * commit's. Then the caller stores and calls withdrawStore. Under the plain
   * withdrawal it waits before it announces (the word is the commit
   * holder's alone while COMMIT is up): the next commit may then start
   * first, each one from a quiet word, so every hand-over is a race this
   * compare-and-set can win.
   */
  announce(off: number, limitMs: number = WINDOW_WAIT_LIMIT_MS): void {
    const li = wordOf(off);
    const frame = off >>> PAGE_BITS;
    if (this.withdrawal === 'plain') {
      for (;;) {
        const seen = this.awaitNoCommit(li, frame, 'a store waiting for it', limitMs);
        if (Atomics.compareExchange(this.live, li, seen, (seen + WRITER) | 0) === seen) return;
      }
    }
    // A commit never waits for anyone, and no new one starts there while this store is announced (not quiet).
    if ((Atomics.add(this.live, li, WRITER) & COMMIT) !== 0) this.awaitNoCommit(li, frame, 'a store waiting for it', limitMs);
  }

  /**
   * Waits while version word `li` (of guest frame `frame`) shows a commit under way; returns the word as last read,
   * without COMMIT. `who`: what waits, for the report of a wait that never ends (window-wait.ts).
   */
  private awaitNoCommit(li: number, frame: number, who: string, limitMs: number = WINDOW_WAIT_LIMIT_MS): number {
    let w = 0;
    // awaitWindow reads the word at least once (its first check), so w is the word last read when it returns.
    awaitWindow(this.live, li, () => ((w = Atomics.load(this.live, li)) & COMMIT) !== 0, () => w,
      () => `a STREX's commit on guest frame 0x${frame.toString(16)} (${who})`, limitMs);
    return w;
  }

  /** After an announced store: its announcement goes, and the sequence advances if it stored (`stored`). */
  withdrawStore(off: number, stored: boolean): void {
    this.withdraw(wordOf(off), stored ? SEQ - WRITER : -WRITER, stored);
  }

  /**
   * Adds `delta` to version word `li` (with one SEQ in it if `advances`); a
   * withdrawal that wraps the sequence counts the wrap and then takes off the
   * COMMIT its carry set (wrappedBy).
   */
  private withdraw(li: number, delta: number, advances: boolean): void {
    const before = Atomics.add(this.live, li, delta);
    if (!advances) return;
    if (wrappedBy(before)) this.countWrap(li);
    if (this.slots[S.OWN_WORD] === li + 1) this.slots[S.OWN_STORES]++;
  }

  /** After the add that wrapped word `li`'s sequence: the wrap counted, then the carry's COMMIT off. */
  private countWrap(li: number): void {
    Atomics.add(this.wraps, li, 1);
    Atomics.sub(this.live, li, COMMIT);
  }

  /**
   * The lazy unmark, after a store to marked `frame` that stored: counts it
   * idle; the store that reaches `unmarkAfter` (every LDREX on the frame
   * resets the count) unmarks under the frame's lock: it takes READY off
   * the mark, then advances every line's word by compare-and-set on a word
   * with no commit under way (waiting out one that is), then clears the mark.
   * Every monitor on the frame fails; a LDREX after it finds the frame not
   * READY and marks it again, with a flush. True if it unmarked.
   */
  noteStore(frame: number): boolean {
    const fs = frameSlot(frame);
    if (++this.idle[fs]! < this.state.unmarkAfter) return false;
    const li = this.state.locks.indexOf(frame);
    this.state.locks.acquire(li);
    try {
      const m = Atomics.load(this.marks, frame);
      if ((m & (MARKED | READY)) !== (MARKED | READY)) return false;
      Atomics.store(this.marks, frame, m & ~READY);
      for (let i = 0; i < LINES_PER_FRAME; i++) this.advanceUnlessCommitting(lineWord(frame * LINES_PER_FRAME + i), frame);
      Atomics.store(this.marks, frame, m & ~(MARKED | READY));
      this.idle[fs] = 0;
      this.c.pagesUnmarked++;
      return true;
    } finally {
      this.state.locks.release(li);
    }
  }

  /** Advances word `li` by one SEQ once no commit is under way on it (a commit's store must land before the unmark). */
  private advanceUnlessCommitting(li: number, frame: number): void {
    for (;;) {
      const w = this.awaitNoCommit(li, frame, 'the lazy unmark waiting for it');
      if (Atomics.compareExchange(this.live, li, w, (w + SEQ) | 0) === w) {
        if (wrappedBy(w)) this.countWrap(li);
        return;
      }
    }
  }
}
