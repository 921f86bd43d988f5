// Guest memory shared by every vCPU: one SharedArrayBuffer of 4 KiB host
// frames, a page table over the whole 32-bit guest address space, a frame
// allocator, and the code-page version table (QEMU's page descriptors).
//
// Frames are allocated lazily, on the first access to a mapped page, so a
// thread's 8 MiB stack costs only the pages it touches. All mutation happens
// under the mm lock; readers load PTEs atomically and never lock.

import { ResourceExhausted } from '../resource-exhausted.js';
import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';
import {
  NUM_PAGES, PAGE_BITS, PAGE_SIZE, PTE_CODE, PTE_FLAGS, PTE_MAPPED,
} from './page-bits.js';

export interface GuestMemoryBuffers {
  readonly data: SharedArrayBuffer;
  readonly control: SharedArrayBuffer;
}

const HDR_LOCK = 0;
const HDR_BUMP = 1; // next never-used frame
const HDR_FREE_TOP = 2; // entries on the free stack
const HDR_FRAMES = 3; // total frames
export const HDR_CODE_EPOCH = 4; // bumped whenever any code page is invalidated
const HDR_FRAMES_PEAK = 5;

export const MAX_MEMORY_MB = 2047;

function layoutFor(frames: number): SharedLayout {
  return new SharedLayout([
    { name: 'header', words: 16 },
    { name: 'pageTable', words: NUM_PAGES },
    { name: 'codeVersion', words: NUM_PAGES },
    { name: 'freeFrames', words: frames },
  ]);
}

export class OutOfGuestMemory extends ResourceExhausted {
  constructor(megabytes: number) {
    super(`guest memory exhausted (${megabytes} MiB); run with a larger --memory MB (at most ${MAX_MEMORY_MB})`);
    this.name = 'OutOfGuestMemory';
  }
}

export class GuestMemory {
  readonly data: SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly header: Int32Array;
  /** One PTE per guest page (see page-bits.ts). */
  readonly pageTable: Int32Array;
  /** Bumped each time a page's translated code is invalidated. */
  readonly codeVersion: Int32Array;
  private readonly freeFrames: Int32Array;
  private readonly lock: SharedLock;

  static create(megabytes: number): GuestMemoryBuffers {
    if (!Number.isInteger(megabytes) || megabytes < 16 || megabytes > MAX_MEMORY_MB) {
      throw new Error(`--memory must be a whole number of MiB between 16 and ${MAX_MEMORY_MB} (got ${megabytes})`);
    }
    const frames = (megabytes * 1024 * 1024) / PAGE_SIZE;
    const layout = layoutFor(frames);
    const control = new SharedArrayBuffer(layout.totalWords * 4);
    const header = layout.view(control, 'header');
    header[HDR_BUMP] = 1; // frame 0 is never handed out: frame number 0 means "none yet"
    header[HDR_FRAMES] = frames;
    return { data: new SharedArrayBuffer(frames * PAGE_SIZE), control };
  }

  constructor(buffers: GuestMemoryBuffers) {
    this.data = buffers.data;
    this.u8 = new Uint8Array(this.data);
    this.i32 = new Int32Array(this.data);
    const frames = this.data.byteLength / PAGE_SIZE;
    const layout = layoutFor(frames);
    this.header = layout.view(buffers.control, 'header');
    this.pageTable = layout.view(buffers.control, 'pageTable');
    this.codeVersion = layout.view(buffers.control, 'codeVersion');
    this.freeFrames = layout.view(buffers.control, 'freeFrames');
    this.lock = new SharedLock(this.header, HDR_LOCK);
  }

  get megabytes(): number {
    return this.data.byteLength / (1024 * 1024);
  }

  /** Frames in use now and at peak (for --stats). */
  frameStats(): { inUse: number; peak: number } {
    const inUse = Atomics.load(this.header, HDR_BUMP) - 1 - Atomics.load(this.header, HDR_FREE_TOP);
    return { inUse, peak: Atomics.load(this.header, HDR_FRAMES_PEAK) };
  }

  pte(page: number): number {
    return Atomics.load(this.pageTable, page);
  }

  withLock<T>(fn: () => T): T {
    return this.lock.withLock(fn);
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
      const frame = this.allocFrameLocked();
      Atomics.store(this.pageTable, page, (frame << PAGE_BITS) | (again & PTE_FLAGS));
      return frame * PAGE_SIZE;
    });
  }

  private allocFrameLocked(): number {
    const h = this.header;
    let frame: number;
    if (h[HDR_FREE_TOP]! > 0) {
      frame = this.freeFrames[--h[HDR_FREE_TOP]!]!;
      this.u8.fill(0, frame * PAGE_SIZE, (frame + 1) * PAGE_SIZE);
    } else if (h[HDR_BUMP]! < h[HDR_FRAMES]!) {
      frame = h[HDR_BUMP]!++;
    } else {
      throw new OutOfGuestMemory(this.megabytes);
    }
    const inUse = h[HDR_BUMP]! - 1 - h[HDR_FREE_TOP]!;
    if (inUse > h[HDR_FRAMES_PEAK]!) h[HDR_FRAMES_PEAK] = inUse;
    return frame;
  }

  /** Unmaps a page; its frame (if any) goes to `freed` for release once no TLB can reach it. */
  private unmapLocked(page: number, freed: number[]): void {
    const pte = this.pageTable[page]!;
    const frame = pte >>> PAGE_BITS;
    if (frame !== 0) freed.push(frame);
    if (pte & PTE_CODE) this.invalidateCode(page);
    Atomics.store(this.pageTable, page, 0);
  }

  /**
   * Returns frames to the allocator. Callers first make sure no vCPU's TLB
   * still points at them (a cross-vCPU flush), so no stale store can land in
   * a frame that has been handed out again.
   */
  releaseFrames(frames: readonly number[]): void {
    if (frames.length === 0) return;
    this.withLock(() => {
      for (const f of frames) this.freeFrames[this.header[HDR_FREE_TOP]!++] = f;
    });
  }

  /**
   * Maps [start, start+len) with PTE flags, replacing any earlier mapping.
   * Returns the replaced frames: release them (releaseFrames) after a TLB flush.
   */
  map(start: number, len: number, pteFlags: number): number[] {
    const freed: number[] = [];
    this.withLock(() => {
      for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) {
        this.unmapLocked(p, freed);
        Atomics.store(this.pageTable, p, PTE_MAPPED | pteFlags);
      }
    });
    return freed;
  }

  /** Unmaps a range; returns its frames for releaseFrames after a TLB flush. */
  unmap(start: number, len: number): number[] {
    const freed: number[] = [];
    this.withLock(() => {
      for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) this.unmapLocked(p, freed);
    });
    return freed;
  }

  /** Changes protections; false (and no change) if any page of the range is unmapped. */
  protect(start: number, len: number, pteFlags: number): boolean {
    return this.withLock(() => {
      const first = start >>> PAGE_BITS;
      const n = pageCount(len);
      for (let i = 0; i < n; i++) if (!(this.pageTable[first + i]! & PTE_MAPPED)) return false;
      for (let i = 0; i < n; i++) {
        const pte = this.pageTable[first + i]!;
        Atomics.store(this.pageTable, first + i, (pte & ~(PTE_FLAGS & ~PTE_CODE)) | PTE_MAPPED | pteFlags);
      }
      return true;
    });
  }

  /**
   * Takes the frames of a range but keeps it mapped (madvise DONTNEED: it
   * reads as zero again). Returns the frames for releaseFrames after a TLB flush.
   */
  discard(start: number, len: number): number[] {
    const freed: number[] = [];
    this.withLock(() => {
      for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) {
        const pte = this.pageTable[p]!;
        if (!(pte & PTE_MAPPED) || pte >>> PAGE_BITS === 0) continue;
        if (pte & PTE_CODE) this.invalidateCode(p);
        freed.push(pte >>> PAGE_BITS);
        Atomics.store(this.pageTable, p, pte & (PTE_FLAGS & ~PTE_CODE));
      }
    });
    return freed;
  }

  isRangeUnmapped(start: number, len: number): boolean {
    for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) {
      if (Atomics.load(this.pageTable, p) & PTE_MAPPED) return false;
    }
    return true;
  }

  isRangeMapped(start: number, len: number): boolean {
    for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) {
      if (!(Atomics.load(this.pageTable, p) & PTE_MAPPED)) return false;
    }
    return true;
  }

  // ---- translated-code tracking ----

  /** Marks a page as holding translated code; returns its current version. */
  markCode(page: number): number {
    Atomics.or(this.pageTable, page, PTE_CODE);
    return Atomics.load(this.codeVersion, page);
  }

  /**
   * A store hit a code page: drop the CODE mark and bump the version so every
   * vCPU discards its translations of the page. Returns true if this call did it.
   */
  invalidateCode(page: number): boolean {
    const old = Atomics.and(this.pageTable, page, ~PTE_CODE);
    if (!(old & PTE_CODE)) return false;
    Atomics.add(this.codeVersion, page, 1);
    Atomics.add(this.header, HDR_CODE_EPOCH, 1);
    return true;
  }

  /** Changes whenever any page's code is invalidated. */
  codeEpoch(): number {
    return Atomics.load(this.header, HDR_CODE_EPOCH);
  }

  /** Treats a range as rewritten code (cacheflush, munmap, mprotect). */
  invalidateCodeRange(start: number, len: number): void {
    for (let p = start >>> PAGE_BITS, n = pageCount(len); n > 0; p++, n--) this.invalidateCode(p);
  }

}

/** Pages covered by len bytes from a page-aligned start. */
export function pageCount(len: number): number {
  return Math.ceil(len / PAGE_SIZE);
}
