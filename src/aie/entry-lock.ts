// The lock word of an AIE entry, which also holds the first members of its
// reservation set (session 10). Bit 0: held; bit 1: held with a sleeper
// (possibly) announced; bits 2..31: vCPUs 0..MASK_MEMBERS-1, one bit each
// (tiny-set.ts), or under the version monitor (session 12) the chunk's
// version, which only a lock holder that stored advances, in its release. Drepper's three-state futex mutex ("Futexes Are Tricky") on
// the two low bits, as emulator/shared/shared-lock.ts has it on a whole word:
// spin a little, then sleep in Atomics.wait; the unlocker wakes one sleeper
// only when someone announced waiting. Every change is an atomic
// read-modify-write of the whole word that leaves the other bits alone:
// translated code's LDREX joins the set with Atomics.or without the lock
// (inline-exclusives.ts), so a lock operation must not lose a join, and a
// join must not take or drop the lock.
//
// Holders never block while holding an entry lock (no TLB shootdown, no
// exclusive section, no guest fault: offsets are computed first), so a vCPU
// sleeping here always wakes, and a shootdown initiator never waits on it for long.

import type { LockCounters } from '../emulator/shared/shared-lock.js';

export const LOCK_HELD = 1;
export const LOCK_SLEEPER = 2;
/** The lock's two bits; the rest of the word is set members (or the version). */
export const LOCK_BITS = LOCK_HELD | LOCK_SLEEPER;
/** Set members' bits start here (vCPU i is bit MEMBER_SHIFT + i). */
export const MEMBER_SHIFT = 2;

const SPIN_LIMIT = 64;

/** Takes the lock at words[at], counting into c. */
export function lockEntry(words: Int32Array, at: number, c: LockCounters): void {
  c.lockAcquisitions++;
  // A test-and-set: two takers at once, only one sees the bit clear. Sequentially consistent, so the critical
  // section cannot move above it; the members' bits are left as they are.
  let v = Atomics.or(words, at, LOCK_HELD);
  if ((v & LOCK_HELD) === 0) return;
  c.lockContended++;
  for (let i = 0; i < SPIN_LIMIT; i++) {
    // Spinning on a plain Atomics.load keeps the line shared until the holder lets go.
    if (((v = Atomics.load(words, at)) & LOCK_HELD) === 0) {
      v = Atomics.or(words, at, LOCK_HELD);
      if ((v & LOCK_HELD) === 0) return;
    }
  }
  // Announce a sleeper and sleep while the word is what the announcement left; the `or` that finds the lock free
  // took it (leaving the sleeper bit: a wake-up may be spurious, never lost). A join changes the word too: the wait
  // then returns at once and the loop announces again.
  c.lockSlept++;
  v = Atomics.or(words, at, LOCK_BITS);
  while ((v & LOCK_HELD) !== 0) {
    Atomics.wait(words, at, v | LOCK_BITS);
    v = Atomics.or(words, at, LOCK_BITS);
  }
}

/** Wakes one sleeper if the word a release replaced had one announced. */
function wakeIfAnnounced(words: Int32Array, at: number, old: number): void {
  if ((old & LOCK_SLEEPER) !== 0) Atomics.notify(words, at, 1);
}

/** Releases the lock, the set unchanged. */
export function unlockEntry(words: Int32Array, at: number): void {
  // The read-modify-write publishes every write of the critical section before the release.
  wakeIfAnnounced(words, at, Atomics.and(words, at, ~LOCK_BITS));
}

/** Under the version monitor, one store's step of the version (bits 2..31 of the lock word). */
export const VERSION_STEP = 1 << MEMBER_SHIFT;

/**
 * Version monitor: releases the lock after a store to the chunk, advancing the version (every reservation on the
 * chunk, a LDREX's reading of the old version, then fails its STREX). One Atomics.exchange: while the lock is held
 * only holders change the version and others only set the lock's bits, so the new word is the version read now
 * plus one step; the exchange returns a sleeper's announcement to wake. Returns the new word.
 */
export function unlockEntryAdvancing(words: Int32Array, at: number): number {
  const next = ((Atomics.load(words, at) & ~LOCK_BITS) + VERSION_STEP) | 0;
  wakeIfAnnounced(words, at, Atomics.exchange(words, at, next));
  return next;
}

/** Takes the lock only if it is free (for tests and diagnostics). */
export function tryLockEntry(words: Int32Array, at: number): boolean {
  return (Atomics.or(words, at, LOCK_HELD) & LOCK_HELD) === 0;
}
