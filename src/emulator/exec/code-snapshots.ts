// The bytes of each page TBs were translated from, with the page's code
// version then: what lets translations survive a switch of address space
// (a thread of another process, or execve over the same frames). A page's
// TBs and regions are kept when the new space has the same bytes at the same
// address, executable (the same program, or a fork of it): QEMU translates
// afresh in every process, a shell loop here does not.

import type { GuestMemory } from '../softmmu/guest-memory.js';
import { PAGE_BITS, PAGE_SIZE, PTE_EXEC, PTE_MAPPED } from '../softmmu/page-bits.js';
import type { TbCache } from './tb-cache.js';

export class CodeSnapshots {
  private readonly pageBytes = new Map<number, { version: number; bytes: Uint8Array }>();

  /** `space.mem` is the vCPU's current address space (the Mmu's: it changes at a switch). */
  constructor(private readonly space: { readonly mem: GuestMemory }, private readonly cache: TbCache) {}

  /** Keeps the bytes a page's TBs come from, unless the page changed during the translation (its TBs are stale then). */
  note(page: number, version: number): void {
    const mem = this.space.mem;
    const seen = this.pageBytes.get(page);
    if (seen && seen.version === version) return;
    const frame = mem.frameOffset(page);
    if (frame < 0 || Atomics.load(mem.codeVersion, page) !== version) return;
    const bytes = mem.u8.slice(frame, frame + PAGE_SIZE);
    // Atomics.load: a store between the copy and here moved the version, and then these TBs die anyway.
    if (Atomics.load(mem.codeVersion, page) === version) this.pageBytes.set(page, { version, bytes });
  }

  /**
   * After a switch of address space: keeps the translations of each page
   * whose bytes are the same and executable in the new space, drops every
   * other. The page is marked as code in the new space before its bytes are
   * compared, so a store racing with the check bumps the version the TBs
   * now carry.
   */
  revalidate(): void {
    const mem = this.space.mem;
    for (const page of this.cache.pagesWithCode()) {
      const snap = this.pageBytes.get(page);
      const pte = mem.pte(page);
      const usable = snap !== undefined && (pte & (PTE_MAPPED | PTE_EXEC)) === (PTE_MAPPED | PTE_EXEC) && pte >>> PAGE_BITS !== 0 &&
        this.cache.revalidatable(page, snap.version);
      if (usable) {
        const version = mem.markCode(page);
        const frame = (pte >>> PAGE_BITS) * PAGE_SIZE;
        if (Buffer.compare(snap.bytes, mem.u8.subarray(frame, frame + PAGE_SIZE)) === 0) {
          mem.noteCodeBytes(page, 0, PAGE_SIZE);
          this.cache.revalidatePage(page, version);
          snap.version = version;
          continue;
        }
      }
      this.cache.invalidatePage(page);
      this.pageBytes.delete(page);
    }
  }
}
