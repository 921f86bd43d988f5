// A radix tree of a chosen shape in its own SharedArrayBuffer, for the tree's
// tests: header word 0 is the arena's bump pointer, then the root slots, then
// the arena. Entries are two words; entry word 0 holds key + 1, written by the
// init function before the entry is published (so a half-built entry would
// show as 0 or a wrong key).

import { RadixTree } from '../../../src/aie/radix-tree.js';
import { SharedArena } from '../../../src/aie/shared-arena.js';

const HEADER_WORDS = 16;
export const SMALL_ENTRY_WORDS = 2;
export const SMALL_ARENA_MESSAGE = 'test arena exhausted; run with a larger --test-arena';

export interface SmallTreeBuffers {
  readonly sab: SharedArrayBuffer;
  readonly levelBits: readonly number[];
  readonly arenaWords: number;
}

export function createSmallTree(levelBits: readonly number[], arenaWords: number): SmallTreeBuffers {
  const rootWords = 1 << levelBits[0]!;
  const sab = new SharedArrayBuffer((HEADER_WORDS + rootWords + arenaWords) * 4);
  SharedArena.init(new Int32Array(sab), 0, HEADER_WORDS + rootWords);
  return { sab, levelBits: [...levelBits], arenaWords };
}

export function attachSmallTree(b: SmallTreeBuffers): RadixTree {
  const words = new Int32Array(b.sab);
  const start = HEADER_WORDS + (1 << b.levelBits[0]!);
  const arena = new SharedArena(words, 0, start, start + b.arenaWords, SMALL_ARENA_MESSAGE);
  return new RadixTree(words, arena, { rootWord: HEADER_WORDS, levelBits: b.levelBits, entryWords: SMALL_ENTRY_WORDS });
}

/** The init function: marks the entry with key + 1. */
export function markKey(words: Int32Array): (entry: number, key: number) => void {
  return (entry, key) => {
    words[entry] = key + 1;
  };
}
