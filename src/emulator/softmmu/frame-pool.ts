// The frame allocator of a run: one SharedArrayBuffer shared by every address
// space (process), holding the free-frame stack and, per frame, how many page
// table entries map it. Frames shared between spaces (MAP_SHARED after fork,
// SysV shm, copy-on-write pages) carry one reference per mapping and go back
// to the free stack when the last one is dropped.
//
// Everything happens under the pool lock. It nests inside an address space's
// mm lock, never the other way round.

import { ResourceExhausted } from '../resource-exhausted.js';
import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';
import { PAGE_SIZE } from './page-bits.js';

export const MAX_MEMORY_MB = 2047;

// pool header words
const POOL_LOCK = 0;
const POOL_BUMP = 1; // next never-used frame
const POOL_FREE_TOP = 2; // entries on the free stack
const POOL_FRAMES = 3; // total frames
const POOL_PEAK = 5;

function poolLayout(frames: number): SharedLayout {
  return new SharedLayout([
    { name: 'header', words: 16 },
    { name: 'freeFrames', words: frames },
    { name: 'frameRefs', words: frames },
  ]);
}

export class OutOfGuestMemory extends ResourceExhausted {
  constructor(megabytes: number) {
    super(`guest memory exhausted (${megabytes} MiB); run with a larger --memory MB (at most ${MAX_MEMORY_MB})`);
    this.name = 'OutOfGuestMemory';
  }
}

export class FramePool {
  private readonly header: Int32Array;
  private readonly freeFrames: Int32Array;
  /** Page table entries mapping each frame. */
  private readonly frameRefs: Int32Array;
  private readonly lock: SharedLock;

  /** The pool buffer for `frames` frames; frame 0 is never handed out (frame number 0 means "none yet"). */
  static createBuffer(frames: number): SharedArrayBuffer {
    const pool = new SharedArrayBuffer(poolLayout(frames).totalWords * 4);
    const header = poolLayout(frames).view(pool, 'header');
    header[POOL_BUMP] = 1;
    header[POOL_FRAMES] = frames;
    return pool;
  }

  /** pool: the run's pool buffer; u8: the frames, to zero and copy them. */
  constructor(pool: SharedArrayBuffer, private readonly u8: Uint8Array) {
    const pl = poolLayout(u8.byteLength / PAGE_SIZE);
    this.header = pl.view(pool, 'header');
    this.freeFrames = pl.view(pool, 'freeFrames');
    this.frameRefs = pl.view(pool, 'frameRefs');
    this.lock = new SharedLock(this.header, POOL_LOCK);
  }

  private get megabytes(): number {
    return this.u8.byteLength / (1024 * 1024);
  }

  /** Frames in use now and at peak (for --stats). */
  stats(): { inUse: number; peak: number } {
    // Lock-free readers: each word is read whole, the pair may be a moment apart.
    const inUse = Atomics.load(this.header, POOL_BUMP) - 1 - Atomics.load(this.header, POOL_FREE_TOP);
    return { inUse, peak: Atomics.load(this.header, POOL_PEAK) };
  }

  /** A frame with one reference, zeroed unless `zero` is false (its bytes are overwritten at once). */
  alloc(zero = true): number {
    return this.lock.withLock(() => this.takeLocked(zero));
  }

  /** alloc's body, under the pool lock. */
  private takeLocked(zero: boolean): number {
    const h = this.header;
    let frame: number;
    if (h[POOL_FREE_TOP]! > 0) {
      frame = this.freeFrames[--h[POOL_FREE_TOP]!]!;
      if (zero) this.u8.fill(0, frame * PAGE_SIZE, (frame + 1) * PAGE_SIZE);
    } else if (h[POOL_BUMP]! < h[POOL_FRAMES]!) {
      frame = h[POOL_BUMP]!++;
    } else {
      throw new OutOfGuestMemory(this.megabytes);
    }
    this.frameRefs[frame] = 1;
    const inUse = h[POOL_BUMP]! - 1 - h[POOL_FREE_TOP]!;
    if (inUse > h[POOL_PEAK]!) h[POOL_PEAK] = inUse;
    return frame;
  }

  /** One more page table entry maps each of these frames. */
  addRefs(frames: readonly number[]): void {
    if (frames.length === 0) return;
    this.lock.withLock(() => {
      for (const f of frames) this.frameRefs[f]!++;
    });
  }

  /**
   * A copy-on-write page's frame for a space that is about to write: the
   * frame itself when no other entry maps it, else a fresh copy of its bytes
   * (the old frame loses this space's reference). Deciding, copying and
   * dropping under one lock: two spaces breaking the same frame at once
   * cannot both keep it, and the last one never writes into a frame still
   * being copied.
   */
  ownCopy(frame: number): number {
    return this.lock.withLock(() => {
      if (this.frameRefs[frame] === 1) return frame;
      const copy = this.takeLocked(false);
      this.u8.copyWithin(copy * PAGE_SIZE, frame * PAGE_SIZE, (frame + 1) * PAGE_SIZE);
      this.frameRefs[frame]!--;
      return copy;
    });
  }

  /**
   * Drops one reference per frame; a frame no entry maps any more goes back
   * to the free stack. Callers first make sure no vCPU's TLB still points
   * at them (a cross-vCPU flush), so no stale store can land in a frame that
   * has been handed out again.
   */
  release(frames: readonly number[]): void {
    if (frames.length === 0) return;
    this.lock.withLock(() => {
      for (const f of frames) if (--this.frameRefs[f]! === 0) this.freeFrames[this.header[POOL_FREE_TOP]!++] = f;
    });
  }
}
