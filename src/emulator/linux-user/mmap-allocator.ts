// Placement of mmap regions, top-down below the sigreturn page as qemu-arm
// does (mmap_find_vma): the highest free gap that fits. Callers hold the
// kernel lock, so two threads never pick the same gap.

import type { GuestMemory } from '../softmmu/guest-memory.js';
import { PAGE_BITS, PTE_MAPPED } from '../softmmu/page-bits.js';
import { MMAP_FLOOR, MMAP_TOP } from './address-map.js';

/** Start of the highest free, page-aligned range of len bytes below MMAP_TOP, or -1. */
export function findFreeRange(mem: GuestMemory, len: number): number {
  const pages = len >>> PAGE_BITS;
  const floor = MMAP_FLOOR >>> PAGE_BITS;
  let run = 0;
  for (let p = (MMAP_TOP >>> PAGE_BITS) - 1; p >= floor; p--) {
    if (Atomics.load(mem.pageTable, p) & PTE_MAPPED) {
      run = 0;
      continue;
    }
    if (++run === pages) return p << PAGE_BITS >>> 0;
  }
  return -1;
}
