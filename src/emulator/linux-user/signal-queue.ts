// Pending sets and the siginfo queue of one guest process (the kernel's
// struct sigpending and its sigqueue entries), in the process's shared
// signal buffer.
//
// A pending set lives inside a process or thread record (the process's
// shared set, each thread's own set): two words of pending bits and the head
// and tail of its queue. Queue entries come from one pool per process, linked
// through a free list: a real-time signal queues one entry per send; a
// standard signal already pending is not queued again. Every method runs
// under the process's signal lock, held by the caller (SignalState); only the
// pending bits are also read without it, hence their atomic updates.

import { EAGAIN } from './errno.js';
import { bitOf, isRealtime, SI_USER, wordOf } from './signal-numbers.js';
import { infoCode, makeSigInfo, SIGINFO_WORDS, type SigInfo } from './siginfo.js';

// Offsets of a pending set within its record (word 0 is the record's own).
export const PEND_LO = 1;
export const PEND_HI = 2;
const QHEAD = 3;
const QTAIL = 4;
/** Words a record gives its pending set, from word 0 (the record's own word) on. */
export const PENDING_SET_END = 5;

/** Queued siginfo entries per process (the kernel's RLIMIT_SIGPENDING, much reduced). */
export const QUEUE_ENTRIES = 2048;

// queue entry: next, then the siginfo words
const E_NEXT = 0;
const E_INFO = 1;
const E_WORDS = 1 + SIGINFO_WORDS;
/** Words of the entry pool. */
export const QUEUE_POOL_WORDS = QUEUE_ENTRIES * E_WORDS;

export class SignalQueue {
  /** w: the process's signal buffer; qBase: the pool's first word; freeIndex: the word heading the free list. */
  constructor(private readonly w: Int32Array, private readonly qBase: number, private readonly freeIndex: number) {}

  /** A fresh buffer: every entry on the free list (before any other thread sees the buffer). */
  initPool(): void {
    for (let i = 0; i < QUEUE_ENTRIES; i++) this.w[this.qBase + i * E_WORDS + E_NEXT] = i + 1 < QUEUE_ENTRIES ? i + 1 : -1;
    this.w[this.freeIndex] = 0;
  }

  /** An empty queue for the pending set at base (its bits are cleared by the caller). */
  initSet(base: number): void {
    this.w[base + QHEAD] = -1;
    this.w[base + QTAIL] = -1;
  }

  /** Sets sig pending in the set at base, queueing info; 0, or -EAGAIN. */
  enqueue(base: number, sig: number, info: SigInfo): number {
    const w = this.w;
    const word = base + PEND_LO + wordOf(sig);
    const bit = bitOf(sig);
    // A standard signal already pending is not queued twice (legacy_queue).
    if (!isRealtime(sig) && (w[word]! & bit) !== 0) return 0;
    const e = w[this.freeIndex]!;
    if (e < 0) {
      // Out of queue entries: like the kernel, a real-time signal with
      // information that matters fails; others are still sent, without info.
      if (isRealtime(sig) && infoCode(info) !== SI_USER) return -EAGAIN;
    } else {
      const eb = this.qBase + e * E_WORDS;
      w[this.freeIndex] = w[eb + E_NEXT]!;
      w[eb + E_NEXT] = -1;
      w.set(info.subarray(0, SIGINFO_WORDS), eb + E_INFO);
      w[eb + E_INFO] = sig;
      const tail = w[base + QTAIL]!;
      if (tail < 0) w[base + QHEAD] = e;
      else w[this.qBase + tail * E_WORDS + E_NEXT] = e;
      w[base + QTAIL] = e;
    }
    // Lock-free readers (hasDeliverable, the pending-request check) see the bit once the entry is queued.
    Atomics.or(w, word, bit);
    return 0;
  }

  /** Removes the first queued sig from the set at base and returns its info. */
  take(base: number, sig: number): SigInfo {
    const w = this.w;
    let prev = -1;
    let found = -1;
    let more = false;
    for (let e = w[base + QHEAD]!; e >= 0; e = w[this.qBase + e * E_WORDS + E_NEXT]!) {
      if (w[this.qBase + e * E_WORDS + E_INFO] !== sig) {
        if (found < 0) prev = e;
        continue;
      }
      if (found >= 0) {
        more = true;
        break;
      }
      found = e;
    }
    // Lock-free readers of the pending bits: cleared only when no instance of sig stays queued.
    if (!more) Atomics.and(w, base + PEND_LO + wordOf(sig), ~bitOf(sig));
    if (found < 0) return makeSigInfo(sig, SI_USER); // it overflowed the queue: no info, as the kernel
    const eb = this.qBase + found * E_WORDS;
    const info = w.slice(eb + E_INFO, eb + E_INFO + SIGINFO_WORDS);
    this.unlink(base, prev, found);
    return info;
  }

  /** Drops every pending instance of sig from the sets at bases. */
  discard(bases: readonly number[], sig: number): void {
    const w = this.w;
    for (const base of bases) {
      if ((w[base + PEND_LO + wordOf(sig)]! & bitOf(sig)) === 0) continue;
      let prev = -1;
      for (let e = w[base + QHEAD]!; e >= 0;) {
        const next = w[this.qBase + e * E_WORDS + E_NEXT]!;
        if (w[this.qBase + e * E_WORDS + E_INFO] === sig) this.unlink(base, prev, e);
        else prev = e;
        e = next;
      }
      // Lock-free readers of the pending bits: the signal is gone.
      Atomics.and(w, base + PEND_LO + wordOf(sig), ~bitOf(sig));
    }
  }

  /** Empties the set at base, its entries back to the pool (a thread exits). */
  free(base: number): void {
    while (this.w[base + QHEAD]! >= 0) this.unlink(base, -1, this.w[base + QHEAD]!);
    this.w[base + PEND_LO] = 0;
    this.w[base + PEND_HI] = 0;
  }

  private unlink(base: number, prev: number, e: number): void {
    const w = this.w;
    const next = w[this.qBase + e * E_WORDS + E_NEXT]!;
    if (prev < 0) w[base + QHEAD] = next;
    else w[this.qBase + prev * E_WORDS + E_NEXT] = next;
    if (w[base + QTAIL] === e) w[base + QTAIL] = prev;
    w[this.qBase + e * E_WORDS + E_NEXT] = w[this.freeIndex]!;
    w[this.freeIndex] = e;
  }
}
