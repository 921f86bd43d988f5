// The per-vCPU SoftMMU TLB (QEMU's CPUTLB): direct-mapped, one entry per
// index with a read tag, a write tag and a shared addend. The generated fast
// path reads these arrays directly; see backend/emit-memory.ts.
//
//   hit  <=> tag === (addr & (PAGE_MASK | (size - 1)))
//   host byte offset = (addr + addend) | 0
//
// A tag with any TLB_* flag bit never equals a masked address, so flagged
// entries send every access to the slow path.

import { PAGE_BITS, TLB_INVALID } from './page-bits.js';

export const TLB_BITS = 8;
export const TLB_SIZE = 1 << TLB_BITS;
export const TLB_INDEX_MASK = TLB_SIZE - 1;

export class Tlb {
  readonly read = new Int32Array(TLB_SIZE).fill(TLB_INVALID);
  readonly write = new Int32Array(TLB_SIZE).fill(TLB_INVALID);
  readonly addend = new Int32Array(TLB_SIZE);
  fills = 0;
  fullFlushes = 0;
  pageFlushes = 0;

  static index(addr: number): number {
    return (addr >>> PAGE_BITS) & TLB_INDEX_MASK;
  }

  flushAll(): void {
    this.read.fill(TLB_INVALID);
    this.write.fill(TLB_INVALID);
    this.fullFlushes++;
  }

  /** Drops the entry of one page, if present. */
  flushPage(page: number): void {
    const i = page & TLB_INDEX_MASK;
    const base = page << PAGE_BITS;
    if ((this.read[i]! & ~0xfff) === base || (this.write[i]! & ~0xfff) === base) {
      this.read[i] = TLB_INVALID;
      this.write[i] = TLB_INVALID;
      this.pageFlushes++;
    }
  }

  /** Drops the entries of every page in [start, start+len) (by entry, not whole, when the range is large). */
  flushRange(start: number, len: number): void {
    const pages = Math.ceil(len / (1 << PAGE_BITS));
    const first = start >>> PAGE_BITS;
    if (pages < TLB_SIZE) {
      for (let p = first, n = pages; n > 0; p++, n--) this.flushPage(p);
      return;
    }
    // A big range covers at most every entry: look at each once.
    for (let i = 0; i < TLB_SIZE; i++) {
      const r = this.read[i]!;
      const w = this.write[i]!;
      const page = (r !== TLB_INVALID ? r : w) >>> PAGE_BITS;
      if ((r === TLB_INVALID && w === TLB_INVALID) || page - first >= pages || page < first) continue;
      this.read[i] = TLB_INVALID;
      this.write[i] = TLB_INVALID;
      this.pageFlushes++;
    }
  }
}
