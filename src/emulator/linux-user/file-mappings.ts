// The MAP_PRIVATE file mappings of one process, remembered so that
// madvise(MADV_DONTNEED) brings back the file's bytes: the kernel drops the
// private copies of the pages and the next access reads the file again
// (mm/madvise.c; anonymous pages come back zero-filled instead).
//
// A record is [first page + 1 (0 = free), pages, host fd, file page]. Its
// host fd is a description of its own on the mapped file (opened through
// /proc/self/fd, so it survives the guest closing or unlinking the file),
// closed when no page of the record is mapped any longer. Workers share the
// host process's fd table, so any vCPU of the process can read it.
//
// The ELF loader's segments (the program's and its interpreter's) are such
// mappings too, as under Linux and qemu-arm: the loader opens a description
// per segment (openFileSegments) and KernelState.create adopts them.
//
// The records live in the process's kernel buffer (kernel-state.ts) and
// change under its lock: mmap adds one, and every call that replaces or
// removes pages (mmap over them, munmap, mremap) forgets the range first,
// trimming or splitting records (a split opens another fd). fork copies the
// records with fresh fds; exit and execve close them all.

import * as fs from 'node:fs';
import { PAGE_BITS, PAGE_SIZE } from '../softmmu/page-bits.js';

export const MAX_FILE_MAPPINGS = 256;
export const FILE_MAPPING_WORDS = MAX_FILE_MAPPINGS * 4;

const R_FIRST = 0;
const R_PAGES = 1;
const R_FD = 2;
const R_FILE_PAGE = 3;

/** A new host fd on the file behind hostFd (read-only), or -1. */
function reopen(hostFd: number): number {
  try {
    return fs.openSync(`/proc/self/fd/${hostFd}`, 'r');
  } catch {
    return -1;
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already gone with the host process's teardown: nothing to release
  }
}

/**
 * A range of a new image that shows a file: [start, start+len) holds the
 * file's bytes from `offset` (page-aligned); `fd` is a description of its own,
 * which FileMappings.adopt takes over.
 */
export interface FileSegment {
  readonly start: number;
  readonly len: number;
  readonly offset: number;
  readonly fd: number;
}

/**
 * A description of hostFd's file for each range (the loader's segments); a
 * range whose file cannot be reopened is left out and reads as zero after
 * madvise, as anonymous memory does.
 */
export function openFileSegments(ranges: readonly Omit<FileSegment, 'fd'>[], hostFd: number): FileSegment[] {
  const out: FileSegment[] = [];
  for (const r of ranges) {
    const fd = reopen(hostFd);
    if (fd >= 0) out.push({ ...r, fd });
  }
  return out;
}

export class FileMappings {
  /** w: the record words of a kernel buffer (KernelState.fileMappingWords); used under the kernel lock. */
  constructor(private readonly w: Int32Array) {}

  /**
   * Remembers [start, start+len) as a private mapping of hostFd's file from
   * byte offset (page-aligned). False when the table is full or the file
   * cannot be reopened: madvise then zero-fills those pages, as it did.
   */
  add(start: number, len: number, hostFd: number, offset: number): boolean {
    if (this.freeSlot() < 0) return false;
    const fd = reopen(hostFd);
    return fd >= 0 && this.adopt(start, len, fd, offset);
  }

  /** As add, with a description of its own (fd), which the record then owns (closed here if the table is full). */
  adopt(start: number, len: number, fd: number, offset: number): boolean {
    const slot = this.freeSlot();
    if (slot < 0) {
      closeQuietly(fd);
      return false;
    }
    this.set(slot, start >>> PAGE_BITS, len / PAGE_SIZE, fd, offset / PAGE_SIZE);
    return true;
  }

  /** The pages [start, start+len) no longer belong to a file mapping. */
  forget(start: number, len: number): void {
    const a = start >>> PAGE_BITS;
    const b = a + len / PAGE_SIZE;
    for (let r = 0; r < MAX_FILE_MAPPINGS; r++) {
      const o = r * 4;
      if (this.w[o + R_FIRST] === 0) continue;
      const first = this.w[o + R_FIRST]! - 1;
      const end = first + this.w[o + R_PAGES]!;
      if (end <= a || first >= b) continue;
      const fd = this.w[o + R_FD]!;
      const filePage = this.w[o + R_FILE_PAGE]!;
      if (first < a && end > b) {
        // Split: the tail gets its own description, if there is room for it.
        const slot = this.freeSlot();
        const tailFd = slot < 0 ? -1 : reopen(fd);
        if (tailFd >= 0) this.set(slot, b, end - b, tailFd, filePage + (b - first));
      }
      if (first < a) {
        this.w[o + R_PAGES] = a - first;
      } else if (end > b) {
        this.set(r, b, end - b, fd, filePage + (b - first));
      } else {
        this.w.fill(0, o, o + 4);
        closeQuietly(fd);
      }
    }
  }

  /**
   * For MADV_DONTNEED: the file's bytes for the given page (a full page,
   * zero past the end of the file), or null if the page maps no file.
   */
  fileBytes(page: number): Uint8Array | null {
    for (let r = 0; r < MAX_FILE_MAPPINGS; r++) {
      const o = r * 4;
      if (this.w[o + R_FIRST] === 0) continue;
      const first = this.w[o + R_FIRST]! - 1;
      if (page < first || page >= first + this.w[o + R_PAGES]!) continue;
      const out = new Uint8Array(PAGE_SIZE);
      const pos = (this.w[o + R_FILE_PAGE]! + (page - first)) * PAGE_SIZE;
      try {
        let done = 0;
        while (done < PAGE_SIZE) {
          const n = fs.readSync(this.w[o + R_FD]!, out, done, PAGE_SIZE - done, pos + done);
          if (n === 0) break;
          done += n;
        }
      } catch {
        // an unreadable file (truncated under us, I/O error) leaves the page zero, as a read past its end would
      }
      return out;
    }
    return null;
  }

  /** fork: the child's records (child: its kernel buffer's record words), each with a fresh fd. */
  copyTo(child: Int32Array): void {
    child.fill(0);
    for (let r = 0; r < MAX_FILE_MAPPINGS; r++) {
      const o = r * 4;
      if (this.w[o + R_FIRST] === 0) continue;
      const fd = reopen(this.w[o + R_FD]!);
      if (fd < 0) continue;
      child.set(this.w.subarray(o, o + 4), o);
      child[o + R_FD] = fd;
    }
  }

  /** exit, execve: the address space goes, and its files with it. */
  closeAll(): void {
    for (let r = 0; r < MAX_FILE_MAPPINGS; r++) {
      const o = r * 4;
      if (this.w[o + R_FIRST] === 0) continue;
      closeQuietly(this.w[o + R_FD]!);
      this.w.fill(0, o, o + 4);
    }
  }

  private freeSlot(): number {
    for (let r = 0; r < MAX_FILE_MAPPINGS; r++) if (this.w[r * 4 + R_FIRST] === 0) return r;
    return -1;
  }

  private set(r: number, firstPage: number, pages: number, fd: number, filePage: number): void {
    const o = r * 4;
    this.w[o + R_FIRST] = firstPage + 1;
    this.w[o + R_PAGES] = pages;
    this.w[o + R_FD] = fd;
    this.w[o + R_FILE_PAGE] = filePage;
  }
}
