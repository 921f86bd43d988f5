// Spare page-table buffers (softmmu/spare-spaces.ts): a retired address
// space's control buffer serves the next new space, wholly unmapped and
// without copy-on-write state; a space still in use is never handed out
// twice; when every spare is taken a new space still gets a buffer of its
// own. Fails if retire keeps its buffer, forgets to unmap, or if take hands
// one spare to two spaces.

import t from 'tap';
import { GuestMemory } from '../../../src/emulator/softmmu/guest-memory.js';
import { KernelAccess } from '../../../src/emulator/softmmu/kernel-access.js';
import { PAGE_SIZE, PROT_READ, PROT_WRITE, protToPte } from '../../../src/emulator/softmmu/page-bits.js';
import { SPARE_SPACES } from '../../../src/emulator/softmmu/spare-spaces.js';

const BASE = 0x10000000;

t.test('a retired space\'s buffer serves the next space, empty', async (t) => {
  const first = new GuestMemory(GuestMemory.create(16));
  const a = first.newSpace();
  const mem = new GuestMemory(a);
  mem.map(BASE, 8 * PAGE_SIZE, protToPte(PROT_READ | PROT_WRITE));
  new KernelAccess(mem).writeU32(BASE, 0x1234);
  mem.mayHaveCow = true;
  const inUse = first.frameStats().inUse;
  mem.retire();
  t.equal(first.frameStats().inUse, inUse - 1, 'its frame went back to the pool');
  const b = first.newSpace();
  t.equal(b.control, a.control, 'the next new space gets the retired buffer');
  const again = new GuestMemory(b);
  t.equal(again.pte(BASE >>> 12), 0, 'no page of the old space is mapped in it');
  t.ok(again.mappedPerBlock.every((n) => n === 0), 'no block counts a mapped page');
  t.equal(again.mayHaveCow, false, 'no copy-on-write state is left');
  t.ok(again.isRangeUnmapped(BASE, 8 * PAGE_SIZE), 'the mmap allocator sees the range free');
});

t.test('spares in use are never handed out twice; past the last one a new space allocates', async (t) => {
  const first = new GuestMemory(GuestMemory.create(16));
  const taken = new Set<SharedArrayBuffer>();
  for (let i = 0; i < SPARE_SPACES + 2; i++) taken.add(first.newSpace().control);
  t.equal(taken.size, SPARE_SPACES + 2, 'every space got a buffer of its own');
  t.notOk(taken.has(first.newSpace().control), 'and so does the next one');
});
