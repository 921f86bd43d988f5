// Frames holding the read-only pages of executables, kept between execs in
// one worker (issue 22 speed). A shell loop execs the same busybox hundreds
// of times; each exec used to take ~450 fresh frames, zero them and copy the
// file's text into them (2-4 ms). Pages that no process can write without
// mprotect (a whole file page of a segment without PF_W) now map a frame
// kept here, copy-on-write (PTE_COW): every mapping holds one reference and
// this cache one more, so the first write in any space (after an mprotect
// that adds PROT_WRITE) gives that space a copy of its own
// (copy-on-write.ts) and the kept frame never changes.
//
// A file's frames are keyed by its bytes: exec-file.ts keeps the bytes of
// the last few unchanged executables per worker (one object per file
// version) and calls forget() when it drops one, which releases its frames.
// At most 1/64 of the run's frames are kept per worker; past that a page is
// copied as before. Kept frames count as guest memory in use (--memory): a
// run whose guests fill nearly all of it meets ENOMEM a little sooner.

import type { FramePool } from './frame-pool.js';
import type { GuestMemory } from './guest-memory.js';
import { PAGE_SIZE } from './page-bits.js';

interface KeptImage {
  /** The run's frames these belong to (a unit test may run several pools in one thread). */
  readonly data: SharedArrayBuffer;
  readonly pool: FramePool;
  /** File offset of a page -> frame holding file bytes [offset, offset + PAGE_SIZE). */
  readonly frames: Map<number, number>;
}

/** Each worker keeps at most this fraction of the run's frames (16 MiB of the default 1 GiB: busybox needs 1.8 MB). */
const BUDGET_DIVISOR = 64;

export class ImagePages {
  private readonly kept = new Map<Uint8Array, KeptImage>();
  private pages = 0;

  /**
   * A frame holding bytes [offset, offset + PAGE_SIZE) of `file` (the caller
   * maps it copy-on-write, which adds its own reference), or -1 when the
   * budget is spent. `offset` is page-aligned and the page lies inside the file.
   */
  frameFor(mem: GuestMemory, file: Uint8Array, offset: number): number {
    let image = this.kept.get(file);
    if (image && image.data !== mem.data) {
      this.forget(file);
      image = undefined;
    }
    const known = image?.frames.get(offset);
    if (known !== undefined) return known;
    if (this.pages >= mem.data.byteLength / PAGE_SIZE / BUDGET_DIVISOR) return -1;
    if (!image) {
      image = { data: mem.data, pool: mem.frames, frames: new Map() };
      this.kept.set(file, image);
    }
    const frame = image.pool.alloc(false);
    mem.u8.set(file.subarray(offset, offset + PAGE_SIZE), frame * PAGE_SIZE);
    image.frames.set(offset, frame);
    this.pages++;
    return frame;
  }

  /** The file's bytes are no longer kept: its frames lose this cache's reference. */
  forget(file: Uint8Array): void {
    const image = this.kept.get(file);
    if (!image) return;
    this.kept.delete(file);
    this.pages -= image.frames.size;
    image.pool.release([...image.frames.values()]);
  }

  /** Frames kept now (tests). */
  get keptPages(): number {
    return this.pages;
  }
}

/** This worker's kept image pages (module state: one per worker thread). */
export const imagePages = new ImagePages();
