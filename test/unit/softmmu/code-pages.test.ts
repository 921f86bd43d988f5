// Translated-code tracking (softmmu/code-pages.ts, through GuestMemory): a
// write invalidates a code page only where it overlaps the bytes the page's
// TBs were translated from (any write before an extent is recorded); an
// invalidation clears PTE_CODE, moves the page's version and the code epoch
// on once and tells the vCPUs; unmapping a code page or taking its exec
// permission away invalidates it too. Fails if the extent is not widened,
// if a write beside the code invalidates, or if an invalidation is counted
// twice or not announced.

import t from 'tap';
import { GuestMemory } from '../../../src/emulator/softmmu/guest-memory.js';
import { PAGE_BITS, PAGE_SIZE, PROT_EXEC, PROT_READ, PTE_CODE, protToPte } from '../../../src/emulator/softmmu/page-bits.js';

const BASE = 0x10000000;
const PAGE = BASE >>> PAGE_BITS;

function space(t: { teardown(fn: () => void): void }): { mem: GuestMemory; announced: () => number } {
  const mem = new GuestMemory(GuestMemory.create(16, 0));
  t.teardown(() => mem.retire());
  mem.map(BASE, 4 * PAGE_SIZE, protToPte(PROT_READ | PROT_EXEC));
  let n = 0;
  mem.onCodeInvalidated = () => n++;
  return { mem, announced: () => n };
}

t.test('a write invalidates only where it overlaps the translated bytes', async (t) => {
  const { mem, announced } = space(t);
  const version = mem.markCode(PAGE);
  mem.noteCodeBytes(PAGE, 100, 120);
  mem.noteCodeBytes(PAGE, 300, 340);
  t.ok(mem.pte(PAGE) & PTE_CODE, 'markCode sets PTE_CODE');
  const epoch = mem.codeEpoch();
  t.equal(mem.codeWrite(PAGE, 96, 4), false, 'a write just below the extent');
  t.equal(mem.codeWrite(PAGE, 340, 8), false, 'a write just above it');
  t.equal(mem.codeEpoch(), epoch, 'no invalidation so far');
  t.equal(announced(), 0);
  t.equal(mem.codeWrite(PAGE, 200, 4), true, 'a write between the two TBs: the extent covers [100, 340)');
  t.equal(mem.pte(PAGE) & PTE_CODE, 0, 'PTE_CODE is gone');
  t.equal(Atomics.load(mem.codeVersion, PAGE), version + 1, 'the version moved on');
  t.equal(mem.codeEpoch(), epoch + 1, 'the epoch moved on');
  t.equal(announced(), 1, 'the vCPUs were told');
  t.equal(mem.codeWrite(PAGE, 100, 4), false, 'an invalidated page is not invalidated again');
  t.equal(mem.codeEpoch(), epoch + 1);
  t.equal(announced(), 1);
});

t.test('before an extent is recorded any write invalidates, and an invalidated page starts a new extent', async (t) => {
  const { mem } = space(t);
  mem.markCode(PAGE);
  t.equal(mem.codeWrite(PAGE, 4000, 4), true, 'no extent yet: a TB is still being translated');
  mem.markCode(PAGE);
  mem.noteCodeBytes(PAGE, 0, 8);
  t.equal(mem.codeWrite(PAGE, 4000, 4), false, 'the new extent is [0, 8) alone');
  t.equal(mem.codeWrite(PAGE, 4, 1), true);
});

t.test('invalidateCodeRange invalidates the code pages the range overlaps, each once', async (t) => {
  const { mem, announced } = space(t);
  for (const p of [PAGE, PAGE + 1, PAGE + 3]) {
    mem.markCode(p);
    mem.noteCodeBytes(p, 0, 16);
  }
  const epoch = mem.codeEpoch();
  mem.invalidateCodeRange(BASE + 8, 2 * PAGE_SIZE);
  t.equal(mem.pte(PAGE) & PTE_CODE, 0, 'the first page: the range overlaps its code');
  t.equal(mem.pte(PAGE + 1) & PTE_CODE, 0, 'the second page');
  t.ok(mem.pte(PAGE + 3) & PTE_CODE, 'the fourth page is outside the range');
  t.equal(mem.codeEpoch(), epoch + 2);
  t.equal(announced(), 2);
  mem.invalidateCodeRange(BASE + 3 * PAGE_SIZE + 16, 64);
  t.ok(mem.pte(PAGE + 3) & PTE_CODE, 'a range beside the code invalidates nothing');
});

t.test('unmapping a code page or taking its exec permission invalidates it', async (t) => {
  const { mem, announced } = space(t);
  const v0 = mem.markCode(PAGE);
  mem.noteCodeBytes(PAGE, 0, 16);
  const v1 = mem.markCode(PAGE + 1);
  mem.noteCodeBytes(PAGE + 1, 0, 16);
  mem.protect(BASE, PAGE_SIZE, protToPte(PROT_READ));
  t.equal(Atomics.load(mem.codeVersion, PAGE), v0 + 1, 'protect without PROT_EXEC');
  mem.unmap(BASE + PAGE_SIZE, PAGE_SIZE);
  t.equal(Atomics.load(mem.codeVersion, PAGE + 1), v1 + 1, 'unmap');
  t.equal(announced(), 2);
});
