// Micro benchmarks of the AIE radix tree and entry lock, in one thread:
// lookup hit, lookup miss (full depth: the frame has a leaf, the chunk no
// entry; and shallow: nothing in that 2 MiB region), insert of fresh keys, and
// an uncontended lock/unlock pair.
//
//   node dist/bench/micro/aie-radix-tree.js [--max-time S] [--json FILE]
//
// Insert uses keys 16 chunks apart (one entry per 256 bytes, 16 per 4 KiB
// leaf), so it installs entries and, every 16th key, a leaf node. After 2^18
// keys the tree is replaced by a fresh one (a new 32 MiB shared buffer): that
// cost is included, amortised over the 2^18 inserts.

import { ENTRY_WORDS, EntryWord } from '../../src/aie/aie-entry.js';
import { parseAieOptions } from '../../src/aie/aie-options.js';
import { AieShared } from '../../src/aie/aie-shared.js';
import { mutexLock, mutexUnlock, type LockCounters } from '../../src/emulator/shared/shared-lock.js';
import { runMicroSuite, sink } from './micro-suite.js';

const options = parseAieOptions({ 'aie-arena-mb': '32' });
const fresh = (): AieShared => new AieShared(AieShared.create(options), options);
const init = (s: AieShared) => (entry: number, key: number): void => {
  s.words[entry + EntryWord.KEY] = key;
};

// 4096 entries: 64 frames spread over guest memory, 64 chunks in each (every 4th chunk).
const HIT_KEYS = new Int32Array(4096);
for (let i = 0; i < 4096; i++) HIT_KEYS[i] = ((i >> 6) * 997 + 5) % (1 << 19) * 256 + (i & 63) * 4;
const populated = fresh();
const populatedInit = init(populated);
for (const k of HIT_KEYS) populated.tree.getOrInsert(k, populatedInit);
const LEAF_MISS = HIT_KEYS.map((k) => k + 1); // same leaf, a chunk without an entry
const DEEP_MISS = HIT_KEYS.map((k) => (k + (1 << 17)) % (1 << 27)); // another 2 MiB region (mostly empty)

let insertTree = fresh();
let insertInit = init(insertTree);
let insertKey = 0;

const lockWords = new Int32Array(new SharedArrayBuffer(ENTRY_WORDS * 4));
const lockCounters: LockCounters = { lockAcquisitions: 0, lockContended: 0, lockSlept: 0 };

let i = 0;
runMicroSuite('AIE radix tree and entry lock', (suite, maxTime) => {
  suite
    .add('radix-tree lookup, hit', () => {
      sink.value += populated.tree.lookup(HIT_KEYS[i++ & 4095]!);
    }, { maxTime })
    .add('radix-tree lookup, miss in a populated leaf', () => {
      sink.value += populated.tree.lookup(LEAF_MISS[i++ & 4095]!);
    }, { maxTime })
    .add('radix-tree lookup, miss above the leaves', () => {
      sink.value += populated.tree.lookup(DEEP_MISS[i++ & 4095]!);
    }, { maxTime })
    .add('radix-tree insert, fresh key', () => {
      if (insertKey === 1 << 22) {
        insertTree = fresh();
        insertInit = init(insertTree);
        insertKey = 0;
      }
      sink.value += insertTree.tree.getOrInsert(insertKey, insertInit);
      insertKey += 16;
    }, { maxTime })
    .add('entry lock + unlock, uncontended', () => {
      mutexLock(lockWords, EntryWord.LOCK, lockCounters);
      mutexUnlock(lockWords, EntryWord.LOCK);
    }, { maxTime });
});
