// The layout of one AIE entry (one per guest chunk that has seen an atomic
// operation), in words of the shared buffer. The lock word (with the set's
// first members) and the key are shared words (Atomics); the rest of the set
// is read and written only under the entry's lock.

export const enum EntryWord {
  /**
   * The lock (bits 0-1: a futex mutex, entry-lock.ts) and the reservation set's members below MASK_MEMBERS (bit
   * MEMBER_SHIFT + i = vCPU i). A vCPU joins with Atomics.or, without the lock; members are removed only under
   * the lock, by a read-modify-write of the word (a STREX's release and emptying are one exchange).
   */
  LOCK = 0,
  /** The chunk index (the radix-tree key), plus the UNSETTLED flag. */
  KEY = 1,
  /** Reservation set: number of listed members, the vCPUs from MASK_MEMBERS on (tiny-set.ts). */
  SET_COUNT = 2,
  /** Reservation set: first overflow block (0 = none). */
  SET_OVERFLOW = 3,
  /** Reservation set: the first SET_INLINE_SLOTS listed members. */
  SET_INLINE = 4,
}

/** vCPUs 0..MASK_MEMBERS-1 are members by their bit in the lock word (entry-lock.ts); the others are listed. */
export const MASK_MEMBERS = 30;
/** Listed members kept inside the entry; more go to overflow blocks from the arena. */
export const SET_INLINE_SLOTS = 4;
export const ENTRY_WORDS = EntryWord.SET_INLINE + SET_INLINE_SLOTS; // 8 words, 32 bytes

/**
 * Set in KEY while a plain store that looked the chunk up before the entry was
 * installed may still be writing it (store-checks.ts: "settling"). Keys use at
 * most 28 bits (2^31 bytes / 16-byte chunks), so bit 30 is free.
 */
export const KEY_UNSETTLED = 1 << 30;
export const KEY_MASK = KEY_UNSETTLED - 1;
