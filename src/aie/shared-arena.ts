// A bump allocator over a region of an Int32Array in a SharedArrayBuffer,
// shared by every worker: one Atomics.add on the bump word hands out a block
// of words. Nothing is ever freed during a run (the radix tree relies on it:
// a node or entry, once published, stays valid for every concurrent reader).
// The memory starts zeroed (a fresh SharedArrayBuffer), so a new block is
// already "empty" and needs no initialisation before it is published.

import { ResourceExhausted } from '../emulator/resource-exhausted.js';

export class ArenaExhausted extends ResourceExhausted {
  constructor(message: string) {
    super(message);
    this.name = 'ArenaExhausted';
  }
}

export class SharedArena {
  /** Bytes this attachment allocated (per worker; the sum over workers is the arena's use). */
  bytesAllocated = 0;

  /**
   * @param words    the shared words
   * @param bumpWord index of the bump pointer (the next free word index)
   * @param start    first word of the arena region (never 0: 0 means "no block")
   * @param end      one past its last word
   * @param exhaustedMessage what to tell the user when the arena runs out
   */
  constructor(
    readonly words: Int32Array,
    private readonly bumpWord: number,
    readonly start: number,
    readonly end: number,
    private readonly exhaustedMessage: string,
  ) {
    if (start <= 0 || end < start || end > words.length) throw new Error('internal: bad arena bounds');
  }

  /** Sets up a fresh arena (once, before any worker attaches). */
  static init(words: Int32Array, bumpWord: number, start: number): void {
    Atomics.store(words, bumpWord, start);
  }

  /** Allocates n zeroed words; returns the index of the first. */
  alloc(n: number): number {
    const at = Atomics.add(this.words, this.bumpWord, n);
    if (at + n > this.end) {
      // Leave the bump pointer past the end: every later allocation fails too.
      throw new ArenaExhausted(this.exhaustedMessage);
    }
    this.bytesAllocated += n * 4;
    return at;
  }

  /** Bytes handed out so far, by every worker. */
  usedBytes(): number {
    return (Math.min(Atomics.load(this.words, this.bumpWord), this.end) - this.start) * 4;
  }
}
