// Placement of mmap regions as qemu-arm 7.2 does it (mmap_find_vma_reserved):
// search downwards from a start address (the hint, or the kernel's "next
// start", initially TASK_UNMAPPED_BASE = 0x40000000) for the highest free
// range that ends at or below start + len; if there is none, search again
// from the top of the guest address space (0xffff0000, the kuser page). A
// search from "next start" that succeeds moves "next start" to the result,
// so thread stacks stack up downwards below the sigreturn page, and a region
// too big for the space below the main stack lands above it. Callers hold
// the kernel lock, so two threads never pick the same range.
//
// The search skips whole 4 MiB blocks that are free or full using the mapped
// page counts GuestMemory keeps, so its cost grows with the partly used
// blocks it crosses, not with the size of the address space.

import { BLOCK_SHIFT, PAGES_PER_BLOCK, type GuestMemory } from '../softmmu/guest-memory.js';
import { PAGE_BITS, PTE_MAPPED } from '../softmmu/page-bits.js';
import { MMAP_FLOOR, MMAP_SEARCH_TOP } from './address-map.js';

/** Start page of the highest free run of `pages` pages ending at or below endPage (exclusive), or -1. */
function highestFreeRun(mem: GuestMemory, pages: number, endPage: number): number {
  const floor = MMAP_FLOOR >>> PAGE_BITS;
  let run = 0;
  let p = endPage - 1;
  while (p >= floor) {
    const block = p >>> BLOCK_SHIFT;
    const blockStart = Math.max(block << BLOCK_SHIFT, floor);
    const mapped = Atomics.load(mem.mappedPerBlock, block);
    if (mapped === 0) {
      const free = p - blockStart + 1;
      if (run + free >= pages) return p - (pages - run) + 1;
      run += free;
      p = blockStart - 1;
    } else if (mapped === PAGES_PER_BLOCK) {
      run = 0;
      p = blockStart - 1;
    } else {
      if (Atomics.load(mem.pageTable, p) & PTE_MAPPED) run = 0;
      else if (++run === pages) return p;
      p--;
    }
  }
  return -1;
}

/**
 * Where an mmap of len bytes (page-aligned, > 0) goes: the highest free range
 * ending at or below start + len, else the highest anywhere below 0xffff0000;
 * -1 if none. `start` is the page-aligned hint, or 0 for the kernel's next start.
 */
export function findFreeRange(mem: GuestMemory, len: number, nextStart: number, start = 0): number {
  const pages = len >>> PAGE_BITS;
  const from = start === 0 ? nextStart : start;
  const top = MMAP_SEARCH_TOP >>> PAGE_BITS;
  const fromPage = from >>> PAGE_BITS;
  let found = fromPage + pages <= top ? highestFreeRun(mem, pages, fromPage + pages) : -1;
  if (found < 0) found = highestFreeRun(mem, pages, top);
  return found < 0 ? -1 : found * (1 << PAGE_BITS);
}

/**
 * mmap without MAP_FIXED (qemu's mmap_find_vma and mmap_next_start): where
 * len bytes go, -1 if nowhere, and the kernel's next start afterwards (a
 * search from the next start, without a hint or with the next start as the
 * hint, moves it to the result).
 */
export function placeMapping(mem: GuestMemory, len: number, nextStart: number, hint: number): { at: number; nextStart: number } {
  const at = findFreeRange(mem, len, nextStart, hint);
  return { at, nextStart: at >= 0 && (hint === 0 || hint === nextStart) ? at : nextStart };
}
