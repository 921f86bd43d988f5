// Translated-code tracking of one address space (QEMU's page descriptors and
// their code bitmap, coarsened to one byte range per page).
//
// A page with translations has PTE_CODE (stores to it take the slow path)
// and an extent: the bytes its TBs were translated from, widened by every
// translation. A store or a cacheflush that overlaps the extent invalidates
// the page: PTE_CODE goes, its version moves on, and every vCPU drops its
// TBs of that page (only that page) at its next TB boundary. A store beside
// the code (data sharing the page with code) invalidates nothing. The code
// epoch, one word of the space's header, changes with every invalidation, so
// a vCPU learns with one load whether any page's version may have moved.
//
// Lock-free: every word is changed atomically, the extent by CAS.

import { PAGE_BITS, PAGE_SIZE, PTE_CODE } from './page-bits.js';

const EXTENT_SHIFT = 13;
const EXTENT_MASK = (1 << EXTENT_SHIFT) - 1;

export class CodePages {
  /**
   * pageTable: the space's PTEs; codeVersion: bumped each time a page's
   * translated code is invalidated; codeExtent: per code page, the bytes its
   * translations cover, [lo, hi) packed as lo | hi << 13 (empty: hi <= lo);
   * header[epochIndex]: the code epoch; invalidated: called after every
   * invalidation (GuestMemory.onCodeInvalidated).
   */
  constructor(
    private readonly pageTable: Int32Array,
    private readonly codeVersion: Int32Array,
    private readonly codeExtent: Int32Array,
    private readonly header: Int32Array,
    private readonly epochIndex: number,
    private readonly invalidated: () => void,
  ) {}

  /** Marks a page as holding translated code; returns its current version. */
  mark(page: number): number {
    Atomics.or(this.pageTable, page, PTE_CODE);
    return Atomics.load(this.codeVersion, page);
  }

  /** Widens a code page's extent to cover bytes [lo, hi) of the page (a new TB, after mark). */
  noteBytes(page: number, lo: number, hi: number): void {
    const ext = this.codeExtent;
    for (;;) {
      const cur = Atomics.load(ext, page);
      const cl = cur & EXTENT_MASK;
      const ch = cur >>> EXTENT_SHIFT;
      const nl = ch > cl ? Math.min(cl, lo) : lo;
      const nh = ch > cl ? Math.max(ch, hi) : hi;
      if (nl === cl && nh === ch) return;
      // CAS: two vCPUs translating on the same page both widen it.
      if (Atomics.compareExchange(ext, page, cur, nl | (nh << EXTENT_SHIFT)) === cur) return;
    }
  }

  /**
   * A write to bytes [off, off+len) of a code page: invalidates the page if
   * the write overlaps its translated bytes (or no extent is recorded yet, a
   * TB still being translated). Returns true if this call invalidated it.
   */
  write(page: number, off: number, len: number): boolean {
    const cur = Atomics.load(this.codeExtent, page);
    const lo = cur & EXTENT_MASK;
    const hi = cur >>> EXTENT_SHIFT;
    if (hi > lo && (off >= hi || off + len <= lo)) return false;
    return this.invalidate(page);
  }

  /**
   * Drops a page's CODE mark and bumps its version so every vCPU discards
   * its translations of the page. Returns true if this call did it.
   */
  invalidate(page: number): boolean {
    const old = Atomics.and(this.pageTable, page, ~PTE_CODE);
    if (!(old & PTE_CODE)) return false;
    Atomics.store(this.codeExtent, page, 0);
    Atomics.add(this.codeVersion, page, 1);
    Atomics.add(this.header, this.epochIndex, 1);
    // After the bump: a vCPU that sees the request and then reads the epoch sees the new one.
    this.invalidated();
    return true;
  }

  /** Changes whenever any page's code is invalidated. */
  epoch(): number {
    return Atomics.load(this.header, this.epochIndex);
  }

  /** Treats [start, start+len) as rewritten code (cacheflush): invalidates the code pages it overlaps. */
  invalidateRange(start: number, len: number): void {
    let a = start >>> 0;
    const end = a + len;
    while (a < end) {
      const page = a >>> PAGE_BITS;
      const off = a & (PAGE_SIZE - 1);
      const n = Math.min(end - a, PAGE_SIZE - off);
      if (Atomics.load(this.pageTable, page) & PTE_CODE) this.write(page, off, n);
      a += n;
    }
  }
}
