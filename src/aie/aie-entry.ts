// The layout of one AIE entry (one per guest chunk that has seen an atomic
// operation), in words of the shared buffer. Everything but the lock and the
// key word is read and written only under the entry's lock.

export const enum EntryWord {
  /** The lock word (a futex mutex: emulator/shared/shared-lock.ts). */
  LOCK = 0,
  /** The chunk index (the radix-tree key), plus the UNSETTLED flag. */
  KEY = 1,
  /** Reservation set: number of members (tiny-set.ts). */
  SET_COUNT = 2,
  /** Reservation set: first overflow block (0 = none). */
  SET_OVERFLOW = 3,
  /** Reservation set: the first SET_INLINE members. */
  SET_INLINE = 4,
}

/** Members kept inside the entry; more go to overflow blocks from the arena. */
export const SET_INLINE_SLOTS = 4;
export const ENTRY_WORDS = EntryWord.SET_INLINE + SET_INLINE_SLOTS; // 8 words, 32 bytes

/**
 * Set in KEY while a plain store that looked the chunk up before the entry was
 * installed may still be writing it (store-checks.ts: "settling"). Keys use at
 * most 28 bits (2^31 bytes / 16-byte chunks), so bit 30 is free.
 */
export const KEY_UNSETTLED = 1 << 30;
export const KEY_MASK = KEY_UNSETTLED - 1;
