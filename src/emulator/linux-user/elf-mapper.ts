// Maps one ELF image (a program or its interpreter) into a new address space
// as qemu-arm 7.2's load_elf_image does: the whole span of the PT_LOAD
// segments is reserved first with no access, so that the holes between
// segments stay reserved ("---" in qemu's -d page); an ET_DYN image goes
// where the mmap allocator finds room (its first vaddr is the hint), an
// ET_EXEC image at its own addresses. Each segment then gets its pages and
// its bytes as mmap of the file gives them: whole file pages, except that
// the part of a segment's last file page past p_filesz reads as zero when
// the segment has bss (the kernel's padzero); further bss pages read as zero.

import { ElfError, parseElf, PF_R, PF_W, PF_X, type ElfImage } from './elf-file.js';
import { KUSER_PAGE_ADDR, SIGRETURN_PAGE, STACK_GUARD, STACK_TOP } from './address-map.js';
import { placeMapping } from './mmap-allocator.js';
import { mapCowFrame } from '../softmmu/copy-on-write.js';
import type { GuestMemory } from '../softmmu/guest-memory.js';
import { imagePages } from '../softmmu/image-pages.js';
import type { KernelAccess } from '../softmmu/kernel-access.js';
import { PAGE_BITS, PAGE_SIZE, PTE_EXEC, PTE_READ, PTE_WRITE } from '../softmmu/page-bits.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`;

/** The loader's mmaps: placed as the guest's own mmaps would be, moving the kernel's next start. */
export class LoadPlacer {
  nextStart: number;

  constructor(private readonly mem: GuestMemory, nextStart: number) {
    this.nextStart = nextStart;
  }

  /** mmap(hint, len) without MAP_FIXED; an ElfError when nothing fits. */
  place(len: number, hint: number, what: string): number {
    const r = placeMapping(this.mem, len, this.nextStart, hint);
    if (r.at < 0) throw new ElfError(`no room in the 32-bit guest address space for ${what} (${len} bytes)`);
    this.nextStart = r.nextStart;
    return r.at;
  }
}

function segmentPte(flags: number): number {
  let f = 0;
  if (flags & PF_R) f |= PTE_READ;
  if (flags & PF_W) f |= PTE_WRITE | PTE_READ;
  if (flags & PF_X) f |= PTE_EXEC | PTE_READ;
  return f;
}

/**
 * Pages a static program's loader maps itself: an ET_EXEC segment on one of
 * them is refused (qemu-arm: "Error mapping file") rather than overwritten.
 */
const STATIC_RESERVED: readonly { readonly start: number; readonly end: number; readonly what: string }[] = [
  { start: SIGRETURN_PAGE, end: SIGRETURN_PAGE + PAGE_SIZE, what: 'the sigreturn page' },
  { start: STACK_GUARD, end: STACK_TOP, what: 'the main stack and its guard page' },
  { start: KUSER_PAGE_ADDR, end: KUSER_PAGE_ADDR + PAGE_SIZE, what: 'the kuser helper page' },
];

function checkReservedPages(elf: ElfImage): void {
  elf.segments.forEach((s, i) => {
    const first = Math.floor(s.vaddr / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.ceil((s.vaddr + Math.max(s.memsz, 1)) / PAGE_SIZE) * PAGE_SIZE;
    for (const r of STATIC_RESERVED) {
      if (first < r.end && r.start < end) {
        throw new ElfError(`PT_LOAD segment ${i} [${hex(s.vaddr)}, ${hex(s.vaddr + s.memsz)}) lies on ${r.what} ` +
          `[${hex(r.start)}, ${hex(r.end)}), which the loader maps itself (qemu-arm: "Error mapping file")`);
      }
    }
  });
}

/** A page-aligned range of an image that shows the file from `offset` (a private file mapping under Linux). */
export interface FileRange {
  readonly start: number;
  readonly len: number;
  readonly offset: number;
}

export interface MappedImage {
  readonly elf: ElfImage;
  /** The ranges mapped from the file, in mapping order (a segment whose vaddr and offset disagree is copied: none). */
  readonly fileRanges: readonly FileRange[];
  /** Bytes reserved after the image for brk (released by the loader when it is done), or 0. */
  readonly brkReserve: number;
}

/**
 * Maps `file` (already known to parse) into mem. `brkReserve` bytes after
 * the image are kept reserved too (the caller releases them later). With
 * `share` (`file` is a worker's kept copy of an unchanged executable) its
 * read-only pages map frames kept between execs instead of fresh copies.
 */
export function mapElfImage(
  mem: GuestMemory, access: KernelAccess, file: Uint8Array, placer: LoadPlacer, brkReserve: number, what: string,
  share = false,
): MappedImage {
  const probe = parseElf(file);
  const span = probe.spanHi - probe.spanLo;
  let elf = probe;
  let reserve = Math.min(brkReserve, 0x1_0000_0000 - probe.spanHi);
  if (probe.type === 'dyn') {
    const at = placer.place(span + reserve, probe.spanLo, what);
    if (at !== probe.spanLo) elf = parseElf(file, at - probe.spanLo);
  } else {
    checkReservedPages(probe);
    if (!mem.isRangeUnmapped(probe.spanLo, span)) {
      throw new ElfError(`${what}: its segments [${hex(probe.spanLo)}, ${hex(probe.spanHi)}) overlap memory already mapped`);
    }
    if (!mem.isRangeUnmapped(probe.spanHi, reserve)) reserve = 0;
  }
  mem.map(elf.spanLo, span + reserve, 0);

  // Protections per page: the union of every segment touching it (text and
  // data can share a page), so mapping never drops bytes already loaded.
  const pagePte = new Map<number, number>();
  const pageSegments = new Map<number, number>();
  for (const s of elf.segments) {
    const first = s.vaddr >>> PAGE_BITS;
    const last = (s.vaddr + Math.max(s.memsz, 1) - 1) >>> PAGE_BITS;
    for (let p = first; p <= last; p++) {
      pagePte.set(p, (pagePte.get(p) ?? 0) | segmentPte(s.flags));
      pageSegments.set(p, (pageSegments.get(p) ?? 0) + 1);
    }
  }
  // One map per run of consecutive pages with the same protections (a segment's pages, mostly): the
  // program's load runs in a cold interpreter, where a call per page is most of its time (cold start).
  const pages = [...pagePte.keys()].sort((a, b) => a - b);
  for (let i = 0; i < pages.length;) {
    const first = pages[i]!;
    const f = pagePte.get(first)!;
    let n = 1;
    while (i + n < pages.length && pages[i + n] === first + n && pagePte.get(first + n) === f) n++;
    mem.map(first << PAGE_BITS >>> 0, n * PAGE_SIZE, f);
    i += n;
  }
  const fileRanges: FileRange[] = [];
  for (const s of elf.segments) {
    if (s.filesz === 0) continue;
    // Whole file pages, as mmap gives them, when vaddr and offset agree modulo the page size.
    const congruent = (s.vaddr & (PAGE_SIZE - 1)) === (s.offset & (PAGE_SIZE - 1));
    const lead = congruent ? s.vaddr & (PAGE_SIZE - 1) : 0;
    const pageEnd = Math.ceil((s.vaddr + s.filesz) / PAGE_SIZE) * PAGE_SIZE;
    const tail = s.memsz > s.filesz ? 0 : pageEnd - (s.vaddr + s.filesz);
    const from = s.offset - lead;
    const to = Math.min(file.length, s.offset + s.filesz + tail);
    if (share && congruent && !(s.flags & PF_W)) {
      // Whole file pages of one segment that is not writable: frames kept between execs (image-pages.ts).
      const start = s.vaddr - lead;
      for (let off = 0; off < to - from; off += PAGE_SIZE) {
        const page = (start + off) >>> PAGE_BITS;
        const whole = from + off + PAGE_SIZE <= to;
        const frame = whole && pageSegments.get(page) === 1 && !(pagePte.get(page)! & PTE_WRITE)
          ? imagePages.frameFor(mem, file, from + off) : -1;
        if (frame > 0) mapCowFrame(mem, page, frame);
        else access.poke(start + off, file.subarray(from + off, Math.min(to, from + off + PAGE_SIZE)));
      }
    } else {
      access.poke(s.vaddr - lead, file.subarray(from, to));
    }
    // The pages holding file bytes (the last one too, whose bss part the kernel zeroes by a store).
    if (congruent) fileRanges.push({ start: s.vaddr - lead, len: pageEnd - (s.vaddr - lead), offset: from });
  }
  return { elf, fileRanges, brkReserve: reserve };
}
