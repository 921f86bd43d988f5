// The thread records of one guest process's signal state (the kernel's
// per-task signal fields: pending, blocked, real_blocked, sas_ss_*), in the
// process's shared signal buffer, one record per vCPU slot:
//
//   - the thread's tid (0: a free record);
//   - its own pending set and queue (signal-queue.ts, from word 0);
//   - its blocked mask, and the real mask set aside while a sigsuspend or
//     sigtimedwait mask is in force;
//   - its sigaltstack;
//   - a wake-up word that every kick bumps (interruptible waits sleep on it),
//     and the word a blocking wait sleeps on elsewhere (a futex), for a kick
//     to notify.
//
// The owning thread reads its own mask and a kicker reads the wait word
// without the lock, hence their atomic accesses; every other change happens
// under the process's signal lock, held by the caller (SignalState).

import { bitOf, SS_DISABLE, UNBLOCKABLE_LO, wordOf } from './signal-numbers.js';
import { PENDING_SET_END } from './signal-queue.js';

/** Thread records (one per vCPU slot of the process). */
export const MAX_THREADS = 256;

const T_TID = 0; // 0 = free record
const T_BLOCKED_LO = PENDING_SET_END;
const T_BLOCKED_HI = 6;
const T_SAVED_LO = 7; // the real mask while a sigsuspend/sigtimedwait mask is in force
const T_SAVED_HI = 8;
const T_SAVED_VALID = 9;
const T_SS_SP = 10;
const T_SS_FLAGS = 11;
const T_SS_SIZE = 12;
const T_WAKE = 13; // bumped by every kick: interruptible waits wait on it
const T_WAIT_KIND = 14; // which shared buffer T_WAIT_INDEX is in (WAIT_WORD_*), 0 = not waiting on a word
const T_WAIT_INDEX = 15; // Int32 index of the word a blocking wait sleeps on
const T_WORDS = 32; // a record per 128 bytes: threads do not share host cache lines

/** Words of all the thread records. */
export const THREAD_RECORDS_WORDS = MAX_THREADS * T_WORDS;

export interface AltStack {
  sp: number;
  flags: number;
  size: number;
}

export class SignalThreads {
  /** w: the process's signal buffer; base: the first record's first word. */
  constructor(private readonly w: Int32Array, private readonly base: number) {}

  /** The first word of the slot's record: its pending set starts there (SignalQueue addresses it so). */
  record(slot: number): number {
    return this.base + slot * T_WORDS;
  }

  /**
   * A new thread in slot, under the lock: its mask, no alternate stack, no
   * tid yet (setTid publishes it); the caller empties its pending set.
   */
  attachLocked(slot: number, blockedLo: number, blockedHi: number): void {
    const t = this.record(slot);
    const w = this.w;
    w.fill(0, t, t + T_WORDS);
    w[t + T_BLOCKED_LO] = blockedLo & ~UNBLOCKABLE_LO;
    w[t + T_BLOCKED_HI] = blockedHi;
    w[t + T_SS_FLAGS] = SS_DISABLE;
  }

  /** Publishes the thread's tid (after attachLocked), or 0 when it exits: the record is then free. */
  setTid(slot: number, tid: number): void {
    Atomics.store(this.w, this.record(slot) + T_TID, tid);
  }

  tidOf(slot: number): number {
    return Atomics.load(this.w, this.record(slot) + T_TID);
  }

  isLive(slot: number): boolean {
    return this.tidOf(slot) !== 0;
  }

  /** The slot of the live thread with this tid, or -1. */
  slotOfTid(tid: number): number {
    if (tid <= 0) return -1;
    for (let s = 0; s < MAX_THREADS; s++) if (this.tidOf(s) === tid) return s;
    return -1;
  }

  // ---- masks ----

  blockedLo(slot: number): number {
    return Atomics.load(this.w, this.record(slot) + T_BLOCKED_LO);
  }

  blockedHi(slot: number): number {
    return Atomics.load(this.w, this.record(slot) + T_BLOCKED_HI);
  }

  blocks(slot: number, sig: number): boolean {
    return (Atomics.load(this.w, this.record(slot) + T_BLOCKED_LO + wordOf(sig)) & bitOf(sig)) !== 0;
  }

  /**
   * Blocked now, or by the real mask a sigtimedwait/sigsuspend set aside
   * (the kernel's blocked | real_blocked): such a signal is neither ignored
   * nor fatal when sent, since the thread may take it with sigtimedwait.
   */
  blocksEver(slot: number, sig: number): boolean {
    if (this.blocks(slot, sig)) return true;
    const t = this.record(slot);
    return this.w[t + T_SAVED_VALID] !== 0 && (this.w[t + T_SAVED_LO + wordOf(sig)]! & bitOf(sig)) !== 0;
  }

  /** Stores the blocked mask, under the lock (the caller has left SIGKILL and SIGSTOP out of lo). */
  storeBlockedLocked(slot: number, lo: number, hi: number): void {
    const t = this.record(slot);
    Atomics.store(this.w, t + T_BLOCKED_LO, lo);
    Atomics.store(this.w, t + T_BLOCKED_HI, hi);
  }

  /** Sets the blocked mask aside (once) before a temporary mask goes in force, under the lock. */
  saveMaskLocked(slot: number): void {
    const t = this.record(slot);
    if (this.w[t + T_SAVED_VALID] !== 0) return;
    this.w[t + T_SAVED_LO] = this.w[t + T_BLOCKED_LO]!;
    this.w[t + T_SAVED_HI] = this.w[t + T_BLOCKED_HI]!;
    this.w[t + T_SAVED_VALID] = 1;
  }

  /** The mask set aside by saveMaskLocked (kept), or null. */
  savedMask(slot: number): [number, number] | null {
    const t = this.record(slot);
    return this.w[t + T_SAVED_VALID] === 0 ? null : [this.w[t + T_SAVED_LO]!, this.w[t + T_SAVED_HI]!];
  }

  /** The mask set aside by saveMaskLocked (and forgets it), or null; under the lock. */
  takeSavedMaskLocked(slot: number): [number, number] | null {
    const saved = this.savedMask(slot);
    if (saved) this.w[this.record(slot) + T_SAVED_VALID] = 0;
    return saved;
  }

  // ---- alternate signal stack ----

  altStack(slot: number): AltStack {
    const t = this.record(slot);
    return { sp: this.w[t + T_SS_SP]!, flags: this.w[t + T_SS_FLAGS]!, size: this.w[t + T_SS_SIZE]! };
  }

  setAltStack(slot: number, sp: number, flags: number, size: number): void {
    const t = this.record(slot);
    this.w[t + T_SS_SP] = sp;
    this.w[t + T_SS_FLAGS] = flags;
    this.w[t + T_SS_SIZE] = size;
  }

  // ---- wake-ups ----

  /** The thread's wake-up word: read it, check for signals, then Atomics.wait on it with that value. */
  wakeWord(slot: number): { array: Int32Array; index: number } {
    return { array: this.w, index: this.record(slot) + T_WAKE };
  }

  /** Bumps then notifies the wake-up word: a waiter that read the old value before checking for signals does not sleep. */
  bumpWake(slot: number): void {
    const i = this.record(slot) + T_WAKE;
    Atomics.add(this.w, i, 1);
    Atomics.notify(this.w, i);
  }

  /**
   * Publishes the word a blocking wait of the thread sleeps on (kind: a
   * WAIT_WORD_* buffer; 0 clears it), so that a kick notifies it.
   */
  setWaitWord(slot: number, kind: number, index: number): void {
    // Index first, then kind: a kicker that sees the kind reads a valid index.
    Atomics.store(this.w, this.record(slot) + T_WAIT_INDEX, index);
    Atomics.store(this.w, this.record(slot) + T_WAIT_KIND, kind);
  }

  /** The kind of the word the thread's blocking wait sleeps on (0: none); read it before waitIndex. */
  waitKind(slot: number): number {
    return Atomics.load(this.w, this.record(slot) + T_WAIT_KIND);
  }

  waitIndex(slot: number): number {
    return Atomics.load(this.w, this.record(slot) + T_WAIT_INDEX);
  }
}
