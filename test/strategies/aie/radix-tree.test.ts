// The lockless radix tree in one thread: lookups, inserts, the shape of the
// AIE tree per granule, and arena exhaustion (a clear error naming the option).

import t from 'tap';
import { parseAieOptions } from '../../../src/aie/aie-options.js';
import { AieShared } from '../../../src/aie/aie-shared.js';
import { NODE_TAG } from '../../../src/aie/radix-tree.js';
import { ArenaExhausted } from '../../../src/aie/shared-arena.js';
import { attachSmallTree, createSmallTree, markKey, SMALL_ARENA_MESSAGE } from './small-tree.js';

t.test('lookups and inserts', (t) => {
  const tree = attachSmallTree(createSmallTree([3, 4, 5], 1 << 16));
  const w = tree.words;
  const init = markKey(w);
  t.equal(tree.keyBits, 12);
  t.equal(tree.lookup(0), 0, 'empty tree: no entry');
  t.equal(tree.lookup(4095), 0);

  const e5 = tree.getOrInsert(5, init);
  t.ok(e5 > 0, 'an entry index');
  t.ok(tree.lastCreated, 'created');
  t.equal(w[e5], 6, 'init ran on the entry before publication');
  t.equal(tree.lookup(5), e5);
  t.equal(tree.lookup(4), 0, 'a neighbour in the same leaf is still absent');
  t.equal(tree.lookup(5 + 32), 0, 'same offset, next leaf: absent');

  t.equal(tree.getOrInsert(5, init), e5, 'second insert: the same entry');
  t.notOk(tree.lastCreated, 'not created again');

  const keys = [0, 1, 31, 32, 511, 512, 2048, 4095];
  const entries = new Map(keys.map((k) => [k, tree.getOrInsert(k, init)]));
  entries.set(5, e5);
  t.equal(new Set(entries.values()).size, entries.size, 'distinct keys, distinct entries');
  for (const [k, e] of entries) {
    t.equal(tree.lookup(k), e, `lookup(${k})`);
    t.equal(w[e], k + 1);
  }
  t.equal(tree.entriesCreated, entries.size);

  const seen: number[] = [];
  const counts = tree.walk((k, e) => {
    seen.push(k);
    t.equal(e, entries.get(k));
  });
  t.same(seen, [...entries.keys()].sort((a, b) => a - b), 'walk visits every key once, in order');
  t.equal(counts.entries, entries.size);
  // Level 1 nodes: one per distinct top 3 bits; level 2 nodes: one per distinct top 7 bits.
  const top = new Set([...entries.keys()].map((k) => k >>> 9));
  const mid = new Set([...entries.keys()].map((k) => k >>> 5));
  t.equal(counts.nodes, top.size + mid.size, 'one node per distinct key prefix');
  t.equal(tree.nodesCreated, counts.nodes);
  t.equal(tree.racesLost, 0, 'no race in one thread');
  t.end();
});

t.test('a lost race: the loser uses the winner\'s entry and keeps its own as a spare', (t) => {
  const buffers = createSmallTree([2, 2, 2], 4096);
  const a = attachSmallTree(buffers);
  const b = attachSmallTree(buffers);
  const w = a.words;
  let winner = 0;
  // a's init runs after a allocated its entry and before it installs it: b inserts the same key there.
  const racingInit = (entry: number, key: number): void => {
    w[entry] = key + 1;
    if (winner === 0) winner = b.getOrInsert(key, markKey(w));
  };
  const got = a.getOrInsert(0b011011, racingInit);
  t.ok(winner > 0, 'b installed the key first');
  t.equal(got, winner, 'a returns the winner\'s entry');
  t.notOk(a.lastCreated, 'a did not create it');
  t.equal(a.racesLost, 1);
  t.equal(a.entriesCreated, 0);
  t.equal(b.entriesCreated, 1);
  t.equal(a.lookup(0b011011), winner);
  t.equal(a.walk(() => {}).entries, 1, 'one entry for the key');
  // a's next insert in the same leaf reuses its unpublished spare: no new arena words.
  const used = a.words[0];
  const next = a.getOrInsert(0b011010, markKey(w));
  t.equal(a.words[0], used, 'the spare was used, nothing allocated');
  t.equal(w[next], 0b011010 + 1, 'and initialised again for its new key');
  t.end();
});

t.test('keys out of range are refused', (t) => {
  const tree = attachSmallTree(createSmallTree([2, 2], 1024));
  const init = markKey(tree.words);
  t.throws(() => tree.getOrInsert(16, init), /out of range/);
  t.throws(() => tree.getOrInsert(-1, init), /out of range/);
  t.ok(tree.getOrInsert(15, init) > 0, 'the largest key fits');
  t.end();
});

t.test('a node that is not where its tag says fails the walk', (t) => {
  const tree = attachSmallTree(createSmallTree([2, 2, 2], 4096));
  const e = tree.getOrInsert(0b100111, markKey(tree.words));
  t.ok(e > 0);
  const level1 = tree.words[tree.shape.rootWord + 2]!;
  t.equal(tree.words[level1], NODE_TAG | 1);
  tree.words[level1] = 0; // simulate a half-built node
  t.throws(() => tree.walk(() => {}), /has tag 0/);
  t.end();
});

t.test('arena exhaustion: a clear error naming the option, not a corrupt tree', (t) => {
  const tree = attachSmallTree(createSmallTree([2, 4], 64));
  const init = markKey(tree.words);
  let inserted = 0;
  const err = t.throws(() => {
    for (let k = 0; k < 64; k++) {
      tree.getOrInsert(k, init);
      inserted++;
    }
  }) as Error;
  t.ok(err instanceof ArenaExhausted, 'ArenaExhausted');
  t.equal(err.message, SMALL_ARENA_MESSAGE);
  t.ok(inserted > 0 && inserted < 64, `some keys fitted (${inserted})`);
  for (let k = 0; k < inserted; k++) t.equal(tree.words[tree.lookup(k)], k + 1, `key ${k} still found`);
  t.end();
});

t.test('the AIE tree: physical chunk keys, one leaf per 4 KiB frame', (t) => {
  for (const [granule, leafBits] of [[16, 8], [32, 7], [64, 6]] as const) {
    const o = parseAieOptions({ 'aie-granule': String(granule), 'aie-arena-mb': '1' });
    const s = new AieShared(AieShared.create(o), o);
    t.same(s.tree.shape.levelBits, [10, 9, leafBits], `granule ${granule}`);
    t.equal(s.tree.keyBits, 31 - Math.log2(granule), 'keys cover 2 GiB of guest memory');
    const init = (e: number, k: number): void => {
      s.words[e + 1] = k;
    };
    const top = (2 ** 31 - 1) >>> Math.log2(granule);
    const e = s.tree.getOrInsert(top, init);
    t.equal(s.tree.lookup(top), e, 'the last chunk of the largest guest memory');
    t.equal(s.arena.usedBytes(), s.arena.bytesAllocated, 'one attachment: its bytes are all the bytes used');
  }
  t.end();
});

t.test('the AIE arena runs out with a message naming --aie-arena-mb', (t) => {
  const o = parseAieOptions({ 'aie-arena-mb': '1' });
  const s = new AieShared(AieShared.create(o), o);
  const init = (e: number, k: number): void => {
    s.words[e + 1] = k;
  };
  // One chunk per 4 KiB frame: a leaf node (1 KiB) and an entry each, so 1 MiB lasts under 1024 frames.
  const err = t.throws(() => {
    for (let frame = 0; frame < 4096; frame++) s.tree.getOrInsert(frame << 8, init);
  }) as Error;
  t.ok(err instanceof ArenaExhausted);
  t.match(err.message, /AIE arena \(1 MiB.*exhausted.*--aie-arena-mb/);
  t.end();
});
