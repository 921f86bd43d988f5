// The host operations of one lock acquisition of bench/guest/spinlock.c's
// LDREX/STREX loop, as each strategy's translated code does them on its fast
// path (the emitted JavaScript of the loop's region, `mttcg run --dump-js`),
// in the same order, on plain words of one SharedArrayBuffer (layout.ts):
// the guest's try-lock (LDREX; a CLREX and a failure if the lock is taken;
// STREX), its spin on plain loads until the lock reads free, the DMB
// (Atomics.add on a private word), the critical section's plain loads and
// stores of the count and the 64-bit sum, the DMB and the unlock's plain
// store, and whatever the strategy does around them:
//
//   cmpxchg  LDREX Atomics.load of the lock word; STREX
//            Atomics.compareExchange of the lock word
//            (value-compare/inline-exclusives.ts). One line: the lock's.
//   tlbexcl  (the version monitor, llsc-tlbexcl/inline-version-exclusives.ts)
//            LDREX a plain read of the mark, a plain read of the wrap count,
//            Atomics.load of the version word (while a store or commit is
//            announced there, Atomics.load again until it is quiet: a_ldx's
//            wait), Atomics.load of the mark, a plain load of the lock; STREX
//            Atomics.compareExchange of the version word from the kept word to
//            kept + COMMIT, a plain read of the wrap count, the plain store of
//            the lock; the critical section's stores ride on the COMMIT (a run
//            the STREX started); the run's withdrawal at the loop's back-edge,
//            after the unlock: Atomics.add of SEQ - COMMIT (a wrap counted as
//            the emitted code counts it).
//   tlbexcl-left  an order tried in session 16 and not kept (the emitted code
//            is tlbexcl's above): the LDREX after the thread's own commit
//            keeps the word the run's withdrawal left (its Atomics.add's
//            result plus SEQ - COMMIT, with the wrap count read before the
//            add) and reads neither the word nor the mark: 4 Atomics calls
//            per uncontended acquisition, as cmpxchg's. In mttcg the two
//            Atomics.load it saves cost nothing measurable
//            (reports/measurements/speed.md, "Session 16: fewer Atomics per
//            acquisition"; docs/strategy-tlbexcl.md).
//   aie      (stores=always, the version monitor, aie/inline-version.ts)
//            LDREX Atomics.load of the chunk's lock word until it is not held
//            (up to 32 tries inline, then the helper's wait, here the same
//            loop), a plain load of the lock; STREX Atomics.compareExchange of
//            the lock word from the version read to version | held (tried
//            again while it reads held at that version), the plain store of
//            the lock; the critical section's stores ride on the held chunk
//            lock; the run's withdrawal at the back-edge, after the unlock:
//            Atomics.exchange of the lock word with the version advanced.
//
// What is left out: the TLB probes, counters and register moves (private,
// the same in every strategy's loop), and the guest's sched_yield every 1000
// spins (a syscall in mttcg; the native reference leaves it out too).
// Each returns what it did; `done` (layout.ts) stops a thread at its next
// check (every 256 acquisitions, a plain read, as bench.h's window notes).

import { LOCK_BITS, LOCK_HELD, VERSION_STEP } from '../../src/aie/entry-lock.js';
import { INLINE_LOCK_TRIES } from '../../src/aie/inline-exclusives.js';
import { MARKED, READY } from '../../src/llsc-tlbexcl/exclusive-state.js';
import { COMMIT, SEQ, SEQS, WRITERS } from '../../src/llsc-tlbexcl/version-word.js';
import type { Layout } from './layout.js';

export type SequenceName = 'cmpxchg' | 'tlbexcl' | 'tlbexcl-left' | 'aie';

export const SEQUENCES: readonly SequenceName[] = ['cmpxchg', 'tlbexcl', 'tlbexcl-left', 'aie'];

export interface SequenceResult {
  /** Acquisitions made (fewer than asked if another thread finished first). */
  readonly ops: number;
  /** Failed try-locks: the lock read taken at the LDREX, or the STREX lost (the guest's fails=). */
  readonly fails: number;
  /** LDREXes that found the metadata word busy (tlbexcl: a store or commit announced; aie: the chunk lock held). */
  readonly waits: number;
}

/**
 * How the threads take the lock: `free`, as the guest does (whoever wins the race: the lock may stay with one
 * thread for long streaks, or change hands at every acquisition, as the timing falls); `alternate`, each thread
 * first waits (plain loads of the count, on the lock's line) until the count says it is its turn, so that every
 * acquisition is a hand-over and the figure per acquisition is the cost of one hand-over.
 */
export type Mode = 'free' | 'alternate';

export const MODES: readonly Mode[] = ['free', 'alternate'];

/** Who this thread is: `self` of `threads`, and the mode. */
export interface Turn {
  readonly self: number;
  readonly threads: number;
  readonly mode: Mode;
}

/** One thread's acquisitions: `ops` of them, or until `done` is set; `fence` is the thread's private DMB word. */
export type Sequence = (m: Int32Array, fence: Int32Array, l: Layout, ops: number, turn: Turn) => SequenceResult;

const READY_MARK = MARKED | READY;
const BUSY = WRITERS | COMMIT;

/**
 * The critical section after the DMB, as spinlock.c's body: count + 1, sum + i (64-bit, in 32-bit halves with
 * the carry, as the translated ADDS/ADC are), then the DMB and the unlock.
 */
function criticalSection(m: Int32Array, fence: Int32Array, l: Layout, i: number): void {
  m[l.count] = (m[l.count]! + 1) | 0;
  const lo = m[l.sumLo]!;
  const sumLo = (lo + i) | 0;
  m[l.sumLo] = sumLo;
  m[l.sumHi] = (m[l.sumHi]! + ((sumLo >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
  Atomics.add(fence, 0, 1);
  m[l.lock] = 0;
}

/** Under `alternate`, waits until the count says it is this thread's turn; false if another thread finished meanwhile. */
function awaitTurn(m: Int32Array, l: Layout, t: Turn): boolean {
  if (t.mode === 'free') return true;
  while ((m[l.count]! >>> 0) % t.threads !== t.self) if (m[l.done] !== 0) return false;
  return true;
}

/** spinlock.c's wait after a failed try-lock: plain loads until the lock reads free. */
function spinWhileTaken(m: Int32Array, lock: number): void {
  let spins = 0;
  while (m[lock] !== 0) spins = (spins + 1) | 0;
}

export function cmpxchgSequence(m: Int32Array, fence: Int32Array, l: Layout, ops: number, turn: Turn): SequenceResult {
  let fails = 0;
  let i = 0;
  for (; i < ops; i++) {
    if (((i & 255) === 255 && m[l.done] !== 0) || !awaitTurn(m, l, turn)) break;
    for (;;) {
      const v = Atomics.load(m, l.lock);
      if (v === 0 && Atomics.compareExchange(m, l.lock, v, 1) === v) break;
      fails++;
      spinWhileTaken(m, l.lock);
    }
    Atomics.add(fence, 0, 1);
    criticalSection(m, fence, l, i);
  }
  return { ops: i, fails, waits: 0 };
}

/** tlbexcl's sequence; `keepLeft`: the LDREX after the thread's own commit keeps the word its withdrawal left. */
function tlbexclWith(keepLeft: boolean): Sequence {
  return (m, fence, l, ops, turn) => tlbexclLoop(m, fence, l, ops, turn, keepLeft);
}

function tlbexclLoop(m: Int32Array, fence: Int32Array, l: Layout, ops: number, turn: Turn, keepLeft: boolean): SequenceResult {
  let fails = 0;
  let waits = 0;
  let i = 0;
  // The word the last commit's withdrawal left (-1: none), with the wrap count read before it.
  let left = -1;
  let leftWraps = 0;
  for (; i < ops; i++) {
    if (((i & 255) === 255 && m[l.done] !== 0) || !awaitTurn(m, l, turn)) break;
    for (;;) {
      // LDREX: the quick mark check; the left word, or the wrap count, r, (the wait), m; the value.
      if ((m[l.mark]! & READY_MARK) !== READY_MARK) throw new Error('cache-lines: the mark word was overwritten');
      const kept = left !== -1 && (left & BUSY) === 0;
      let seen = kept ? leftWraps : m[l.wraps]!;
      let w = kept ? left : Atomics.load(m, l.meta);
      left = -1;
      if ((w & BUSY) !== 0) {
        waits++;
        while ((w & BUSY) !== 0) {
          seen = m[l.wraps]!;
          w = Atomics.load(m, l.meta);
        }
      }
      if (!kept && (Atomics.load(m, l.mark) & READY_MARK) !== READY_MARK) throw new Error('cache-lines: the mark word was overwritten');
      const v = m[l.lock]!;
      // CLREX (the monitor closes; nothing shared is written) and the guest's failure.
      if (v === 0) {
        // STREX: c, the wrap count, the store; COMMIT stays up for the run.
        if (Atomics.compareExchange(m, l.meta, w, (w + COMMIT) | 0) === w) {
          if (m[l.wraps] === seen) {
            m[l.lock] = 1;
            break;
          }
          // A wrap since the LDREX: withdraw as a commit that stored (a_xf), and fail.
          withdraw(m, l);
        }
      }
      fails++;
      spinWhileTaken(m, l.lock);
    }
    Atomics.add(fence, 0, 1);
    criticalSection(m, fence, l, i);
    // The run's withdrawal at the back-edge: SEQ - COMMIT; a wrap counted before the carry's COMMIT goes. Under
    // tlbexcl-left it leaves its word (the wrap count read before it) for the next LDREX.
    if (keepLeft) leftWraps = m[l.wraps]!;
    const after = withdraw(m, l);
    if (keepLeft) left = after;
  }
  return { ops: i, fails, waits };
}

/** The commit's withdrawal; returns the word its add left (with the carry's COMMIT if it wrapped: no LDREX keeps it). */
function withdraw(m: Int32Array, l: Layout): number {
  const after = (Atomics.add(m, l.meta, SEQ - COMMIT) + SEQ - COMMIT) | 0;
  if ((after & SEQS) === 0) {
    Atomics.add(m, l.wraps, 1);
    Atomics.sub(m, l.meta, COMMIT);
  }
  return after;
}

export const tlbexclSequence: Sequence = tlbexclWith(false);
export const tlbexclLeftSequence: Sequence = tlbexclWith(true);

export function aieSequence(m: Int32Array, fence: Int32Array, l: Layout, ops: number, turn: Turn): SequenceResult {
  let fails = 0;
  let waits = 0;
  let i = 0;
  for (; i < ops; i++) {
    if (((i & 255) === 255 && m[l.done] !== 0) || !awaitTurn(m, l, turn)) break;
    let version = 0;
    for (;;) {
      // LDREX: the chunk lock word until it is not held (inline tries, then the helper's wait), then the value.
      let v0 = Atomics.load(m, l.meta);
      if ((v0 & LOCK_BITS) !== 0) {
        waits++;
        while ((v0 & LOCK_BITS) !== 0) v0 = Atomics.load(m, l.meta);
      }
      const v = m[l.lock]!;
      if (v === 0) {
        // STREX: take the chunk lock at the version read, tried again while it reads held at that version.
        let r = 0;
        let tries = INLINE_LOCK_TRIES - 1;
        do {
          r = Atomics.compareExchange(m, l.meta, v0, v0 | LOCK_HELD);
          tries--;
        } while (r === (v0 | LOCK_HELD) && tries >= 0);
        if (r === v0) {
          m[l.lock] = 1;
          version = v0;
          break;
        }
      }
      fails++;
      spinWhileTaken(m, l.lock);
    }
    Atomics.add(fence, 0, 1);
    criticalSection(m, fence, l, i);
    // The run's withdrawal at the back-edge: the release, the version advanced (a sleeper is never announced here).
    Atomics.exchange(m, l.meta, (version + VERSION_STEP) | 0);
  }
  return { ops: i, fails, waits };
}

export const sequenceOf: Record<SequenceName, Sequence> = {
  cmpxchg: cmpxchgSequence,
  tlbexcl: tlbexclSequence,
  'tlbexcl-left': tlbexclLeftSequence,
  aie: aieSequence,
};

/** The words a run starts from: the lock free, the mark READY, the metadata word quiet / free. */
export function initialise(m: Int32Array, l: Layout): void {
  m.fill(0);
  m[l.mark] = READY_MARK;
}
