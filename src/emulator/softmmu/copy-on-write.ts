// Copying an address space at fork, eagerly or copy-on-write, and breaking
// copy-on-write pages before a write (GuestMemory's copyInto, breakCow and
// breakAllCow call these).
//
// A copy-on-write page (PTE_COW) maps a frame that another space may map
// too, with one reference per mapping in the frame pool. No write TLB entry
// is ever filled for it: the first write in either space gets a frame of its
// own (FramePool.ownCopy), or keeps the old one if it was the last mapping.
// Only a single-threaded space shares its frames this way, and a space with
// COW pages breaks them all before a second vCPU may run in it, so a moved
// frame can only be named by the one vCPU that moved it.

import type { GuestMemory } from './guest-memory.js';
import { PAGE_BITS, PAGE_SIZE, PTE_CODE, PTE_COW, PTE_FLAGS, PTE_MAPPED, PTE_SHARED } from './page-bits.js';

/**
 * fork: fills `child` (a new, empty space over the same frames) with a copy
 * of `parent`. Private pages get a frame of their own holding a copy of the
 * bytes (pages never touched stay frameless); MAP_SHARED pages (PTE_SHARED)
 * map the same frame. The caller makes sure no other thread of the parent
 * writes meanwhile (a single-threaded parent, or stop-the-world).
 *
 * With `cow` the private pages are not copied: both spaces map the frame
 * with PTE_COW (one more reference) and the first write in either gets its
 * own copy (breakCow). Only for a single-threaded parent: the caller then
 * flushes its own TLB (no write entry to a shared frame may survive).
 */
export function copySpace(parent: GuestMemory, child: GuestMemory, cow: boolean): void {
  const sharedFrames: number[] = [];
  if (cow) {
    parent.mayHaveCow = true;
    child.mayHaveCow = true;
  }
  const pool = parent.frames;
  parent.withLock(() => child.withLock(() => {
    // The child is empty: it gets the parent's mapped-page counts whole.
    child.mappedPerBlock.set(parent.mappedPerBlock);
    parent.forEachPageOfMappedBlocks((page) => {
      const pte = parent.pageTable[page]!;
      if (!(pte & PTE_MAPPED)) return;
      let frame = pte >>> PAGE_BITS;
      const flags = pte & PTE_FLAGS & ~PTE_CODE;
      if (frame === 0 && pte & PTE_SHARED) {
        // Both processes must reach one frame: give the page its frame now.
        frame = pool.alloc();
        // A lock-free TLB fill of the parent's sees the frame or the frameless PTE, never a torn one.
        Atomics.store(parent.pageTable, page, (frame << PAGE_BITS) | (pte & PTE_FLAGS));
      }
      if (frame === 0) {
        child.pageTable[page] = flags;
      } else if (pte & PTE_SHARED) {
        // At once, not at the end: another process may drop its own reference to a MAP_SHARED frame meanwhile.
        pool.addRefs([frame]);
        child.pageTable[page] = (frame << PAGE_BITS) | flags;
      } else if (cow) {
        sharedFrames.push(frame);
        // A lock-free TLB fill of the parent's sees PTE_COW (and fills no write entry) once this is stored.
        Atomics.store(parent.pageTable, page, pte | PTE_COW);
        child.pageTable[page] = (frame << PAGE_BITS) | flags | PTE_COW;
      } else {
        const copy = pool.alloc(false);
        parent.u8.copyWithin(copy * PAGE_SIZE, frame * PAGE_SIZE, (frame + 1) * PAGE_SIZE);
        child.pageTable[page] = (copy << PAGE_BITS) | flags;
      }
    });
    // One reference more per shared frame (both spaces' locks held: neither can drop its own meanwhile).
    pool.addRefs(sharedFrames);
  }));
}

/**
 * Before a write to a copy-on-write page: the page gets a frame of its own,
 * a copy (or keeps its frame when no other space maps it any more).
 */
export function breakCow(mem: GuestMemory, page: number): void {
  // Lock-free first look: most pages are not copy-on-write.
  if (!(Atomics.load(mem.pageTable, page) & PTE_COW)) return;
  let moved = false;
  mem.withLock(() => {
    const pte = mem.pageTable[page]!;
    if (!(pte & PTE_COW)) return;
    const frame = pte >>> PAGE_BITS;
    const own = frame === 0 ? 0 : mem.frames.ownCopy(frame);
    // Only this space's one vCPU can hold an entry for the page (see copySpace); its fills load the PTE lock-free.
    Atomics.store(mem.pageTable, page, (own << PAGE_BITS) | (pte & PTE_FLAGS & ~PTE_COW));
    moved = own !== frame;
  });
  // That vCPU's read entry may still name the old frame: it goes (a fill refills it).
  if (moved) mem.onFrameMoved?.(page);
}

/**
 * Breaks every copy-on-write page of a space (before it gets a second
 * vCPU: a thread, or a CLONE_VM child). True if there were any: the caller
 * then flushes its own TLB (its read entries may name the old frames).
 */
export function breakAllCow(mem: GuestMemory): boolean {
  if (!mem.mayHaveCow) return false;
  mem.forEachPageOfMappedBlocks((page) => breakCow(mem, page));
  mem.mayHaveCow = false;
  return true;
}

/**
 * Maps a frame another holder keeps (image-pages.ts) at an already mapped,
 * still frameless page of a space no vCPU runs in yet (the loader's new
 * image), copy-on-write: the page keeps its protections, the frame gains
 * this mapping's reference, and a write would first give the page a copy.
 */
export function mapCowFrame(mem: GuestMemory, page: number, frame: number): void {
  mem.withLock(() => {
    const pte = mem.pageTable[page]!;
    if (!(pte & PTE_MAPPED) || pte >>> PAGE_BITS !== 0) throw new Error(`mapCowFrame: page 0x${page.toString(16)} is not a frameless mapping`);
    mem.frames.addRefs([frame]);
    mem.mayHaveCow = true;
    Atomics.store(mem.pageTable, page, (frame << PAGE_BITS) | (pte & PTE_FLAGS) | PTE_COW);
  });
}
