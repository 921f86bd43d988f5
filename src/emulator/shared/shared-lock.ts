// The one mutex of the project: a lock in one Int32 word of shared memory,
// Drepper's three-state futex mutex ("Futexes Are Tricky"): spin a little,
// then sleep in Atomics.wait; the unlocker wakes one sleeper only when someone
// announced waiting. 0 = unlocked, 1 = locked, 2 = locked with (possible) waiters.
//
// The free functions serve tables of many lock words (an AIE entry per guest
// chunk, tlbexcl's lock table) without an object per lock; SharedLock wraps
// one word for the kernel's locks.

/** Per-vCPU counters of one lock user (the strategies report them in --stats). */
export interface LockCounters {
  lockAcquisitions: number;
  /** Acquisitions that found the lock held (spun, and maybe slept). */
  lockContended: number;
  /** Acquisitions that slept in Atomics.wait at least once. */
  lockSlept: number;
}

const SPIN_LIMIT = 64;

/** Takes the lock at words[at], counting into c when given. */
export function mutexLock(words: Int32Array, at: number, c: LockCounters | null): void {
  if (c) c.lockAcquisitions++;
  // Two vCPUs taking the lock at once: only one compare-exchange sees 0. It is
  // sequentially consistent, so the critical section cannot move above it.
  let v = Atomics.compareExchange(words, at, 0, 1);
  if (v === 0) return;
  if (c) c.lockContended++;
  for (let i = 0; i < SPIN_LIMIT; i++) {
    // Spinning on a plain Atomics.load keeps the line shared until the holder lets go.
    if (v === 0 || (v = Atomics.load(words, at)) === 0) {
      // Two spinners seeing the release: only one compare-exchange wins.
      v = Atomics.compareExchange(words, at, 0, 1);
      if (v === 0) return;
    }
  }
  // Announce a waiter (2) and sleep until the word changes; the exchange that
  // finally returns 0 took the lock (leaving 2: a wake-up may be spurious, never lost).
  if (c) c.lockSlept++;
  // A release between our last look and the announcement: the exchange returns 0 and we hold the lock.
  if (v !== 2) v = Atomics.exchange(words, at, 2);
  while (v !== 0) {
    // Sleeps only while the word is still 2, so a release (and its notify) before the wait is not missed.
    Atomics.wait(words, at, 2);
    // Another waker's thread may have taken the lock first: the exchange tells who won.
    v = Atomics.exchange(words, at, 2);
  }
}

/** Takes the lock only if it is free. */
export function mutexTryLock(words: Int32Array, at: number): boolean {
  // Two takers at once: only one compare-exchange sees 0.
  return Atomics.compareExchange(words, at, 0, 1) === 0;
}

export function mutexUnlock(words: Int32Array, at: number): void {
  // The exchange publishes every write of the critical section before the
  // release, and tells whether a sleeper announced itself (2) and needs a wake-up.
  if (Atomics.exchange(words, at, 0) === 2) Atomics.notify(words, at, 1);
}

/** One lock word as an object. */
export class SharedLock {
  constructor(
    private readonly words: Int32Array,
    private readonly index: number,
  ) {}

  lock(): void {
    mutexLock(this.words, this.index, null);
  }

  tryLock(): boolean {
    return mutexTryLock(this.words, this.index);
  }

  unlock(): void {
    mutexUnlock(this.words, this.index);
  }

  /** Runs fn with the lock held. */
  withLock<T>(fn: () => T): T {
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }
}
