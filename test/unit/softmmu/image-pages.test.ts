// Read-only image pages kept between execs (softmmu/image-pages.ts): two
// loads of the same kept executable map one frame for each whole text page
// and take no new frames for them, copy-on-write; a write to such a page
// in one space (after an mprotect, or by the kernel) gives that space a copy
// and leaves the other space, the kept frame and the next load with the
// file's bytes; writable pages are never kept; forget() gives the frames
// back. Fails if the kept frame is mapped without PTE_COW (the write lands
// in every space), if writable pages are shared, or if forget leaks.

import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GuestMemory } from '../../../src/emulator/softmmu/guest-memory.js';
import { ImagePages, imagePages } from '../../../src/emulator/softmmu/image-pages.js';
import { KernelAccess } from '../../../src/emulator/softmmu/kernel-access.js';
import { loadProgram } from '../../../src/emulator/linux-user/loader.js';
import { parseElf, PF_W } from '../../../src/emulator/linux-user/elf-file.js';
import { PAGE_BITS, PAGE_SIZE, PTE_COW } from '../../../src/emulator/softmmu/page-bits.js';

const ELF = join(process.cwd(), 'bench', 'process', 'exec-start.elf');
const file = new Uint8Array(readFileSync(ELF));
const elf = parseElf(file);
const text = elf.segments.find((s) => !(s.flags & PF_W))!;
const data = elf.segments.find((s) => s.flags & PF_W)!;
const textPages = Math.floor(text.filesz / PAGE_SIZE);

function load(base: GuestMemory, kept: boolean): GuestMemory {
  const mem = new GuestMemory(base.newSpace());
  loadProgram(mem, new KernelAccess(mem), file, {
    argv: ['exec-start'], envp: [], execfn: '/exec-start', programFd: -1, keptProgram: kept,
    readInterpreter: () => { throw new Error('static program'); },
  });
  return mem;
}

const frameOf = (mem: GuestMemory, addr: number): number => mem.pte(addr >>> PAGE_BITS) >>> PAGE_BITS;

t.test('two loads of a kept executable share its text frames, copy-on-write', async (t) => {
  t.ok(textPages >= 4, `the program has whole text pages (${textPages})`);
  const base = new GuestMemory(GuestMemory.create(64));
  const a = load(base, true);
  const afterFirst = base.frameStats().inUse;
  const b = load(base, true);
  const grew = base.frameStats().inUse - afterFirst;
  t.ok(grew < textPages, `the second load took ${grew} frames, fewer than the ${textPages} text pages`);
  const page = text.vaddr + PAGE_SIZE;
  t.equal(frameOf(a, page), frameOf(b, page), 'one frame for the same text page');
  t.ok(a.pte(page >>> PAGE_BITS) & PTE_COW, 'mapped copy-on-write');
  t.notOk(b.pte(data.vaddr >>> PAGE_BITS) & PTE_COW, 'the writable data is not kept');
  t.not(frameOf(a, data.vaddr), frameOf(b, data.vaddr), 'each space has its own data frame');

  // A kernel write (as after mprotect(PROT_WRITE) and a store) into space a's text page.
  const fileByte = file[text.offset + PAGE_SIZE]!;
  new KernelAccess(a).poke(page, new Uint8Array([fileByte ^ 0xff]));
  t.equal(new KernelAccess(a).read(page, 1)[0], fileByte ^ 0xff, 'space a sees its write');
  t.not(frameOf(a, page), frameOf(b, page), 'space a got a copy');
  t.equal(new KernelAccess(b).read(page, 1)[0], fileByte, 'space b still reads the file');
  const c = load(base, true);
  t.equal(new KernelAccess(c).read(page, 1)[0], fileByte, 'a later load still reads the file');
  for (const m of [a, b, c]) m.retire();
  const n = imagePages.keptPages;
  t.ok(n >= textPages, `the frames stay kept after every space ended (${n})`);
  const kept = base.frameStats().inUse;
  imagePages.forget(file);
  t.equal(base.frameStats().inUse, kept - n, 'forget gave every kept frame back');
  t.equal(imagePages.keptPages, 0, 'and counts none');
});

t.test('a load of bytes that are not kept copies as before', async (t) => {
  const base = new GuestMemory(GuestMemory.create(64));
  const a = load(base, false);
  const b = load(base, false);
  const page = text.vaddr + PAGE_SIZE;
  t.not(frameOf(a, page), frameOf(b, page), 'each space has its own frame');
  t.notOk(a.pte(page >>> PAGE_BITS) & PTE_COW, 'nothing copy-on-write');
  t.equal(imagePages.keptPages, 0, 'nothing kept');
});

t.test('past the budget a page is copied; a new pool starts afresh', async (t) => {
  const pages = new ImagePages();
  const small = new GuestMemory(GuestMemory.create(16)); // 4096 frames: a budget of 64 pages
  let kept = 0;
  const big = new Uint8Array(100 * PAGE_SIZE);
  for (let i = 0; i < 100; i++) if (pages.frameFor(small, big, i * PAGE_SIZE) > 0) kept++;
  t.equal(kept, 64, 'a 64th of the frames');
  t.equal(pages.frameFor(small, big, 0), pages.frameFor(small, big, 0), 'a kept page keeps its frame');
  const other = new GuestMemory(GuestMemory.create(16));
  const inUse = small.frameStats().inUse;
  t.ok(pages.frameFor(other, big, 0) > 0, 'another run\'s pool gets frames of its own');
  t.equal(small.frameStats().inUse, inUse - 64, 'and the first pool\'s frames went back');
});
