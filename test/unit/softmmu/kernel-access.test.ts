// KernelAccess.readCString (syscall paths, execve's argv and envp), read a
// page at a time: a string across a page boundary, one ending at the last
// byte before an unmapped page, one running into an unmapped page (the
// error names that page's first byte), and the length limit. Fails if the
// read crosses into the next page before it needs to, or stops at a page end.

import t from 'tap';
import { GuestMemory } from '../../../src/emulator/softmmu/guest-memory.js';
import { BadGuestAddress, KernelAccess } from '../../../src/emulator/softmmu/kernel-access.js';
import { PAGE_SIZE, PROT_READ, PROT_WRITE, protToPte } from '../../../src/emulator/softmmu/page-bits.js';

const BASE = 0x10000000;

t.test('readCString page by page', async (t) => {
  const mem = new GuestMemory(GuestMemory.create(16));
  mem.map(BASE, 2 * PAGE_SIZE, protToPte(PROT_READ | PROT_WRITE)); // the page after stays unmapped
  const k = new KernelAccess(mem);
  const put = (addr: number, s: string): void => k.write(addr, new Uint8Array([...Buffer.from(s), 0]));
  const across = BASE + PAGE_SIZE - 3;
  put(across, 'hello, world');
  t.equal(k.readCString(across), 'hello, world', 'across a page boundary');
  const last = BASE + 2 * PAGE_SIZE - 6;
  put(last, 'tail!');
  t.equal(k.readCString(last), 'tail!', 'ending on the last byte before an unmapped page');
  k.write(BASE + 2 * PAGE_SIZE - 4, new Uint8Array([0x61, 0x62, 0x63, 0x64]));
  let caught: unknown = null;
  try {
    k.readCString(BASE + 2 * PAGE_SIZE - 4);
  } catch (e) {
    caught = e;
  }
  t.ok(caught instanceof BadGuestAddress, 'running into the unmapped page fails');
  t.equal((caught as BadGuestAddress).address, BASE + 2 * PAGE_SIZE, 'and names the unmapped page');
  put(BASE, 'x'.repeat(100));
  t.equal(k.readCString(BASE, 101).length, 100, 'a string of max - 1 bytes');
  t.throws(() => k.readCString(BASE, 100), BadGuestAddress, 'no NUL within max bytes');
  put(BASE + 10, '');
  t.equal(k.readCString(BASE + 10), '', 'the empty string');
});
