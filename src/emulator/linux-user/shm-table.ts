// System V shared memory segments of a run (the kernel's ipc/shm.c), shared
// by every guest process: the segments (key, size, owner, mode, times,
// attach count, the guest-memory frames that hold their bytes) and the
// attachments (which address space maps which segment where).
//
// A segment's frames come from the run's frame pool (softmmu/guest-memory.ts)
// and hold one reference of the segment's own; every attachment maps them
// with PTE_SHARED (a reference per page table entry), so fork shares them
// and an atomic instruction on a segment works on the one frame every
// process and alias sees: each strategy keeps its guarantee there as on any
// shared page. The segment's reference goes when it is removed (IPC_RMID)
// and no longer attached; the frames go back to the pool with the last
// reference.

import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';

export const MAX_SEGMENTS = 128;
/** Pages all segments together may hold (256 MiB). */
export const MAX_SHM_PAGES = 65536;
export const MAX_ATTACHES = 1024;

// segment record
const S_STATE = 0; // 0 free, 1 live, 2 removed (IPC_RMID) but still attached
const S_KEY = 1;
const S_SEQ = 2;
const S_SIZE = 3;
const S_PAGES = 4;
const S_FIRST = 5; // index of its first frame in the frames region
const S_MODE = 6;
const S_CPID = 7;
const S_LPID = 8;
const S_NATTCH = 9;
const S_ATIME = 10;
const S_DTIME = 11;
const S_CTIME = 12;
const S_UID = 13;
const S_GID = 14;
const S_WORDS = 16;

// attachment record
const A_SPACE = 0; // address space id, 0 = free
const A_ADDR = 1;
const A_SEGMENT = 2;
const A_PAGES = 3;
const A_WORDS = 4;

const LAYOUT = new SharedLayout([
  { name: 'header', words: 16 },
  { name: 'segments', words: MAX_SEGMENTS * S_WORDS },
  { name: 'frames', words: MAX_SHM_PAGES }, // frame numbers (>= 1), 0 = free slot
  { name: 'attaches', words: MAX_ATTACHES * A_WORDS },
]);
const H_LOCK = 0;

export interface SegmentInfo {
  readonly index: number;
  readonly id: number;
  readonly key: number;
  readonly size: number;
  readonly mode: number;
  readonly cpid: number;
  readonly lpid: number;
  readonly nattch: number;
  readonly atime: number;
  readonly dtime: number;
  readonly ctime: number;
  readonly uid: number;
  readonly gid: number;
  readonly removed: boolean;
  readonly seq: number;
}

/** Frames a segment gives up when it ends: hand them to GuestMemory.releaseFrames. */
export type FreedFrames = number[];

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export class ShmTable {
  private readonly h: Int32Array;
  private readonly seg: Int32Array;
  private readonly frames: Int32Array;
  private readonly att: Int32Array;
  private readonly lock: SharedLock;

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(LAYOUT.totalWords * 4);
  }

  constructor(buffer: SharedArrayBuffer) {
    this.h = LAYOUT.view(buffer, 'header');
    this.seg = LAYOUT.view(buffer, 'segments');
    this.frames = LAYOUT.view(buffer, 'frames');
    this.att = LAYOUT.view(buffer, 'attaches');
    this.lock = new SharedLock(this.h, H_LOCK);
  }

  withLock<T>(fn: () => T): T {
    return this.lock.withLock(fn);
  }

  /** shmid of segment index i: the index plus its reuse count times MAX_SEGMENTS (the kernel's ipc ids). */
  private idOf(i: number): number {
    return this.seg[i * S_WORDS + S_SEQ]! * MAX_SEGMENTS + i;
  }

  /** The segment index of a shmid, or -1 (under the lock). */
  indexOfId(id: number): number {
    if (!Number.isInteger(id) || id < 0) return -1;
    const i = id % MAX_SEGMENTS;
    if (this.seg[i * S_WORDS + S_STATE] === 0 || this.idOf(i) !== id) return -1;
    return i;
  }

  /** The live (not removed) segment with this key, or -1 (under the lock). */
  indexOfKey(key: number): number {
    for (let i = 0; i < MAX_SEGMENTS; i++) {
      const b = i * S_WORDS;
      if (this.seg[b + S_STATE] === 1 && this.seg[b + S_KEY] === key) return i;
    }
    return -1;
  }

  info(i: number): SegmentInfo {
    const b = i * S_WORDS;
    const w = this.seg;
    return {
      index: i, id: this.idOf(i), key: w[b + S_KEY]!, size: w[b + S_SIZE]! >>> 0, mode: w[b + S_MODE]!, cpid: w[b + S_CPID]!,
      lpid: w[b + S_LPID]!, nattch: w[b + S_NATTCH]!, atime: w[b + S_ATIME]!, dtime: w[b + S_DTIME]!, ctime: w[b + S_CTIME]!,
      uid: w[b + S_UID]!, gid: w[b + S_GID]!, removed: w[b + S_STATE] === 2, seq: w[b + S_SEQ]!,
    };
  }

  /**
   * A new segment (under the lock) over `frames` (allocated by the caller):
   * its index, or -1 when the table or the frame slots are full.
   */
  create(key: number, size: number, frames: readonly number[], mode: number, pid: number, uid: number, gid: number): number {
    const i = this.freeSegment();
    const first = i < 0 ? -1 : this.freeFrameRun(frames.length);
    if (i < 0 || first < 0) return -1;
    this.frames.set(frames, first);
    const b = i * S_WORDS;
    const w = this.seg;
    const seq = w[b + S_SEQ]!;
    w.fill(0, b, b + S_WORDS);
    w[b + S_SEQ] = seq;
    w[b + S_KEY] = key;
    w[b + S_SIZE] = size;
    w[b + S_PAGES] = frames.length;
    w[b + S_FIRST] = first;
    w[b + S_MODE] = mode & 0o777;
    w[b + S_CPID] = pid;
    w[b + S_CTIME] = nowSeconds();
    w[b + S_UID] = uid;
    w[b + S_GID] = gid;
    w[b + S_STATE] = 1;
    return i;
  }

  private freeSegment(): number {
    for (let i = 0; i < MAX_SEGMENTS; i++) if (this.seg[i * S_WORDS + S_STATE] === 0) return i;
    return -1;
  }

  private freeFrameRun(n: number): number {
    let run = 0;
    for (let k = 0; k < MAX_SHM_PAGES; k++) {
      run = this.frames[k] === 0 ? run + 1 : 0;
      if (run === n) return k - n + 1;
    }
    return -1;
  }

  /** The frames of segment i. */
  framesOf(i: number): number[] {
    const b = i * S_WORDS;
    const first = this.seg[b + S_FIRST]!;
    return Array.from(this.frames.subarray(first, first + this.seg[b + S_PAGES]!));
  }

  /** IPC_SET: the low 9 mode bits, uid and gid. */
  setOwner(i: number, uid: number, gid: number, mode: number): void {
    const b = i * S_WORDS;
    this.seg[b + S_UID] = uid;
    this.seg[b + S_GID] = gid;
    this.seg[b + S_MODE] = (this.seg[b + S_MODE]! & ~0o777) | (mode & 0o777);
    this.seg[b + S_CTIME] = nowSeconds();
  }

  /** SHM_LOCK / SHM_UNLOCK: the SHM_LOCKED mode bit (nothing is ever swapped out here). */
  setLocked(i: number, lockedBit: number, on: boolean): void {
    const b = i * S_WORDS;
    this.seg[b + S_MODE] = on ? this.seg[b + S_MODE]! | lockedBit : this.seg[b + S_MODE]! & ~lockedBit;
    this.seg[b + S_CTIME] = nowSeconds();
  }

  /** IPC_RMID: the key is free again; the segment ends with its last detach. Returns frames to release, if it ended. */
  remove(i: number): FreedFrames {
    const b = i * S_WORDS;
    this.seg[b + S_STATE] = 2;
    this.seg[b + S_KEY] = 0;
    this.seg[b + S_CTIME] = nowSeconds();
    return this.endIfUnused(i);
  }

  private endIfUnused(i: number): FreedFrames {
    const b = i * S_WORDS;
    if (this.seg[b + S_STATE] !== 2 || this.seg[b + S_NATTCH]! > 0) return [];
    const freed = this.framesOf(i);
    this.frames.fill(0, this.seg[b + S_FIRST]!, this.seg[b + S_FIRST]! + this.seg[b + S_PAGES]!);
    this.seg[b + S_STATE] = 0;
    this.seg[b + S_SEQ] = (this.seg[b + S_SEQ]! + 1) & 0x3fffff;
    return freed;
  }

  /** Records an attachment (under the lock); false when the attachment table is full. */
  attach(i: number, space: number, addr: number, pages: number, pid: number): boolean {
    for (let a = 0; a < MAX_ATTACHES; a++) {
      const b = a * A_WORDS;
      if (this.att[b + A_SPACE] !== 0) continue;
      this.att[b + A_ADDR] = addr;
      this.att[b + A_SEGMENT] = i;
      this.att[b + A_PAGES] = pages;
      this.att[b + A_SPACE] = space;
      const s = i * S_WORDS;
      this.seg[s + S_NATTCH]!++;
      this.seg[s + S_LPID] = pid;
      this.seg[s + S_ATIME] = nowSeconds();
      return true;
    }
    return false;
  }

  /** The attachment of `space` at exactly addr: [record index, pages], or null (under the lock). */
  findAttach(space: number, addr: number): { rec: number; pages: number } | null {
    for (let a = 0; a < MAX_ATTACHES; a++) {
      const b = a * A_WORDS;
      if (this.att[b + A_SPACE] === space && this.att[b + A_ADDR] === (addr | 0)) return { rec: a, pages: this.att[b + A_PAGES]! };
    }
    return null;
  }

  /** Drops attachment record `rec` (under the lock); returns frames to release if its segment ended. */
  detach(rec: number, pid: number): FreedFrames {
    const b = rec * A_WORDS;
    const i = this.att[b + A_SEGMENT]!;
    this.att.fill(0, b, b + A_WORDS);
    const s = i * S_WORDS;
    this.seg[s + S_NATTCH]!--;
    this.seg[s + S_LPID] = pid;
    this.seg[s + S_DTIME] = nowSeconds();
    return this.endIfUnused(i);
  }

  /** fork: the child space inherits every attachment of the parent's (its page table already maps the frames). */
  forkSpace(parent: number, child: number, childPid: number): void {
    this.withLock(() => {
      for (let a = 0; a < MAX_ATTACHES; a++) {
        const b = a * A_WORDS;
        if (this.att[b + A_SPACE] !== parent) continue;
        this.attach(this.att[b + A_SEGMENT]!, child, this.att[b + A_ADDR]!, this.att[b + A_PAGES]!, childPid);
      }
    });
  }

  /** An address space ends (exit, execve): its attachments go. Returns frames to release (segments that ended). */
  dropSpace(space: number, pid: number): FreedFrames {
    return this.withLock(() => {
      const freed: number[] = [];
      for (let a = 0; a < MAX_ATTACHES; a++) if (this.att[a * A_WORDS + A_SPACE] === space) freed.push(...this.detach(a, pid));
      return freed;
    });
  }

  /** Every segment index in use (for SHM_INFO / SHM_STAT). */
  used(): number[] {
    const out: number[] = [];
    for (let i = 0; i < MAX_SEGMENTS; i++) if (this.seg[i * S_WORDS + S_STATE] !== 0) out.push(i);
    return out;
  }
}
