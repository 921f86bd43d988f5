// Guest memory shared by every vCPU: one SharedArrayBuffer of 4 KiB host
// frames, a page table over the whole 32-bit guest address space, a frame
// allocator, and the code-page version table (QEMU's page descriptors).
//
// Frames are allocated lazily, on the first access to a mapped page, so a
// thread's 8 MiB stack costs only the pages it touches. All mutation happens
// under the mm lock; readers load PTEs atomically and never lock.
//
// TLB users. Beside each PTE is a word naming the vCPU(s) whose TLB may hold
// an entry for the page (tlb-users.ts). A change of a PTE stores the PTE
// *before* it reads that word, so the shootdown it asks for reaches every
// TLB that can hold a stale entry for the page.
//
// The frames' allocator and reference counts are frame-pool.ts; fork's copy
// and copy-on-write pages are copy-on-write.ts; the tracking of pages that
// hold translated code is code-pages.ts.

import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';
import { CodePages } from './code-pages.js';
import { mergeTlbUsers, noteTlbUser } from './tlb-users.js';
import { breakAllCow, breakCow, copySpace } from './copy-on-write.js';
import { FramePool, MAX_MEMORY_MB } from './frame-pool.js';
import { SPARE_SPACES, SpareSpaces, type SpareSpaceBuffers } from './spare-spaces.js';
import {
  NUM_PAGES, PAGE_BITS, PAGE_SIZE, PTE_CODE, PTE_COW, PTE_EXEC, PTE_FLAGS, PTE_MAPPED, PTE_READ, PTE_SHARED, PTE_SHARED_FILE, PTE_WRITE,
} from './page-bits.js';

export interface GuestMemoryBuffers {
  /** The frames, run-wide: every address space (process) maps frames of this one buffer. */
  readonly data: SharedArrayBuffer;
  /** The frame allocator, run-wide: free frames and how many page table entries map each frame. */
  readonly pool: SharedArrayBuffer;
  /** This address space: page table, code versions, TLB users, the mm lock. */
  readonly control: SharedArrayBuffer;
  /** Run-wide: spare control buffers for new spaces (spare-spaces.ts). */
  readonly spares: SpareSpaceBuffers;
}

const HDR_LOCK = 0; // the address space's mm lock
export const HDR_CODE_EPOCH = 4; // bumped whenever any code page is invalidated (code-pages.ts)
const HDR_COW = 5; // 1 once a fork may have left copy-on-write pages in this space
const HDR_SPARE = 6; // n >= 1 when this control buffer is the run's spare number n (spare-spaces.ts), else 0

/** Pages per block of the mapped-page counts (4 MiB): the mmap allocator skips whole free or full blocks. */
export const PAGES_PER_BLOCK = 1024;
export const BLOCK_SHIFT = 10;

/** The result of an address-space change: frames to release and whose TLBs to flush, then release. */
export interface Remap {
  /** Frames no page maps any more: release them (releaseFrames) after the TLB flush. */
  readonly freed: number[];
  /** Which vCPUs' TLBs may hold entries for the changed pages (see mergeTlbUsers). */
  readonly tlbUsers: number;
}

const SPACE_LAYOUT = new SharedLayout([
  { name: 'header', words: 16 },
  { name: 'pageTable', words: NUM_PAGES },
  { name: 'codeVersion', words: NUM_PAGES },
  { name: 'codeExtent', words: NUM_PAGES },
  { name: 'tlbUsers', words: NUM_PAGES },
  { name: 'mappedPerBlock', words: NUM_PAGES / PAGES_PER_BLOCK },
]);

export class GuestMemory {
  readonly data: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly header: Int32Array;
  /** One PTE per guest page (see page-bits.ts). */
  readonly pageTable: Int32Array;
  /** Bumped each time a page's translated code is invalidated. */
  readonly codeVersion: Int32Array;
  /** The pages that hold translated code: their extents, versions and the code epoch (code-pages.ts). */
  private readonly code: CodePages;
  /** Per page: which vCPUs' TLBs may hold an entry for it (tlb-users.ts). */
  readonly tlbUsers: Int32Array;
  /** Mapped pages per 4 MiB block (changed under the mm lock, with the PTEs). */
  readonly mappedPerBlock: Int32Array;
  /** The run's frame allocator, with each frame's references (fork shares frames between processes). */
  readonly frames: FramePool;
  private readonly lock: SharedLock;

  /**
   * The frames and their allocator for a run, and a first, empty address space
   * over them, with `spares` spare control buffers for later spaces
   * (spare-spaces.ts). A test that makes many memories and never forks
   * passes 0: each spare is 16 MiB that glibc may clear on allocation.
   */
  static create(megabytes: number, spares: number = SPARE_SPACES): GuestMemoryBuffers {
    if (!Number.isInteger(megabytes) || megabytes < 16 || megabytes > MAX_MEMORY_MB) {
      throw new Error(`--memory must be a whole number of MiB between 16 and ${MAX_MEMORY_MB} (got ${megabytes})`);
    }
    const frames = (megabytes * 1024 * 1024) / PAGE_SIZE;
    const pool = FramePool.createBuffer(frames);
    const spareBuffers = SpareSpaces.create(spares, SPACE_LAYOUT.totalWords * 4, (b, n) => {
      SPACE_LAYOUT.view(b, 'header')[HDR_SPARE] = n;
    });
    return { data: new SharedArrayBuffer(frames * PAGE_SIZE), pool, control: new SharedArrayBuffer(SPACE_LAYOUT.totalWords * 4), spares: spareBuffers };
  }

  /** A new, empty address space over the same frames (fork, execve): a spare control buffer when one is free. */
  newSpace(): GuestMemoryBuffers {
    const control = this.spareSpaces.take() ?? new SharedArrayBuffer(SPACE_LAYOUT.totalWords * 4);
    return { data: this.data, pool: this.pool, control, spares: this.spares };
  }

  /**
   * The end of this address space (its process ended, execve replaced it, or
   * a failed execve drops the image it loaded): every page is unmapped and
   * its frames released (releaseAll), and a spare control buffer goes back
   * to the run. Nothing may use this GuestMemory afterwards.
   */
  retire(): void {
    this.releaseAll();
    const n = Atomics.load(this.header, HDR_SPARE);
    if (n === 0) return;
    this.mayHaveCow = false;
    this.spareSpaces.give(n);
  }

  private readonly pool: SharedArrayBuffer;
  private readonly spares: SpareSpaceBuffers;
  private readonly spareSpaces: SpareSpaces;

  constructor(buffers: GuestMemoryBuffers) {
    this.data = buffers.data;
    this.pool = buffers.pool;
    this.spares = buffers.spares;
    this.spareSpaces = new SpareSpaces(buffers.spares);
    this.u8 = new Uint8Array(this.data);
    this.i32 = new Int32Array(this.data);
    this.frames = new FramePool(buffers.pool, this.u8);
    this.header = SPACE_LAYOUT.view(buffers.control, 'header');
    this.pageTable = SPACE_LAYOUT.view(buffers.control, 'pageTable');
    this.codeVersion = SPACE_LAYOUT.view(buffers.control, 'codeVersion');
    this.tlbUsers = SPACE_LAYOUT.view(buffers.control, 'tlbUsers');
    this.mappedPerBlock = SPACE_LAYOUT.view(buffers.control, 'mappedPerBlock');
    this.lock = new SharedLock(this.header, HDR_LOCK);
    const codeExtent = SPACE_LAYOUT.view(buffers.control, 'codeExtent');
    this.code = new CodePages(this.pageTable, this.codeVersion, codeExtent, this.header, HDR_CODE_EPOCH, () => this.onCodeInvalidated?.());
  }

  get megabytes(): number {
    return this.data.byteLength / (1024 * 1024);
  }

  /** Frames in use now and at peak (for --stats). */
  frameStats(): { inUse: number; peak: number } {
    return this.frames.stats();
  }

  pte(page: number): number {
    return Atomics.load(this.pageTable, page);
  }

  withLock<T>(fn: () => T): T {
    return this.lock.withLock(fn);
  }

  /**
   * A TLB fill by vCPU `who` (slot + 1, or TLB_USER_MANY when unknown) is
   * about to read page's PTE: record it first (tlb-users.ts).
   */
  noteTlbUser(page: number, who: number): void {
    noteTlbUser(this.tlbUsers, page, who);
  }

  /**
   * Host byte offset of a mapped page's frame, allocating (zeroed) on first
   * touch. Returns -1 if the page is not mapped.
   */
  frameOffset(page: number): number {
    const pte = Atomics.load(this.pageTable, page);
    if (!(pte & PTE_MAPPED)) return -1;
    if (pte >>> PAGE_BITS !== 0) return (pte >>> PAGE_BITS) * PAGE_SIZE;
    return this.withLock(() => {
      const again = Atomics.load(this.pageTable, page);
      if (!(again & PTE_MAPPED)) return -1;
      if (again >>> PAGE_BITS !== 0) return (again >>> PAGE_BITS) * PAGE_SIZE;
      const frame = this.frames.alloc();
      Atomics.store(this.pageTable, page, (frame << PAGE_BITS) | (again & PTE_FLAGS));
      return frame * PAGE_SIZE;
    });
  }

  /**
   * Unmaps a page; its frame (if any) goes to `freed` for release once no TLB
   * can reach it. Returns the page's TLB users (and forgets them when the page
   * stays unmapped: a fill from now on finds no mapping).
   */
  private unmapLocked(page: number, freed: number[], remapping: boolean): number {
    const pte = this.pageTable[page]!;
    if (!(pte & PTE_MAPPED)) return 0;
    const frame = pte >>> PAGE_BITS;
    if (frame !== 0) freed.push(frame);
    if (pte & PTE_CODE) this.invalidateCode(page);
    // The PTE store comes before the users load (a racing fill is seen or sees the change).
    Atomics.store(this.pageTable, page, 0);
    Atomics.sub(this.mappedPerBlock, page >>> BLOCK_SHIFT, 1);
    return remapping ? Atomics.load(this.tlbUsers, page) : Atomics.exchange(this.tlbUsers, page, 0);
  }

  /** fork: fills `child` with a copy of this space, eagerly or copy-on-write (copy-on-write.ts). */
  copyInto(child: GuestMemory, cow = false): void {
    copySpace(this, child, cow);
  }

  /** Before a write to a copy-on-write page: the page gets a frame of its own (copy-on-write.ts). */
  breakCow(page: number): void {
    breakCow(this, page);
  }

  /** Set by the vCPU running in this space: drops its TLB entry of a page whose frame breakCow changed. */
  onFrameMoved: ((page: number) => void) | null = null;

  /** Breaks every copy-on-write page (before a second vCPU runs in this space); true if there were any. */
  breakAllCow(): boolean {
    return breakAllCow(this);
  }

  /** Set once a fork may have left copy-on-write pages in this space; cleared by breakAllCow. */
  get mayHaveCow(): boolean {
    return Atomics.load(this.header, HDR_COW) !== 0;
  }

  set mayHaveCow(on: boolean) {
    // Read without the mm lock by a space about to start its second vCPU.
    Atomics.store(this.header, HDR_COW, on ? 1 : 0);
  }

  /** Calls fn for every page of the 4 MiB blocks that have mapped pages (fn checks the PTE). */
  forEachPageOfMappedBlocks(fn: (page: number) => void): void {
    for (let block = 0; block < this.mappedPerBlock.length; block++) {
      // Lock-free: a caller without the mm lock visits the blocks mapped when it looks.
      if (Atomics.load(this.mappedPerBlock, block) === 0) continue;
      for (let page = block << BLOCK_SHIFT, end = page + PAGES_PER_BLOCK; page < end; page++) fn(page);
    }
  }

  /**
   * Unmaps the whole address space (the process ended, or execve replaced
   * it). Its frames are released at once: no thread of this space runs any
   * more, and a vCPU flushes its TLB before it runs another thread.
   */
  releaseAll(): void {
    const freed: number[] = [];
    this.withLock(() => this.forEachPageOfMappedBlocks((page) => this.unmapLocked(page, freed, false)));
    this.releaseFrames(freed);
  }

  /**
   * Returns frames to the allocator. Callers first make sure no vCPU's TLB
   * still points at them (a cross-vCPU flush), so no stale store can land in
   * a frame that has been handed out again.
   */
  releaseFrames(frames: readonly number[]): void {
    // A frame another address space still maps (MAP_SHARED after fork) only loses a reference.
    this.frames.release(frames);
  }

  /**
   * Maps [start, start+len) with PTE flags, replacing any earlier mapping.
   * Flush the returned TLB users' entries, then release the replaced frames.
   */
  map(start: number, len: number, pteFlags: number): Remap {
    const freed: number[] = [];
    let tlbUsers = 0;
    this.withLock(() => {
      for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) {
        tlbUsers = mergeTlbUsers(tlbUsers, this.unmapLocked(p, freed, true));
        Atomics.store(this.pageTable, p, PTE_MAPPED | pteFlags);
        Atomics.add(this.mappedPerBlock, p >>> BLOCK_SHIFT, 1);
      }
    });
    return { freed, tlbUsers };
  }

  /**
   * n zeroed frames with one reference each, for a SysV shared memory
   * segment (linux-user/shm-table.ts), which releases them when it ends.
   */
  allocFrames(n: number): number[] {
    const out: number[] = [];
    try {
      for (let k = 0; k < n; k++) out.push(this.frames.alloc());
    } catch (e) {
      this.releaseFrames(out);
      throw e;
    }
    return out;
  }

  /**
   * Maps the given frames (one per page from start) shared (PTE_SHARED, as
   * MAP_SHARED memory), each gaining a reference, replacing any earlier
   * mapping. Flush the returned TLB users' entries, then release the replaced frames.
   */
  mapFrames(start: number, frames: readonly number[], pteFlags: number): Remap {
    const freed: number[] = [];
    let tlbUsers = 0;
    this.withLock(() => {
      this.frames.addRefs(frames);
      frames.forEach((f, k) => {
        const p = (start >>> PAGE_BITS) + k;
        tlbUsers = mergeTlbUsers(tlbUsers, this.unmapLocked(p, freed, true));
        Atomics.store(this.pageTable, p, (f << PAGE_BITS) | PTE_MAPPED | PTE_SHARED | pteFlags);
        Atomics.add(this.mappedPerBlock, p >>> BLOCK_SHIFT, 1);
      });
    });
    return { freed, tlbUsers };
  }

  /** Unmaps a range. Flush the returned TLB users' entries, then release the frames. */
  unmap(start: number, len: number): Remap {
    const freed: number[] = [];
    let tlbUsers = 0;
    this.withLock(() => {
      for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) {
        tlbUsers = mergeTlbUsers(tlbUsers, this.unmapLocked(p, freed, false));
      }
    });
    return { freed, tlbUsers };
  }

  /**
   * Changes protections; null (and no change) if any page of the range is
   * unmapped. Only a change that takes a permission away needs a flush: an
   * entry made under fewer permissions just misses and is refilled.
   */
  protect(start: number, len: number, pteFlags: number): Remap | null {
    return this.withLock(() => {
      const first = start >>> PAGE_BITS;
      const n = pageCount(len);
      for (let i = 0; i < n; i++) if (!(this.pageTable[first + i]! & PTE_MAPPED)) return null;
      let tlbUsers = 0;
      for (let i = 0; i < n; i++) {
        const pte = this.pageTable[first + i]!;
        Atomics.store(this.pageTable, first + i, (pte & ~(PTE_FLAGS & ~PTE_CODE & ~PTE_SHARED & ~PTE_SHARED_FILE & ~PTE_COW)) | PTE_MAPPED | pteFlags);
        const removed = pte & (PTE_READ | PTE_WRITE | PTE_EXEC) & ~pteFlags;
        // Translations of a page that is no longer executable must not run again.
        if (removed & PTE_EXEC && pte & PTE_CODE) this.invalidateCode(first + i);
        // PTE store, then users load, as in unmapLocked.
        if (removed) tlbUsers = mergeTlbUsers(tlbUsers, Atomics.load(this.tlbUsers, first + i));
      }
      return { freed: [], tlbUsers };
    });
  }

  /**
   * Takes the frames of a range but keeps it mapped (madvise DONTNEED: it
   * reads as zero again; shared pages keep theirs). Flush the returned TLB users' entries, then release the frames.
   */
  discard(start: number, len: number): Remap {
    const freed: number[] = [];
    let tlbUsers = 0;
    this.withLock(() => {
      for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) {
        const pte = this.pageTable[p]!;
        // Shared pages (MAP_SHARED, SysV shm) keep their bytes, as in Linux.
        if (!(pte & PTE_MAPPED) || pte >>> PAGE_BITS === 0 || pte & PTE_SHARED) continue;
        if (pte & PTE_CODE) this.invalidateCode(p);
        freed.push(pte >>> PAGE_BITS);
        Atomics.store(this.pageTable, p, pte & (PTE_FLAGS & ~PTE_CODE));
        tlbUsers = mergeTlbUsers(tlbUsers, Atomics.load(this.tlbUsers, p));
      }
    });
    return { freed, tlbUsers };
  }

  isRangeUnmapped(start: number, len: number): boolean {
    for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) {
      if (Atomics.load(this.pageTable, p) & PTE_MAPPED) return false;
    }
    return true;
  }

  /** True if some page of the range has PTE flag `flag`. */
  anyPageWith(start: number, len: number, flag: number): boolean {
    for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) {
      if (Atomics.load(this.pageTable, p) & flag) return true;
    }
    return false;
  }

  isRangeMapped(start: number, len: number): boolean {
    for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) {
      if (!(Atomics.load(this.pageTable, p) & PTE_MAPPED)) return false;
    }
    return true;
  }

  // ---- translated-code tracking (code-pages.ts) ----

  /** Marks a page as holding translated code; returns its current version. */
  markCode(page: number): number {
    return this.code.mark(page);
  }

  /** Widens a code page's extent to cover bytes [lo, hi) of the page (a new TB, after markCode). */
  noteCodeBytes(page: number, lo: number, hi: number): void {
    this.code.noteBytes(page, lo, hi);
  }

  /** A write to bytes [off, off+len) of a code page: true if it invalidated the page's code. */
  codeWrite(page: number, off: number, len: number): boolean {
    return this.code.write(page, off, len);
  }

  /** Drops a page's translations (its CODE mark goes, its version moves on); true if this call did it. */
  invalidateCode(page: number): boolean {
    return this.code.invalidate(page);
  }

  /**
   * Set by the vCPU running in this space: asks every vCPU to look at the
   * code epoch (compiled regions test only their pending-request word at a
   * back-edge, not the epoch; exec/vcpu-table.ts REQ_CODE).
   */
  onCodeInvalidated: (() => void) | null = null;

  /** Changes whenever any page's code is invalidated. */
  codeEpoch(): number {
    return this.code.epoch();
  }

  /** Treats [start, start+len) as rewritten code (cacheflush): invalidates the code pages it overlaps. */
  invalidateCodeRange(start: number, len: number): void {
    this.code.invalidateRange(start, len);
  }
}

/** Pages covered by len bytes from a page-aligned start. */
export function pageCount(len: number): number {
  return Math.ceil(len / PAGE_SIZE);
}
