// The reservation set of an AIE entry (Cota's tiny_set): members inside the
// entry, then overflow blocks from the arena; no cap but the arena.

import t from 'tap';
import { ENTRY_WORDS, SET_INLINE_SLOTS } from '../../../src/aie/aie-entry.js';
import { ArenaExhausted, SharedArena } from '../../../src/aie/shared-arena.js';
import {
  OVERFLOW_SLOTS, setAdd, setClear, setHas, setMembers, setRemove, setSize,
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
  const blocks = Math.ceil((n - SET_INLINE_SLOTS) / OVERFLOW_SLOTS);
  t.equal(arena.bytesAllocated, (ENTRY_WORDS + blocks * (1 + OVERFLOW_SLOTS)) * 4, `${blocks} overflow blocks`);

  // Remove from the inline part, from an overflow block and the last member.
  for (const id of [1, 100, 255, 0, 4, 5]) t.ok(setRemove(words, entry, id), `remove ${id}`);
  const left = setMembers(words, entry).sort((a, b) => a - b);
  const expected = [...Array(n).keys()].filter((id) => ![1, 100, 255, 0, 4, 5].includes(id));
  t.same(left, expected, 'the others stay, each once');

  // A cleared set reuses its blocks.
  const before = arena.bytesAllocated;
  setClear(words, entry);
  for (let id = 0; id < n; id++) setAdd(words, arena, entry, 1000 + id);
  t.equal(arena.bytesAllocated, before, 'blocks reused after clear');
  t.ok(setHas(words, entry, 1255));
  t.notOk(setHas(words, entry, 255));
  t.end();
});

t.test('an overflow block that does not fit: ArenaExhausted, the set intact', (t) => {
  const { words, arena, entry } = freshEntry(ENTRY_WORDS + 1 + OVERFLOW_SLOTS);
  for (let id = 0; id < SET_INLINE_SLOTS + OVERFLOW_SLOTS; id++) setAdd(words, arena, entry, id);
  t.throws(() => setAdd(words, arena, entry, 99), ArenaExhausted);
  t.equal(setSize(words, entry), SET_INLINE_SLOTS + OVERFLOW_SLOTS, 'the failed add changed nothing');
  t.notOk(setHas(words, entry, 99));
  t.end();
});
