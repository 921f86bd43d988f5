// Bits of the shared page table entries and of the per-vCPU TLB tags.
//
// A page table entry (PTE) is one int32 per 4 KiB guest page:
//   bits 31..12  host frame number (0 = no frame yet: allocated on first touch)
//   bits  5..0   PTE_* flags below
// A TLB tag is the page address with flag bits in its low 12 bits. The inline
// fast path compares the tag with (addr & ~0xfff | alignment bits), so any flag
// bit in a tag makes every access through that entry miss and take the slow
// path, as QEMU's TLB_* flags in addr_write do.

export const PAGE_BITS = 12;
export const PAGE_SIZE = 1 << PAGE_BITS;
export const PAGE_MASK = -PAGE_SIZE; // 0xfffff000 as int32
export const NUM_PAGES = 1 << (32 - PAGE_BITS);

export const PTE_MAPPED = 1 << 0;
export const PTE_READ = 1 << 1;
export const PTE_WRITE = 1 << 2;
export const PTE_EXEC = 1 << 3;
/** Translated code exists for this page: plain stores must invalidate it. */
export const PTE_CODE = 1 << 4;
/** MAP_SHARED: fork shares the frame with the child instead of copying it. */
export const PTE_SHARED = 1 << 5;
/** A MAP_SHARED file mapping (mapped read-only: its stores could not reach the file, so it never becomes writable). */
export const PTE_SHARED_FILE = 1 << 6;
/**
 * Copy on write: a private page whose frame another address space may still
 * map since a fork. PTE_WRITE keeps the mapping's permission; a write first
 * gives the page a frame of its own (GuestMemory.breakCow), and no TLB holds
 * a write entry for it meanwhile.
 */
export const PTE_COW = 1 << 7;
export const PTE_FLAGS = 0xff;

/** TLB tag of an empty entry: never equal to a masked address (bit 0 set with page bits all ones). */
export const TLB_INVALID = -1;
/** Write tag flag: the page holds translated code (a store invalidates it). */
export const TLB_CODE = 1 << 11;
/** Write tag flag: an atomic strategy checks stores to this page (TLB_EXCL, AIE store checks). */
export const TLB_EXCL = 1 << 10;
/** Tag flag reserved for watched pages (debugging, future use). */
export const TLB_WATCH = 1 << 9;
export const TLB_FLAGS = TLB_CODE | TLB_EXCL | TLB_WATCH;

/** Linux PROT_* bits as guests pass them to mmap/mprotect. */
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export function protToPte(prot: number): number {
  let f = 0;
  if (prot & PROT_READ) f |= PTE_READ;
  if (prot & PROT_WRITE) f |= PTE_WRITE | PTE_READ;
  if (prot & PROT_EXEC) f |= PTE_EXEC | PTE_READ;
  return f;
}

export function pageAlignUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}
