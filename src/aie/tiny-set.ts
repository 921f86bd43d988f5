// Cota's tiny_set: the vCPUs holding a reservation on one chunk. In user mode
// the number of vCPUs (guest threads) is not bounded in advance, so the set
// is not a fixed bitmap: the first SET_INLINE_SLOTS members live inside the
// entry, the rest in overflow blocks of OVERFLOW_SLOTS members allocated from
// the shared arena and chained from the entry. Blocks are kept when the set
// empties (entries are never freed either), so a busy chunk allocates its
// blocks once. There is no cap beyond the arena; mttcg itself runs at most
// MAX_VCPUS (256) vCPUs, and a vCPU is in a set at most once.
//
// Every function here must be called with the entry's lock held; the lock's
// acquire/release orders these plain reads and writes between vCPUs.

import { EntryWord, SET_INLINE_SLOTS } from './aie-entry.js';
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

export function setSize(words: Int32Array, entry: number): number {
  return words[entry + EntryWord.SET_COUNT]!;
}

function indexOf(words: Int32Array, entry: number, id: number): number {
  const n = words[entry + EntryWord.SET_COUNT]!;
  const inline = n < SET_INLINE_SLOTS ? n : SET_INLINE_SLOTS;
  for (let p = 0; p < inline; p++) if (words[entry + EntryWord.SET_INLINE + p] === id) return p;
  for (let p = SET_INLINE_SLOTS; p < n; p++) if (words[memberWord(words, entry, p, null)] === id) return p;
  return -1;
}

export function setHas(words: Int32Array, entry: number, id: number): boolean {
  return indexOf(words, entry, id) >= 0;
}

/** Adds id (no-op if present); returns whether it was added. May allocate an overflow block (ArenaExhausted). */
export function setAdd(words: Int32Array, arena: SharedArena, entry: number, id: number): boolean {
  if (indexOf(words, entry, id) >= 0) return false;
  const n = words[entry + EntryWord.SET_COUNT]!;
  words[memberWord(words, entry, n, arena)] = id;
  words[entry + EntryWord.SET_COUNT] = n + 1;
  return true;
}

/** Removes id if present (the last member takes its place); returns whether it was there. */
export function setRemove(words: Int32Array, entry: number, id: number): boolean {
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
  return n;
}

/** Empties the set but for id, if id is a member (a vCPU's own store beside its reserved bytes); returns how many it removed. */
export function setKeepOnly(words: Int32Array, entry: number, id: number): number {
  const n = words[entry + EntryWord.SET_COUNT]!;
  const was = indexOf(words, entry, id) >= 0;
  if (was) words[entry + EntryWord.SET_INLINE] = id;
  words[entry + EntryWord.SET_COUNT] = was ? 1 : 0;
  return was ? n - 1 : n;
}

/** The members, in set order (for tests and diagnostics). */
export function setMembers(words: Int32Array, entry: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < setSize(words, entry); p++) out.push(words[memberWord(words, entry, p, null)]!);
  return out;
}
