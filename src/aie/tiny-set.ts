// Cota's tiny_set: the vCPUs holding a reservation on one chunk. In user mode
// the number of vCPUs (guest threads) is not bounded in advance, so the set
// is not a fixed bitmap: vCPUs 0..MASK_MEMBERS-1 are one bit each in the
// entry's lock word (entry-lock.ts), the others a list: the first SET_INLINE_SLOTS inside the
// entry, the rest in overflow blocks of OVERFLOW_SLOTS members allocated from
// the shared arena and chained from the entry. Blocks are kept when the set
// empties (entries are never freed either), so a busy chunk allocates its
// blocks once. There is no cap beyond the arena; mttcg itself runs at most
// MAX_VCPUS (256) vCPUs, and a vCPU is in a set at most once.
//
// Every function here must be called with the entry's lock held. The list is
// plain words, ordered between vCPUs by the lock's acquire/release. The
// members' bits are changed with Atomics only: translated code's LDREX joins
// with Atomics.or without the lock (inline-exclusives.ts), so a removal is an
// atomic read-modify-write that returns the members it removed (none of those
// joins is lost, and the frame's count falls by exactly the removed ones), and
// the lock bits are left as they are (docs/strategy-aie.md, "LDREX joins
// without the entry lock").

import { EntryWord, MASK_MEMBERS, SET_INLINE_SLOTS } from './aie-entry.js';
import { LOCK_BITS, MEMBER_SHIFT } from './entry-lock.js';
import type { SharedArena } from './shared-arena.js';

/** Overflow block: word 0 links the next block, then OVERFLOW_SLOTS members. */
export const OVERFLOW_SLOTS = 7;
const OVERFLOW_WORDS = 1 + OVERFLOW_SLOTS;

/** Word index of member position p of the set in `entry` (allocating blocks up to it if `arena`). */
function memberWord(words: Int32Array, entry: number, p: number, arena: SharedArena | null): number {
  if (p < SET_INLINE_SLOTS) return entry + EntryWord.SET_INLINE + p;
  let link = entry + EntryWord.SET_OVERFLOW;
  let q = p - SET_INLINE_SLOTS;
  for (;;) {
    let block = words[link]!;
    if (block === 0) {
      if (!arena) throw new Error('internal: tiny set position beyond its blocks');
      block = arena.alloc(OVERFLOW_WORDS);
      words[link] = block;
    }
    if (q < OVERFLOW_SLOTS) return block + 1 + q;
    q -= OVERFLOW_SLOTS;
    link = block;
  }
}

/** The number of set bits of a 32-bit word. */
export function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Id's bit in the lock word (0 for a listed member). */
export function memberBit(id: number): number {
  return id < MASK_MEMBERS ? 1 << (MEMBER_SHIFT + id) : 0;
}

/** The number of members among a lock word's bits. */
function bitMembers(word: number): number {
  return popcount32(word & ~LOCK_BITS);
}

export function setSize(words: Int32Array, entry: number): number {
  return bitMembers(Atomics.load(words, entry + EntryWord.LOCK)) + words[entry + EntryWord.SET_COUNT]!;
}

/** Position of listed member id, or -1. */
function indexOf(words: Int32Array, entry: number, id: number): number {
  const n = words[entry + EntryWord.SET_COUNT]!;
  const inline = n < SET_INLINE_SLOTS ? n : SET_INLINE_SLOTS;
  for (let p = 0; p < inline; p++) if (words[entry + EntryWord.SET_INLINE + p] === id) return p;
  for (let p = SET_INLINE_SLOTS; p < n; p++) if (words[memberWord(words, entry, p, null)] === id) return p;
  return -1;
}

export function setHas(words: Int32Array, entry: number, id: number): boolean {
  const bit = memberBit(id);
  if (bit !== 0) return (Atomics.load(words, entry + EntryWord.LOCK) & bit) !== 0;
  return indexOf(words, entry, id) >= 0;
}

/** Adds id (no-op if present); returns whether it was added. May allocate an overflow block (ArenaExhausted). */
export function setAdd(words: Int32Array, arena: SharedArena, entry: number, id: number): boolean {
  const bit = memberBit(id);
  if (bit !== 0) return (Atomics.or(words, entry + EntryWord.LOCK, bit) & bit) === 0;
  if (indexOf(words, entry, id) >= 0) return false;
  const n = words[entry + EntryWord.SET_COUNT]!;
  words[memberWord(words, entry, n, arena)] = id;
  words[entry + EntryWord.SET_COUNT] = n + 1;
  return true;
}

/** Removes id if present (a listed one's place goes to the last listed member); returns whether it was there. */
export function setRemove(words: Int32Array, entry: number, id: number): boolean {
  const bit = memberBit(id);
  if (bit !== 0) return (Atomics.and(words, entry + EntryWord.LOCK, ~bit) & bit) !== 0;
  const p = indexOf(words, entry, id);
  if (p < 0) return false;
  const n = words[entry + EntryWord.SET_COUNT]! - 1;
  if (p !== n) words[memberWord(words, entry, p, null)] = words[memberWord(words, entry, n, null)]!;
  words[entry + EntryWord.SET_COUNT] = n;
  return true;
}

/** Empties the set (a store to the chunk: every reservation on it is lost); returns how many members it had. */
export function setClear(words: Int32Array, entry: number): number {
  const n = words[entry + EntryWord.SET_COUNT]!;
  words[entry + EntryWord.SET_COUNT] = 0;
  // Atomics.and keeps the lock's bits.
  return bitMembers(Atomics.and(words, entry + EntryWord.LOCK, LOCK_BITS)) + n;
}

/** Empties the set but for id, if id is a member (a vCPU's own store beside its reserved bytes); returns how many it removed. */
export function setKeepOnly(words: Int32Array, entry: number, id: number): number {
  const bit = memberBit(id);
  const n = words[entry + EntryWord.SET_COUNT]!;
  const listed = bit === 0 && indexOf(words, entry, id) >= 0;
  if (listed) words[entry + EntryWord.SET_INLINE] = id;
  words[entry + EntryWord.SET_COUNT] = listed ? 1 : 0;
  // Atomics.and keeps the lock's bits and id's bit (0 for a listed id): the other members go, id stays if it was there.
  const old = Atomics.and(words, entry + EntryWord.LOCK, LOCK_BITS | bit);
  return bitMembers(old & ~bit) + (listed ? n - 1 : n);
}

/** The members: those with a bit in id order, then the listed ones in set order (for tests and diagnostics). */
export function setMembers(words: Int32Array, entry: number): number[] {
  const out: number[] = [];
  const word = Atomics.load(words, entry + EntryWord.LOCK);
  for (let id = 0; id < MASK_MEMBERS; id++) if ((word & memberBit(id)) !== 0) out.push(id);
  const n = words[entry + EntryWord.SET_COUNT]!;
  for (let p = 0; p < n; p++) out.push(words[memberWord(words, entry, p, null)]!);
  return out;
}
