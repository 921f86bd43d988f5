// fork's copy-on-write (GuestMemory.copyInto with cow, breakCow): the child
// sees the parent's bytes as they were at the fork, a write in either space
// is seen by that space only, no frame is copied until a write, the last
// space to map a frame writes in place, and an Mmu store gets its own frame
// (the old one keeps the other space's bytes). Each check fails with the
// eager copy (frames doubled at fork) or with a COW that forgets a side.

import t from 'tap';
import { GuestMemory } from '../../../src/emulator/softmmu/guest-memory.js';
import { KernelAccess } from '../../../src/emulator/softmmu/kernel-access.js';
import { Mmu } from '../../../src/emulator/softmmu/mmu.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { PAGE_SIZE, PTE_COW, PROT_READ, PROT_WRITE, protToPte } from '../../../src/emulator/softmmu/page-bits.js';

const BASE = 0x10000000;
const PAGES = 64;

function parentWithPages(): { mem: GuestMemory; access: KernelAccess } {
  const mem = new GuestMemory(GuestMemory.create(16));
  mem.map(BASE, PAGES * PAGE_SIZE, protToPte(PROT_READ | PROT_WRITE));
  const access = new KernelAccess(mem);
  for (let p = 0; p < PAGES; p++) access.writeU32(BASE + p * PAGE_SIZE, 0x1000 + p);
  return { mem, access };
}

t.test('a fork shares frames until a write, and each side sees only its own writes', async (t) => {
  const { mem, access } = parentWithPages();
  const before = mem.frameStats().inUse;
  const child = new GuestMemory(mem.newSpace());
  mem.copyInto(child, true);
  t.equal(mem.frameStats().inUse, before, 'no frame copied at the fork');
  t.ok(child.pte(BASE >>> 12) & PTE_COW && mem.pte(BASE >>> 12) & PTE_COW, 'both sides copy-on-write');
  const childAccess = new KernelAccess(child);
  access.writeU32(BASE, 0xaaaa);
  t.equal(childAccess.readU32(BASE), 0x1000, 'the child keeps the value of the fork');
  t.equal(access.readU32(BASE), 0xaaaa, 'the parent sees its write');
  t.equal(mem.frameStats().inUse, before + 1, 'one frame copied, for the one page written');
  childAccess.writeU32(BASE, 0xbbbb);
  t.equal(mem.frameStats().inUse, before + 1, 'the child, last to map the old frame, wrote in place');
  t.equal(access.readU32(BASE), 0xaaaa, 'the parent does not see the child\'s write');
  t.equal(childAccess.readU32(BASE + PAGE_SIZE), 0x1001, 'untouched pages still shared');
  child.releaseAll();
  access.writeU32(BASE + PAGE_SIZE, 0xcccc);
  t.equal(mem.frameStats().inUse, before, 'the child\'s own frame went with it, and the parent then writes in place (no copy)');
});

t.test('an Mmu store to a copy-on-write page gets its own frame and a fresh TLB entry', async (t) => {
  const { mem } = parentWithPages();
  const child = new GuestMemory(mem.newSpace());
  const mmu = new Mmu(mem);
  t.equal(mmu.ld(BASE + 8, MemOp.SIZE_32, 0), 0, 'a read fills the TLB with the shared frame');
  mem.copyInto(child, true);
  mmu.tlb.flushAll();
  t.equal(mmu.ld(BASE, MemOp.SIZE_32, 0), 0x1000, 'a read after the fork reads the shared frame');
  mmu.st(BASE, 0x5555, MemOp.SIZE_32, 0);
  t.equal(mmu.ld(BASE, MemOp.SIZE_32, 0), 0x5555, 'the store is read back through the refilled entry');
  t.equal(new KernelAccess(child).readU32(BASE), 0x1000, 'the child\'s page is untouched');
  t.equal(mem.pte(BASE >>> 12) & PTE_COW, 0, 'the page is private again');
});

t.test('a fork of a fork keeps sharing; the grandchild sees the child\'s bytes of its own fork', async (t) => {
  const { mem, access } = parentWithPages();
  const child = new GuestMemory(mem.newSpace());
  mem.copyInto(child, true);
  new KernelAccess(child).writeU32(BASE + 4, 0x77);
  const grandchild = new GuestMemory(child.newSpace());
  child.copyInto(grandchild, true);
  access.writeU32(BASE + 4, 0x99);
  t.equal(new KernelAccess(grandchild).readU32(BASE + 4), 0x77, 'the grandchild has the child\'s value');
  t.equal(new KernelAccess(child).readU32(BASE + 4), 0x77, 'the child too');
  t.equal(access.readU32(BASE + 4), 0x99, 'the parent its own');
  t.equal(new KernelAccess(grandchild).readU32(BASE + 2 * PAGE_SIZE), 0x1002, 'a page nobody wrote is the parent\'s');
});
