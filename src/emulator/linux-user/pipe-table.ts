// Pipes between guest threads and processes, kept by mttcg itself (Node.js
// cannot create a host pipe synchronously, and a pipe's two ends may live in
// different vCPU workers): one SharedArrayBuffer holds every pipe's state and
// its 64 KiB ring buffer, run-wide, so that a pipe survives fork and exec.
//
// Each pipe has a lock, its reader and writer counts (open file descriptions,
// not fds: dup and fork share one), and two byte counters: bytes ever read
// (head) and ever written (tail). Every change bumps the pipe's sequence word
// and the run-wide event word and notifies both: a blocked reader or writer
// sleeps on its pipe's word, poll and select sleep on the event word. A
// waiter loads the word, re-checks the state, then waits for the loaded
// value, so it cannot miss a change. Writes of at most PIPE_BUF bytes are
// atomic: they wait until the whole write fits.

import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';
import { EAGAIN, EPIPE } from './errno.js';

export const MAX_PIPES = 128;
export const PIPE_CAPACITY = 65536;
export const PIPE_BUF = 4096;

const P_LOCK = 0;
const P_USED = 1;
const P_READERS = 2;
const P_WRITERS = 3;
const P_HEAD = 4;
const P_TAIL = 5;
const P_SEQ = 6;
const P_WORDS = 16;

const G_ALLOC_LOCK = 0;
const G_EVENTS = 1;
const G_LIVE = 2;

const LAYOUT = new SharedLayout([
  { name: 'global', words: 16 },
  { name: 'pipes', words: MAX_PIPES * P_WORDS },
  { name: 'data', words: (MAX_PIPES * PIPE_CAPACITY) / 4 },
]);

/** What poll sees on one end of a pipe. */
export interface PipeReadiness {
  /** Bytes to read (at end of file poll reports only the hang-up, as Linux). */
  readonly readable: boolean;
  /** Room for PIPE_BUF bytes, or no reader left (the write fails at once). */
  readonly writable: boolean;
  /** No writer left (reader side): a read returns end of file. */
  readonly hangup: boolean;
  /** No reader left (writer side): a write fails with EPIPE. */
  readonly broken: boolean;
}

export class PipeTable {
  readonly global: Int32Array;
  readonly pipes: Int32Array;
  private readonly data: Uint8Array;
  private readonly allocLock: SharedLock;

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(LAYOUT.totalWords * 4);
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    this.global = LAYOUT.view(buffer, 'global');
    this.pipes = LAYOUT.view(buffer, 'pipes');
    const d = LAYOUT.region('data');
    this.data = new Uint8Array(buffer, d.offset * 4, d.words * 4);
    this.allocLock = new SharedLock(this.global, G_ALLOC_LOCK);
  }

  private lockOf(p: number): SharedLock {
    return new SharedLock(this.pipes, p * P_WORDS + P_LOCK);
  }

  /** A new pipe with one reader and one writer; -1 when all MAX_PIPES are in use. */
  allocate(): number {
    return this.allocLock.withLock(() => {
      for (let p = 0; p < MAX_PIPES; p++) {
        const b = p * P_WORDS;
        if (this.pipes[b + P_USED] !== 0) continue;
        this.pipes.fill(0, b + 1, b + P_WORDS);
        this.pipes[b + P_READERS] = 1;
        this.pipes[b + P_WRITERS] = 1;
        Atomics.store(this.pipes, b + P_USED, 1);
        Atomics.add(this.global, G_LIVE, 1);
        return p;
      }
      return -1;
    });
  }

  get live(): number {
    return Atomics.load(this.global, G_LIVE);
  }

  /** One end's last open file description closed; the pipe is freed when both ends are gone. */
  closeEnd(p: number, writer: boolean): void {
    const b = p * P_WORDS;
    const free = this.lockOf(p).withLock(() => {
      this.pipes[b + (writer ? P_WRITERS : P_READERS)]!--;
      return this.pipes[b + P_READERS] === 0 && this.pipes[b + P_WRITERS] === 0;
    });
    this.changed(p);
    if (free) {
      this.allocLock.withLock(() => Atomics.store(this.pipes, b + P_USED, 0));
      Atomics.sub(this.global, G_LIVE, 1);
    }
  }

  private changed(p: number): void {
    const seq = p * P_WORDS + P_SEQ;
    // add, then notify: a waiter that loaded the old value before re-checking sees a new one.
    Atomics.add(this.pipes, seq, 1);
    Atomics.notify(this.pipes, seq);
    Atomics.add(this.global, G_EVENTS, 1);
    Atomics.notify(this.global, G_EVENTS);
  }

  /** The pipe's change counter: load it before checking, then wait on it (waitIndex). */
  seq(p: number): number {
    return Atomics.load(this.pipes, p * P_WORDS + P_SEQ);
  }

  seqIndex(p: number): number {
    return p * P_WORDS + P_SEQ;
  }

  /** The run-wide change counter poll and select wait on. */
  get events(): number {
    return Atomics.load(this.global, G_EVENTS);
  }

  static readonly EVENTS_INDEX = G_EVENTS;

  readiness(p: number): PipeReadiness {
    const b = p * P_WORDS;
    const used = (Atomics.load(this.pipes, b + P_TAIL) - Atomics.load(this.pipes, b + P_HEAD)) >>> 0;
    const readers = Atomics.load(this.pipes, b + P_READERS);
    const writers = Atomics.load(this.pipes, b + P_WRITERS);
    return {
      readable: used > 0,
      writable: readers === 0 || PIPE_CAPACITY - used >= PIPE_BUF,
      hangup: writers === 0,
      broken: readers === 0,
    };
  }

  /** Bytes waiting in the pipe (FIONREAD). */
  available(p: number): number {
    const b = p * P_WORDS;
    return (Atomics.load(this.pipes, b + P_TAIL) - Atomics.load(this.pipes, b + P_HEAD)) >>> 0;
  }

  /**
   * Takes up to max bytes: the bytes, or 0 at end of file (no writer and
   * nothing left), or -EAGAIN when empty with a writer (the caller may wait).
   */
  read(p: number, max: number): Uint8Array | number {
    const b = p * P_WORDS;
    const out = this.lockOf(p).withLock(() => {
      const head = this.pipes[b + P_HEAD]! >>> 0;
      const used = ((this.pipes[b + P_TAIL]! >>> 0) - head) >>> 0;
      if (used === 0) return this.pipes[b + P_WRITERS] === 0 ? 0 : -EAGAIN;
      const n = Math.min(used, max);
      const bytes = new Uint8Array(n);
      const base = p * PIPE_CAPACITY;
      const at = head % PIPE_CAPACITY;
      const first = Math.min(n, PIPE_CAPACITY - at);
      bytes.set(this.data.subarray(base + at, base + at + first), 0);
      if (first < n) bytes.set(this.data.subarray(base, base + n - first), first);
      this.pipes[b + P_HEAD] = (head + n) | 0;
      return bytes;
    });
    if (typeof out !== 'number') this.changed(p);
    return out;
  }

  /**
   * Puts bytes[from..] in the pipe: the count written (all of them, or
   * nothing, when `atomic`: a write of at most PIPE_BUF bytes), -EAGAIN when
   * nothing fits now, or -EPIPE when no reader is left.
   */
  write(p: number, bytes: Uint8Array, from: number, atomic: boolean): number {
    const b = p * P_WORDS;
    const want = bytes.length - from;
    const n = this.lockOf(p).withLock(() => {
      if (this.pipes[b + P_READERS] === 0) return -EPIPE;
      const tail = this.pipes[b + P_TAIL]! >>> 0;
      const room = PIPE_CAPACITY - (((tail - (this.pipes[b + P_HEAD]! >>> 0)) >>> 0));
      if (room === 0 || (atomic && room < want)) return -EAGAIN;
      const k = Math.min(room, want);
      const base = p * PIPE_CAPACITY;
      const at = tail % PIPE_CAPACITY;
      const first = Math.min(k, PIPE_CAPACITY - at);
      this.data.set(bytes.subarray(from, from + first), base + at);
      if (first < k) this.data.set(bytes.subarray(from + first, from + k), base);
      this.pipes[b + P_TAIL] = (tail + k) | 0;
      return k;
    });
    if (n > 0) this.changed(p);
    return n;
  }
}
