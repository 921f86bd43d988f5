// Where the cache-lines microbench (cache-lines.ts) keeps its words: one
// SharedArrayBuffer of Int32 words, 16 to a 64-byte host cache line, laid
// out as bench/guest/spinlock.c's shared struct is in guest memory (the lock
// word, then the count and the 64-bit sum on the same line) plus the words a
// strategy keeps beside guest memory: the lock's metadata word (tlbexcl's
// version word for the lock's line, aie's chunk lock word), either on a line
// of its own, as in mttcg (a separate SharedArrayBuffer), or on the lock's
// own line (what moving it there would give); the frame's mark and the
// version word's wrap count (read-only on the fast path, each on its own
// line); and the bench's own start gate and first-finish flag.

/** Int32 words per 64-byte line. */
export const LINE_WORDS = 16;

/** Where the strategy's metadata word sits. */
export type MetaPlace = 'own' | 'same';

export const META_PLACES: readonly MetaPlace[] = ['own', 'same'];

export interface Layout {
  /** The guest's lock word; the count, the sum's low and high words follow it on its line. */
  readonly lock: number;
  readonly count: number;
  readonly sumLo: number;
  readonly sumHi: number;
  /** tlbexcl's version word / aie's chunk lock word. */
  readonly meta: number;
  /** tlbexcl's frame mark (MARKED | READY, never written while the bench runs). */
  readonly mark: number;
  /** tlbexcl's wrap count of the version word (read by every LDREX and STREX; written once per 2^21 acquisitions). */
  readonly wraps: number;
  /** Start gate: each thread adds one and spins until all have. */
  readonly gate: number;
  /** Set by the first thread to finish its acquisitions: the others stop at their next check. */
  readonly done: number;
  /** Words in the buffer. */
  readonly words: number;
}

/** The layout with the metadata word on its own line or on the lock's. Every other word has a line of its own. */
export function layoutFor(place: MetaPlace): Layout {
  const line = (n: number): number => n * LINE_WORDS;
  const lock = line(1);
  return {
    lock, count: lock + 1, sumLo: lock + 2, sumHi: lock + 3,
    // 'same': byte 32 of the lock's line, as far from the guest's words as the line allows.
    meta: place === 'same' ? lock + 8 : line(8),
    mark: line(16),
    wraps: line(24),
    gate: line(32),
    done: line(40),
    words: line(48),
  };
}
