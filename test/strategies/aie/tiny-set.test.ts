// The reservation set of an AIE entry (Cota's tiny_set): vCPUs below
// MASK_MEMBERS as bits of the entry's mask, the others listed inside the
// entry, then in overflow blocks from the arena; no cap but the arena.

import t from 'tap';
import { ENTRY_WORDS, MASK_MEMBERS, SET_INLINE_SLOTS } from '../../../src/aie/aie-entry.js';
import { LOCK_BITS } from '../../../src/aie/entry-lock.js';
import { ArenaExhausted, SharedArena } from '../../../src/aie/shared-arena.js';
import {
  OVERFLOW_SLOTS, popcount32, setAdd, setClear, setHas, setKeepOnly, setMembers, setRemove, setSize,
} from '../../../src/aie/tiny-set.js';

function freshEntry(arenaWords: number): { words: Int32Array; arena: SharedArena; entry: number } {
  const words = new Int32Array(new SharedArrayBuffer((16 + arenaWords) * 4));
  SharedArena.init(words, 0, 16);
  const arena = new SharedArena(words, 0, 16, 16 + arenaWords, 'test arena full (--test-arena)');
  return { words, arena, entry: arena.alloc(ENTRY_WORDS) };
}

t.test('add, has, remove, clear within the entry', (t) => {
  const { words, arena, entry } = freshEntry(64);
  t.equal(setSize(words, entry), 0);
  t.notOk(setHas(words, entry, 0), 'vCPU 0 is not in an empty set');
  setAdd(words, arena, entry, 0);
  setAdd(words, arena, entry, 3);
  setAdd(words, arena, entry, 3);
  t.same(setMembers(words, entry), [0, 3], 'adding twice keeps one membership');
  t.ok(setHas(words, entry, 0));
  t.ok(setHas(words, entry, 3));
  t.notOk(setHas(words, entry, 1));
  t.ok(setRemove(words, entry, 0));
  t.notOk(setRemove(words, entry, 0), 'removing a non-member is a no-op');
  t.same(setMembers(words, entry), [3]);
  setAdd(words, arena, entry, 7);
  setClear(words, entry);
  t.equal(setSize(words, entry), 0);
  t.notOk(setHas(words, entry, 3), 'cleared: nobody holds a reservation');
  t.equal(arena.bytesAllocated, ENTRY_WORDS * 4, 'no overflow block for a small set');
  t.end();
});

t.test('more members than the entry holds: overflow blocks, no cap', (t) => {
  const { words, arena, entry } = freshEntry(4096);
  const n = 256; // MAX_VCPUS: every vCPU mttcg can run
  for (let id = 0; id < n; id++) setAdd(words, arena, entry, id);
  t.equal(setSize(words, entry), n);
  for (let id = 0; id < n; id++) t.ok(setHas(words, entry, id), `member ${id}`) || t.end();
  const blocks = Math.ceil((n - MASK_MEMBERS - SET_INLINE_SLOTS) / OVERFLOW_SLOTS);
  t.equal(arena.bytesAllocated, (ENTRY_WORDS + blocks * (1 + OVERFLOW_SLOTS)) * 4, `${blocks} overflow blocks`);

  // Remove from the mask, from the listed ones inside the entry, from an overflow block and the last member.
  const gone = [1, 100, 255, 0, 31, 32, 33, 36];
  for (const id of gone) t.ok(setRemove(words, entry, id), `remove ${id}`);
  const left = setMembers(words, entry).sort((a, b) => a - b);
  const expected = [...Array(n).keys()].filter((id) => !gone.includes(id));
  t.same(left, expected, 'the others stay, each once');

  // A cleared set reuses its blocks.
  const before = arena.bytesAllocated;
  setClear(words, entry);
  for (let id = 0; id < n; id++) setAdd(words, arena, entry, id < MASK_MEMBERS ? id : 1000 + id);
  t.equal(arena.bytesAllocated, before, 'blocks reused after clear');
  t.ok(setHas(words, entry, 1255));
  t.notOk(setHas(words, entry, 255));
  t.end();
});

t.test('an overflow block that does not fit: ArenaExhausted, the set intact', (t) => {
  const { words, arena, entry } = freshEntry(ENTRY_WORDS + 1 + OVERFLOW_SLOTS);
  const listed = SET_INLINE_SLOTS + OVERFLOW_SLOTS;
  for (let id = MASK_MEMBERS; id < MASK_MEMBERS + listed; id++) setAdd(words, arena, entry, id);
  t.ok(setAdd(words, arena, entry, 5), 'a mask member needs no block');
  t.throws(() => setAdd(words, arena, entry, 99), ArenaExhausted);
  t.equal(setSize(words, entry), listed + 1, 'the failed add changed nothing');
  t.notOk(setHas(words, entry, 99));
  t.end();
});

t.test('the members\' bits: the sign bit, removals return what they removed, keep-only', (t) => {
  const { words, arena, entry } = freshEntry(64);
  for (const id of [0, 7, 29, 40]) setAdd(words, arena, entry, id);
  t.same(setMembers(words, entry), [0, 7, 29, 40], 'vCPU 29 (the sign bit) is a member like the others');
  t.equal(setSize(words, entry), 4);
  t.equal(setKeepOnly(words, entry, 7), 3, 'keep-only of a mask member removes the 3 others');
  t.same(setMembers(words, entry), [7]);
  for (const id of [2, 29, 40, 41]) setAdd(words, arena, entry, id);
  t.equal(setKeepOnly(words, entry, 41), 4, 'keep-only of a listed member removes the mask and the other listed');
  t.same(setMembers(words, entry), [41]);
  t.equal(setKeepOnly(words, entry, 3), 1, 'keep-only of a non-member removes everyone');
  t.equal(setSize(words, entry), 0);
  t.equal(setClear(words, entry), 0, 'clearing an empty set removes none');
  for (const id of [3, 29, 33]) setAdd(words, arena, entry, id);
  t.equal(setClear(words, entry), 3);
  t.end();
});

t.test('popcount32', (t) => {
  for (const [v, n] of [[0, 0], [1, 1], [-1, 32], [0x80000000 | 0, 1], [0x55555555, 16], [0x0f0f0f0f, 16], [0x7fffffff, 31]] as const) {
    t.equal(popcount32(v), n, `popcount32(${v >>> 0})`);
  }
  t.end();
});

t.test('the set leaves the lock bits alone', (t) => {
  const { words, arena, entry } = freshEntry(64);
  Atomics.store(words, entry, LOCK_BITS);
  for (const id of [0, 5, 40]) setAdd(words, arena, entry, id);
  t.ok(setRemove(words, entry, 5));
  t.equal(setKeepOnly(words, entry, 0), 1);
  t.equal(setClear(words, entry), 1);
  t.equal(Atomics.load(words, entry), LOCK_BITS, 'held with a sleeper, no member');
  t.end();
});
