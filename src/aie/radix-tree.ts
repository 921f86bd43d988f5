// A lockless radix tree in shared memory (Cota's AIE keeps its per-chunk
// locks in one), mapping an unsigned integer key to an entry: a block of
// words the caller defines. Every worker attaches to the same words.
//
// Layout. Level 0 is a fixed array of slots at `rootWord`. Each deeper level
// is a node allocated from the shared arena: one tag word (NODE_TAG | level,
// for verification) followed by 2^bits slots. A slot holds the word index of
// the child node (or, in the last level, of the entry), 0 when empty. The key
// is cut into the levels' bit fields, most significant first.
//
// Concurrency. A missing child is allocated (zeroed memory, tag written) and
// installed with Atomics.compareExchange on the empty slot. The loser of a
// race uses the winner's child and keeps its own block as a spare for its next
// insert, so nothing is leaked. Publication is the sequentially consistent
// compareExchange, and lookups read slots with Atomics.load, so a reader that
// sees a child's index also sees everything written to it before it was
// installed (its tag, an entry's key): a lookup never sees a half-built node.
// Lookups never lock. Nodes and entries are never freed during a run.

import type { SharedArena } from './shared-arena.js';

export const NODE_TAG = 0x7a0000;

export interface RadixTreeShape {
  /** Word index of the level-0 slot array (2^levelBits[0] words, zeroed). */
  readonly rootWord: number;
  /** Bits of the key each level consumes, level 0 first; they sum to the key width. */
  readonly levelBits: readonly number[];
  /** Words per entry. */
  readonly entryWords: number;
}

/** Fills a fresh (zeroed, unpublished) entry before it is installed. */
export type EntryInit = (entry: number, key: number) => void;

export class RadixTree {
  readonly keyBits: number;
  /** Nodes and entries this attachment installed, and races it lost. */
  nodesCreated = 0;
  entriesCreated = 0;
  racesLost = 0;
  /** True if the last getOrInsert installed a new entry. */
  lastCreated = false;
  private readonly shifts: Int32Array;
  private readonly masks: Int32Array;
  private readonly levels: number;
  /** Blocks allocated for a lost race, kept for the next insert (index per level; 0 = none). */
  private readonly spares: Int32Array;

  constructor(
    readonly words: Int32Array,
    private readonly arena: SharedArena,
    readonly shape: RadixTreeShape,
  ) {
    const bits = shape.levelBits;
    this.levels = bits.length;
    if (this.levels < 1 || bits.some((b) => b < 1 || b > 16)) throw new Error('internal: bad radix tree shape');
    this.keyBits = bits.reduce((a, b) => a + b, 0);
    if (this.keyBits > 31) throw new Error('internal: radix tree keys are at most 31 bits');
    this.shifts = new Int32Array(this.levels);
    this.masks = new Int32Array(this.levels);
    let shift = this.keyBits;
    for (let l = 0; l < this.levels; l++) {
      shift -= bits[l]!;
      this.shifts[l] = shift;
      this.masks[l] = (1 << bits[l]!) - 1;
    }
    this.spares = new Int32Array(this.levels);
  }

  /** Words of a node of `level` (>= 1): the tag and its slots. */
  nodeWords(level: number): number {
    return 1 + (1 << this.shape.levelBits[level]!);
  }

  private checkKey(key: number): void {
    if (key < 0 || key >= 2 ** this.keyBits || !Number.isInteger(key)) {
      throw new Error(`internal: radix tree key ${key} out of range (${this.keyBits} bits)`);
    }
  }

  /** The entry of key, or 0. Never locks, never allocates. */
  lookup(key: number): number {
    const w = this.words;
    let slots = this.shape.rootWord;
    const last = this.levels - 1;
    for (let l = 0; ; l++) {
      const child = Atomics.load(w, slots + ((key >>> this.shifts[l]!) & this.masks[l]!));
      if (child === 0 || l === last) return child;
      slots = child + 1;
    }
  }

  /** The node whose slots are the last level's for key (a leaf: under AIE's shape, one frame's entries), or 0. */
  leafOf(key: number): number {
    let slots = this.shape.rootWord;
    let node = 0;
    for (let l = 0; l < this.levels - 1; l++) {
      node = Atomics.load(this.words, slots + ((key >>> this.shifts[l]!) & this.masks[l]!));
      if (node === 0) return 0;
      slots = node + 1;
    }
    return node;
  }

  /** The entry of key, installing it (and any missing nodes) if absent. Sets lastCreated. */
  getOrInsert(key: number, init: EntryInit): number {
    this.checkKey(key);
    const w = this.words;
    const last = this.levels - 1;
    let slots = this.shape.rootWord;
    this.lastCreated = false;
    for (let l = 0; ; l++) {
      const slot = slots + ((key >>> this.shifts[l]!) & this.masks[l]!);
      let child = Atomics.load(w, slot);
      if (child === 0) {
        const fresh = l === last ? this.freshEntry(key, init) : this.freshNode(l + 1);
        child = Atomics.compareExchange(w, slot, 0, fresh);
        if (child === 0) {
          child = fresh;
          this.spares[l] = 0;
          if (l === last) {
            this.entriesCreated++;
            this.lastCreated = true;
          } else this.nodesCreated++;
        } else {
          // Lost the race: use the winner's child; ours stays unpublished as the spare.
          this.spares[l] = fresh;
          this.racesLost++;
        }
      }
      if (l === last) return child;
      slots = child + 1;
    }
  }

  private freshNode(level: number): number {
    // Spares are indexed by the parent's level (the slot they were meant for).
    const node = this.spares[level - 1] || this.arena.alloc(this.nodeWords(level));
    this.words[node] = NODE_TAG | level;
    return node;
  }

  private freshEntry(key: number, init: EntryInit): number {
    const entry = this.spares[this.levels - 1] || this.arena.alloc(this.shape.entryWords);
    init(entry, key);
    return entry;
  }

  /**
   * Walks the whole tree (for tests and diagnostics): checks every node's tag,
   * calls visit(key, entry) for every entry in key order; returns the counts.
   */
  walk(visit: (key: number, entry: number) => void): { nodes: number; entries: number } {
    const counts = { nodes: 0, entries: 0 };
    const w = this.words;
    const bits = this.shape.levelBits;
    const go = (slots: number, level: number, prefix: number): void => {
      for (let i = 0; i < 1 << bits[level]!; i++) {
        const child = Atomics.load(w, slots + i);
        if (child === 0) continue;
        const key = prefix * 2 ** bits[level]! + i;
        if (level === this.levels - 1) {
          counts.entries++;
          visit(key, child);
          continue;
        }
        const tag = Atomics.load(w, child);
        if (tag !== (NODE_TAG | (level + 1))) {
          throw new Error(`radix tree: node ${child} at level ${level + 1} has tag ${tag.toString(16)}`);
        }
        counts.nodes++;
        go(child + 1, level + 1, key);
      }
    };
    go(this.shape.rootWord, 0, 0);
    return counts;
  }
}
