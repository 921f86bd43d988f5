// A mutex in one word of shared memory: spin briefly, then sleep in
// Atomics.wait (the futex-style three-state lock of Drepper's "Futexes Are Tricky").
//   0 = unlocked, 1 = locked, 2 = locked with waiters.

const SPIN_LIMIT = 100;

export class SharedLock {
  constructor(
    private readonly words: Int32Array,
    private readonly index: number,
  ) {}

  lock(): void {
    // Fast path: uncontended acquire. compareExchange is sequentially
    // consistent, so the critical section cannot move above it.
    let c = Atomics.compareExchange(this.words, this.index, 0, 1);
    if (c === 0) return;
    for (let i = 0; i < SPIN_LIMIT && c !== 0; i++) {
      c = Atomics.compareExchange(this.words, this.index, 0, 1);
      if (c === 0) return;
    }
    // Slow path: announce a waiter (state 2) and sleep until woken.
    if (c !== 2) c = Atomics.exchange(this.words, this.index, 2);
    while (c !== 0) {
      Atomics.wait(this.words, this.index, 2);
      c = Atomics.exchange(this.words, this.index, 2);
    }
  }

  tryLock(): boolean {
    return Atomics.compareExchange(this.words, this.index, 0, 1) === 0;
  }

  unlock(): void {
    // exchange publishes the critical section's writes before the release.
    if (Atomics.exchange(this.words, this.index, 0) === 2) Atomics.notify(this.words, this.index, 1);
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
