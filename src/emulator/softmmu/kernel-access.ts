// Guest memory as the kernel sees it: syscalls copy buffers in and out with
// permission checks that end in EFAULT rather than a signal, and the loader
// writes regardless of protection. Writes that hit translated code invalidate it.

import type { GuestMemory } from './guest-memory.js';
import { PAGE_BITS, PAGE_SIZE, PTE_CODE, PTE_COW, PTE_MAPPED, PTE_READ, PTE_WRITE } from './page-bits.js';

export class BadGuestAddress extends Error {
  constructor(readonly address: number) {
    super(`bad guest address 0x${(address >>> 0).toString(16)}`);
    this.name = 'BadGuestAddress';
  }
}

const NEED_NONE = PTE_MAPPED;
const NEED_READ = PTE_MAPPED | PTE_READ;
const NEED_WRITE = PTE_MAPPED | PTE_WRITE;

export class KernelAccess {
  constructor(readonly mem: GuestMemory) {}

  /** Visits [addr, addr+len) page by page with host offsets (and the page's entry as it was); throws BadGuestAddress. */
  private each(
    addr: number, len: number, need: number, write: boolean, fn: (host: number, n: number, done: number, pte: number) => void,
  ): void {
    if (len < 0 || addr + len > 0x100000000) throw new BadGuestAddress(addr);
    let done = 0;
    while (done < len) {
      const a = (addr + done) >>> 0;
      const page = a >>> PAGE_BITS;
      const pte = this.mem.pte(page);
      if ((pte & need) !== need) throw new BadGuestAddress(a);
      // A copy-on-write page gets its own frame before the kernel writes into it.
      if (write && pte & PTE_COW) this.mem.breakCow(page);
      const frame = this.mem.frameOffset(page);
      const inPage = a & (PAGE_SIZE - 1);
      const n = Math.min(len - done, PAGE_SIZE - inPage);
      if (write && pte & PTE_CODE) this.mem.codeWrite(page, inPage, n);
      fn(frame + inPage, n, done, pte);
      done += n;
    }
  }

  read(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    this.each(addr, len, NEED_READ, false, (h, n, d) => out.set(this.mem.u8.subarray(h, h + n), d));
    return out;
  }

  write(addr: number, bytes: Uint8Array): void {
    this.each(addr, bytes.length, NEED_WRITE, true, (h, n, d) => this.mem.u8.set(bytes.subarray(d, d + n), h));
  }

  /**
   * Writes ignoring protections (ELF loading, the initial stack). Pages whose
   * frames follow each other in host memory (fresh frames, as the loader's
   * come) are copied in one piece; a page with translated code is written at
   * once, right after its code is invalidated, as a page at a time did.
   */
  poke(addr: number, bytes: Uint8Array): void {
    const u8 = this.mem.u8;
    let host = -1;
    let len = 0;
    let from = 0;
    const flush = (): void => {
      if (host >= 0) u8.set(bytes.subarray(from, from + len), host);
      host = -1;
    };
    this.each(addr, bytes.length, NEED_NONE, true, (h, n, d, pte) => {
      if (host >= 0 && host + len === h) len += n;
      else {
        flush();
        host = h;
        len = n;
        from = d;
      }
      if (pte & PTE_CODE) flush();
    });
    flush();
  }

  /** Checks that the whole range is accessible, without copying. */
  check(addr: number, len: number, write: boolean): void {
    this.each(addr, len, write ? NEED_WRITE : NEED_READ, false, () => {});
  }

  readU32(addr: number): number {
    const b = this.read(addr, 4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) | 0;
  }

  writeU32(addr: number, value: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, value | 0, true);
    this.write(addr, b);
  }

  /** A NUL-terminated string of at most max bytes (UTF-8 decoded). */
  readCString(addr: number, max = 4096): string {
    const parts: Uint8Array[] = [];
    for (let done = 0; done < max;) {
      // Up to the end of the page (or of max): the next page may be unmapped, and the string may end before it.
      const at = (addr + done) >>> 0;
      const chunk = this.read(at, Math.min(max - done, PAGE_SIZE - (at & (PAGE_SIZE - 1))));
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.subarray(0, nul));
        return Buffer.concat(parts).toString('utf8');
      }
      parts.push(chunk);
      done += chunk.length;
    }
    throw new BadGuestAddress(addr);
  }
}
