// The deterministic scheduler's shared state and its decisions (docs/scheduler.md).
//
// Under --sched exactly one vCPU runs guest code at a time: the one whose
// thread index is in CURRENT (the baton). Only the baton holder reads or
// writes the words below (plain accesses), and it hands the baton over with
// a sequentially consistent Atomics.store + notify, which orders everything
// it wrote before the next holder's Atomics.load of CURRENT. So the board
// evolves as one sequential program, the same on every host: the decisions
// depend only on the seed and on what the guest did.
//
// Threads are numbered in creation order (0 = the first thread). The policy
// is PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): random
// initial priorities, d-1 change points drawn from steps 1..k; at a change
// point the running thread's priority drops below every other thread's; the
// highest-priority runnable thread runs. (The paper drops it to i at the i-th
// change point, below every initial priority; here the drop goes to the very
// bottom because of the two additions that keep guest spin loops finite: a
// thread that yields (sched_yield, polling waits) drops to the bottom too, and
// so does one that has run `slice` steps while another was runnable. A drop
// to i could otherwise lift a thread above one that had yielded.)
// policy=chaos instead redraws every priority at random moments (mean gap
// `slice` steps; rr's chaos mode), giving random starvation windows.

import { MAX_VCPUS } from '../exec/vcpu-table.js';
import { nextRandom, randomBelow, seedRandom } from './sched-random.js';
import { MAX_CHANGE_POINTS, type SchedSpec } from './sched-spec.js';

export const MAX_SCHED_THREADS = MAX_VCPUS * 4;
/** Virtual nanoseconds per scheduling step. */
export const STEP_NS = 1000;

// header words
/** The word of `words` holding the baton (the running thread's index); waited on and notified. */
export const H_CURRENT = 0;
const H_THREADS = 1;
const H_DIRTY = 2;
const H_RUN = 3;
const H_NEXT_CHANGE = 4;
const H_YIELD_SEQ = 5;
const H_WAIT_SEQ = 6;
const H_SWITCHES = 7;
const H_REPLAY_POS = 8;
const H_RANDOM = 12; // 4 words
const H_BYTES_RANDOM = 16; // 4 words: getrandom and AT_RANDOM, a stream of their own
const HEADER_WORDS = 32;

// per-thread words
const T_STATE = 0;
const T_TID = 1;
const T_PRIO = 2;
const T_WAIT_ADDR = 3;
const T_WAIT_SEQ = 4;
const T_WOKEN = 5;
const THREAD_WORDS = 8;

// float64 slots
const F_STEPS = 0;
const F_NOW = 1;
const F_CHANGE = 2; // MAX_CHANGE_POINTS
const F_DEADLINE = F_CHANGE + MAX_CHANGE_POINTS; // one per thread
const FLOATS = F_DEADLINE + MAX_SCHED_THREADS;

export const enum ThreadState {
  FREE = 0,
  RUNNABLE = 1,
  /** In a futex wait (woken by a wake on its address, or its deadline). */
  FUTEX = 2,
  /** Sleeping until its deadline. */
  SLEEP = 3,
  EXITED = 4,
}

export const enum WakeReason {
  NONE = 0,
  WOKEN = 1,
  TIMEOUT = 2,
}

/** What the board decided at a scheduling point. */
export type Decision =
  | { readonly kind: 'run'; readonly index: number }
  /** Nothing can run and nothing has a deadline: the guest is deadlocked. */
  | { readonly kind: 'deadlock'; readonly report: string };

export class ScheduleDiverged extends Error {}

export class SchedBoard {
  readonly words: Int32Array;
  private readonly floats: Float64Array;

  static create(spec: SchedSpec, firstTid: number): SharedArrayBuffer {
    const words = HEADER_WORDS + MAX_SCHED_THREADS * THREAD_WORDS;
    const buffer = new SharedArrayBuffer(words * 4 + FLOATS * 8);
    const board = new SchedBoard(buffer, spec);
    board.init(firstTid);
    return buffer;
  }

  constructor(readonly buffer: SharedArrayBuffer, readonly spec: SchedSpec) {
    const words = HEADER_WORDS + MAX_SCHED_THREADS * THREAD_WORDS;
    this.words = new Int32Array(buffer, 0, words);
    this.floats = new Float64Array(buffer, words * 4, FLOATS);
  }

  private init(firstTid: number): void {
    const w = this.words;
    const spec = this.spec;
    seedRandom(w, H_RANDOM, spec.seed, 0);
    seedRandom(w, H_BYTES_RANDOM, spec.seed, 1);
    const points: number[] = [];
    for (let i = 0; i < spec.depth - 1; i++) points.push(1 + randomBelow(w, H_RANDOM, spec.steps));
    points.sort((a, b) => a - b);
    for (const [i, p] of points.entries()) this.floats[F_CHANGE + i] = p;
    w[H_NEXT_CHANGE] = 0;
    w[H_CURRENT] = 0;
    this.addThread(firstTid);
  }

  // --- reading ---------------------------------------------------------------

  /** The thread index holding the baton (Atomics: the hand-over is the synchronisation). */
  current(): number {
    return Atomics.load(this.words, H_CURRENT);
  }

  get steps(): number {
    return this.floats[F_STEPS]!;
  }

  get switches(): number {
    return this.words[H_SWITCHES]!;
  }

  get threads(): number {
    return this.words[H_THREADS]!;
  }

  /** Virtual nanoseconds since the run started. */
  get nowNs(): number {
    return this.floats[F_NOW]!;
  }

  indexOfTid(tid: number): number {
    for (let i = 0; i < this.words[H_THREADS]!; i++) if (this.words[HEADER_WORDS + i * THREAD_WORDS + T_TID] === tid) return i;
    return -1;
  }

  state(index: number): ThreadState {
    return this.words[HEADER_WORDS + index * THREAD_WORDS + T_STATE]! as ThreadState;
  }

  wakeReason(index: number): WakeReason {
    return this.words[HEADER_WORDS + index * THREAD_WORDS + T_WOKEN]! as WakeReason;
  }

  /** A random 32-bit number from the bytes stream (getrandom, AT_RANDOM). */
  randomWord(): number {
    return nextRandom(this.words, H_BYTES_RANDOM);
  }

  // --- changes by the baton holder ---------------------------------------------

  private t(index: number, word: number): number {
    return HEADER_WORDS + index * THREAD_WORDS + word;
  }

  /** A new thread (runnable, random priority); returns its index. */
  addThread(tid: number): number {
    const w = this.words;
    const index = w[H_THREADS]!;
    if (index >= MAX_SCHED_THREADS) throw new Error(`--sched: more than ${MAX_SCHED_THREADS} threads in one run`);
    w[H_THREADS] = index + 1;
    w[this.t(index, T_TID)] = tid;
    w[this.t(index, T_STATE)] = ThreadState.RUNNABLE;
    w[this.t(index, T_PRIO)] = nextRandom(w, H_RANDOM) >>> 2;
    w[H_DIRTY] = 1;
    return index;
  }

  exit(index: number): void {
    this.words[this.t(index, T_STATE)] = ThreadState.EXITED;
  }

  /** `index` waits on the futex at addr until woken or deadlineNs (Infinity: none). */
  blockOnFutex(index: number, addr: number, deadlineNs: number): void {
    const w = this.words;
    w[this.t(index, T_STATE)] = ThreadState.FUTEX;
    w[this.t(index, T_WAIT_ADDR)] = addr;
    w[this.t(index, T_WAIT_SEQ)] = ++w[H_WAIT_SEQ]!;
    w[this.t(index, T_WOKEN)] = WakeReason.NONE;
    this.floats[F_DEADLINE + index] = deadlineNs;
  }

  sleep(index: number, deadlineNs: number): void {
    this.words[this.t(index, T_STATE)] = ThreadState.SLEEP;
    this.words[this.t(index, T_WOKEN)] = WakeReason.NONE;
    this.floats[F_DEADLINE + index] = deadlineNs;
  }

  /** FUTEX_WAKE: up to n (all if n < 0) waiters on addr, oldest first; returns how many. */
  wakeFutex(addr: number, n: number): number {
    const w = this.words;
    let woken = 0;
    while (n < 0 || woken < n) {
      let best = -1;
      for (let i = 0; i < w[H_THREADS]!; i++) {
        if (w[this.t(i, T_STATE)] !== ThreadState.FUTEX || w[this.t(i, T_WAIT_ADDR)] !== addr) continue;
        if (best < 0 || w[this.t(i, T_WAIT_SEQ)]! < w[this.t(best, T_WAIT_SEQ)]!) best = i;
      }
      if (best < 0) break;
      this.makeRunnable(best, WakeReason.WOKEN);
      woken++;
    }
    return woken;
  }

  /** The thread drops below every other (sched_yield, a polling wait, its slice used up). */
  demote(index: number): void {
    this.words[this.t(index, T_PRIO)] = -(++this.words[H_YIELD_SEQ]!);
    this.words[H_DIRTY] = 1;
  }

  private makeRunnable(index: number, why: WakeReason): void {
    this.words[this.t(index, T_STATE)] = ThreadState.RUNNABLE;
    this.words[this.t(index, T_WOKEN)] = why;
    this.floats[F_DEADLINE + index] = Infinity;
    this.words[H_DIRTY] = 1;
  }

  /** Wakes every sleeper or timed waiter whose deadline has passed. */
  private wakeDue(): void {
    const now = this.floats[F_NOW]!;
    for (let i = 0; i < this.words[H_THREADS]!; i++) {
      const s = this.state(i);
      if ((s === ThreadState.FUTEX || s === ThreadState.SLEEP) && this.floats[F_DEADLINE + i]! <= now) {
        this.makeRunnable(i, WakeReason.TIMEOUT);
      }
    }
  }

  /** The earliest deadline of a waiting thread (Infinity if none). */
  private nextDeadline(): number {
    let min = Infinity;
    for (let i = 0; i < this.words[H_THREADS]!; i++) {
      const s = this.state(i);
      if (s === ThreadState.FUTEX || s === ThreadState.SLEEP) min = Math.min(min, this.floats[F_DEADLINE + i]!);
    }
    return min;
  }

  private runnableOtherThan(index: number): boolean {
    for (let i = 0; i < this.words[H_THREADS]!; i++) if (i !== index && this.state(i) === ThreadState.RUNNABLE) return true;
    return false;
  }

  private best(): number {
    const w = this.words;
    let best = -1;
    for (let i = 0; i < w[H_THREADS]!; i++) {
      if (w[this.t(i, T_STATE)] !== ThreadState.RUNNABLE) continue;
      if (best < 0 || w[this.t(i, T_PRIO)]! > w[this.t(best, T_PRIO)]!) best = i;
    }
    return best;
  }

  /**
   * One scheduling point of thread `me` (the holder; it may have just
   * blocked, yielded or exited): counts the step, advances virtual time,
   * applies the policy and says who runs next. `guestEvent`: a guest
   * instruction is about to run (not a block, yield or exit).
   */
  decide(me: number, guestEvent: boolean): Decision {
    const w = this.words;
    const f = this.floats;
    const step = ++f[F_STEPS]!;
    f[F_NOW]! += STEP_NS;
    const run = ++w[H_RUN]!;
    const spec = this.spec;
    if (spec.replay === null) {
      if (spec.policy === 'pct') {
        // A change point drops the running thread below every other thread (see the head of this file).
        while (w[H_NEXT_CHANGE]! < spec.depth - 1 && f[F_CHANGE + w[H_NEXT_CHANGE]!] === step) {
          w[H_NEXT_CHANGE]!++;
          this.demote(me);
        }
      } else if (nextRandom(w, H_RANDOM) % spec.slice === 0) {
        for (let i = 0; i < w[H_THREADS]!; i++) w[this.t(i, T_PRIO)] = nextRandom(w, H_RANDOM) >>> 2;
        w[H_DIRTY] = 1;
      }
      if (guestEvent && run >= spec.slice && spec.policy === 'pct' && this.runnableOtherThan(me)) this.demote(me);
    }
    for (;;) {
      if (this.nextDeadline() <= f[F_NOW]!) this.wakeDue();
      const chosen = spec.replay !== null ? this.replayChoice(me, step) : this.policyChoice(me);
      if (chosen >= 0) {
        if (chosen !== me) {
          w[H_RUN] = 0;
          w[H_SWITCHES]!++;
        }
        return { kind: 'run', index: chosen };
      }
      // Nothing runnable: virtual time jumps to the next deadline, if any.
      const next = this.nextDeadline();
      if (next === Infinity) return { kind: 'deadlock', report: this.deadlockReport() };
      f[F_NOW] = next;
    }
  }

  private policyChoice(me: number): number {
    const w = this.words;
    if (w[H_DIRTY] === 0 && this.state(me) === ThreadState.RUNNABLE) return me;
    const best = this.best();
    if (best >= 0) w[H_DIRTY] = 0;
    return best;
  }

  private replayChoice(me: number, step: number): number {
    const replay = this.spec.replay!;
    const w = this.words;
    const pos = w[H_REPLAY_POS]!;
    const entry = replay[pos];
    let chosen = me;
    if (entry !== undefined && entry[0] === step) {
      chosen = entry[1];
      w[H_REPLAY_POS] = pos + 1;
    }
    if (chosen < w[H_THREADS]! && this.state(chosen) === ThreadState.RUNNABLE) return chosen;
    // Nothing runnable: time advances to a deadline (as it did in the recorded run) or it is a deadlock.
    if (this.best() < 0) {
      if (chosen !== me) w[H_REPLAY_POS] = pos;
      return -1;
    }
    throw new ScheduleDiverged(`--sched replay:${this.spec.replayFile}: at step ${step} the schedule names thread ${chosen}, ` +
      'which cannot run here: the program or its input differs from the recorded run');
  }

  private deadlockReport(): string {
    const parts: string[] = [];
    for (let i = 0; i < this.words[H_THREADS]!; i++) {
      if (this.state(i) === ThreadState.FUTEX) {
        parts.push(`thread ${this.words[this.t(i, T_TID)]} waits on futex 0x${(this.words[this.t(i, T_WAIT_ADDR)]! >>> 0).toString(16)}`);
      }
    }
    return `guest deadlock: every thread is blocked in a futex wait with no timeout (${parts.join('; ')})`;
  }
}
