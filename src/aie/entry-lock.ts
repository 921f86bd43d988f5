// The lock word of an AIE entry: Drepper's three-state futex mutex ("Futexes
// Are Tricky") on one shared Int32 word, as free functions because there is
// one per guest chunk (no object per lock). Spin a little, then sleep in
// Atomics.wait; the unlocker wakes one sleeper only when someone announced
// waiting. 0 = unlocked, 1 = locked, 2 = locked with (possible) waiters.
//
// Holders never block while holding an entry lock (no TLB shootdown, no
// exclusive section, no guest fault: offsets are computed first), so a vCPU
// sleeping here always wakes, and a shootdown initiator never waits on it for long.

export interface LockCounters {
  lockAcquisitions: number;
  /** Acquisitions that found the lock held (spun, and maybe slept). */
  lockContended: number;
  /** Acquisitions that slept in Atomics.wait at least once. */
  lockSlept: number;
}

const SPIN_LIMIT = 64;

export function lockEntry(words: Int32Array, at: number, c: LockCounters): void {
  c.lockAcquisitions++;
  let v = Atomics.compareExchange(words, at, 0, 1);
  if (v === 0) return;
  c.lockContended++;
  for (let i = 0; i < SPIN_LIMIT; i++) {
    if (v === 0 || (v = Atomics.load(words, at)) === 0) {
      v = Atomics.compareExchange(words, at, 0, 1);
      if (v === 0) return;
    }
  }
  // Announce a waiter (2) and sleep until the word changes; the exchange that
  // finally returns 0 took the lock (leaving 2: a wake-up may be spurious, never lost).
  c.lockSlept++;
  if (v !== 2) v = Atomics.exchange(words, at, 2);
  while (v !== 0) {
    Atomics.wait(words, at, 2);
    v = Atomics.exchange(words, at, 2);
  }
}

export function unlockEntry(words: Int32Array, at: number): void {
  // The exchange publishes every write of the critical section before the release.
  if (Atomics.exchange(words, at, 0) === 2) Atomics.notify(words, at, 1);
}

/** Takes the lock only if it is free (for tests and diagnostics). */
export function tryLockEntry(words: Int32Array, at: number): boolean {
  return Atomics.compareExchange(words, at, 0, 1) === 0;
}
