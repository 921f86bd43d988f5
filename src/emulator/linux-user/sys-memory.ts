// Memory syscalls: brk, mmap2, munmap, mprotect, madvise, mremap (ENOMEM:
// glibc falls back to malloc+copy). File mappings are read at map time and
// remembered (file-mappings.ts) for madvise(MADV_DONTNEED). Address-space changes happen under the
// kernel lock; stale TLB entries are flushed, page by page, on the vCPUs that
// may hold them (GuestMemory's TLB-user record) before the call returns, and
// only then are freed frames handed out again.

import { EACCES, EEXIST, EFAULT, EINVAL, ENODEV, ENOMEM } from './errno.js';
import { mappedFileBytes } from './mapped-file-bytes.js';
import { placeMapping } from './mmap-allocator.js';
import type { ThreadContext } from './thread-context.js';
import type { Remap } from '../softmmu/guest-memory.js';
import {
  PAGE_BITS, PAGE_SIZE, PTE_SHARED, PTE_SHARED_FILE, PTE_EXEC, PTE_READ, PTE_WRITE, PROT_WRITE, protToPte, pageAlignUp,
} from '../softmmu/page-bits.js';

export const NR_brk = 45;
export const NR_munmap = 91;
export const NR_mprotect = 125;
export const NR_mremap = 163;
export const NR_mmap2 = 192;
export const NR_madvise = 220;

const MAP_SHARED = 0x01;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;
const MAP_FIXED_NOREPLACE = 0x100000;
const MADV_DONTNEED = 4;

/** After a change of [start, start+len): flush the TLBs that may hold its old entries, then free its frames. */
function settle(ctx: ThreadContext, start: number, len: number, r: Remap): void {
  // The cross-vCPU flush waits for acknowledgements, so never under the kernel lock.
  ctx.flushTlbRange(start, len, r.tlbUsers);
  ctx.mem.releaseFrames(r.freed);
}

/** Finds room for len bytes (hint 0: from the kernel's next start, which then moves down). Under the kernel lock. */
function placeRegion(ctx: ThreadContext, len: number, hint: number): number {
  const k = ctx.kernel;
  const placed = placeMapping(ctx.mem, len, k.mmapNext, hint);
  k.mmapNext = placed.nextStart;
  return placed.at;
}

function validRange(addr: number, len: number): boolean {
  return (addr & (PAGE_SIZE - 1)) === 0 && len > 0 && addr + len <= 0x100000000;
}

export function sysBrk(ctx: ThreadContext, newBrk: number): number {
  const k = ctx.kernel;
  const want = newBrk >>> 0;
  let shrunk: { start: number; len: number; remap: Remap } | null = null;
  const result = k.withLock(() => {
    const cur = k.brk;
    if (want === 0 || want < k.brkStart) return cur | 0;
    const curTop = pageAlignUp(cur);
    const newTop = pageAlignUp(want);
    if (newTop > curTop) {
      if (!ctx.mem.isRangeUnmapped(curTop, newTop - curTop)) return cur | 0;
      ctx.mem.map(curTop, newTop - curTop, protToPte(3));
    } else if (newTop < curTop) {
      shrunk = { start: newTop, len: curTop - newTop, remap: ctx.mem.unmap(newTop, curTop - newTop) };
    }
    k.brk = want;
    return want | 0;
  });
  const s = shrunk as { start: number; len: number; remap: Remap } | null;
  if (s) settle(ctx, s.start, s.len, s.remap);
  return result;
}

const SHARED_FILE_WARNING =
  'mttcg: writable MAP_SHARED file mappings are not supported (mmap: ENODEV, mprotect to writable: EACCES); map the file MAP_PRIVATE or use read/write';

export function sysMmap2(
  ctx: ThreadContext, addr: number, length: number, prot: number, flags: number, fd: number, pgoff: number,
): number {
  const start = addr >>> 0;
  const len = pageAlignUp(length >>> 0);
  // As Linux's do_mmap and get_unmapped_area: length 0 and a misaligned fixed
  // address are invalid; a length that cannot fit (rounding up past 4 GiB, a
  // fixed range wrapping past the top, no free gap) is out of memory.
  if (length >>> 0 === 0) return -EINVAL;
  if (len > 0xffff0000) return -ENOMEM;
  const fixed = (flags & MAP_FIXED) !== 0;
  if (fixed && start & (PAGE_SIZE - 1)) return -EINVAL;
  if (fixed && start + len > 0x100000000) return -ENOMEM;
  const anonymous = (flags & MAP_ANONYMOUS) !== 0;
  let fileBytes: Uint8Array | null = null;
  if (!anonymous) {
    if (flags & MAP_SHARED && prot & PROT_WRITE) {
      ctx.warnOnce('mmap-shared-file', SHARED_FILE_WARNING);
      return -ENODEV;
    }
    const bytes = mappedFileBytes(ctx.fds, fd, len, (pgoff >>> 0) * PAGE_SIZE);
    if (typeof bytes === 'number') return bytes;
    fileBytes = bytes;
  }
  // MAP_SHARED anonymous memory: fork shares its frames with the child (process-shared atomics, futexes).
  // A read-only MAP_SHARED file mapping is a copy that must stay read-only (mprotect refuses PROT_WRITE).
  const shared = flags & MAP_SHARED ? (anonymous ? PTE_SHARED : PTE_SHARED_FILE) : 0;
  const pte = protToPte(prot) | shared;
  let remap: Remap = { freed: [], tlbUsers: 0 };
  const placed = ctx.kernel.withLock(() => {
    let at = -1;
    if (fixed) {
      if (flags & MAP_FIXED_NOREPLACE && !ctx.mem.isRangeUnmapped(start, len)) return -EEXIST;
      at = start;
    } else {
      // A hint is where the search starts, as in qemu-arm (a free hint is taken as it is).
      at = placeRegion(ctx, len, (start & ~(PAGE_SIZE - 1)) >>> 0);
      if (at < 0) return -ENOMEM;
    }
    remap = ctx.mem.map(at, len, pte);
    const files = ctx.kernel.fileMappings;
    files.forget(at, len);
    // A file mapping is remembered for madvise(MADV_DONTNEED), which reads the file again.
    if (!anonymous) files.add(at, len, ctx.fds.hostFdOf(fd), (pgoff >>> 0) * PAGE_SIZE);
    return at;
  });
  if (placed < 0 && placed > -4096) return placed;
  settle(ctx, placed, len, remap);
  if (fileBytes && fileBytes.length) ctx.access.poke(placed, fileBytes);
  return placed | 0;
}

export function sysMunmap(ctx: ThreadContext, addr: number, length: number): number {
  const start = addr >>> 0;
  const len = pageAlignUp(length >>> 0);
  if (!validRange(start, len)) return -EINVAL;
  settle(ctx, start, len, ctx.kernel.withLock(() => {
    ctx.kernel.fileMappings.forget(start, len);
    return ctx.mem.unmap(start, len);
  }));
  return 0;
}

export function sysMprotect(ctx: ThreadContext, addr: number, length: number, prot: number): number {
  const start = addr >>> 0;
  const len = pageAlignUp(length >>> 0);
  if (start & (PAGE_SIZE - 1)) return -EINVAL;
  if (len === 0) return 0;
  if (!validRange(start, len)) return -ENOMEM;
  if (prot & PROT_WRITE && ctx.mem.anyPageWith(start, len, PTE_SHARED_FILE)) {
    // Stores would not reach the file nor other processes' mappings of it: refuse rather than diverge.
    ctx.warnOnce('mmap-shared-file', SHARED_FILE_WARNING);
    return -EACCES;
  }
  const remap = ctx.kernel.withLock(() => ctx.mem.protect(start, len, protToPte(prot)));
  if (!remap) return -ENOMEM;
  settle(ctx, start, len, remap);
  return 0;
}

export function sysMadvise(ctx: ThreadContext, addr: number, length: number, advice: number): number {
  const start = addr >>> 0;
  const len = pageAlignUp(length >>> 0);
  if (start & (PAGE_SIZE - 1)) return -EINVAL;
  if (advice !== MADV_DONTNEED || len === 0) return 0;
  if (!ctx.mem.isRangeMapped(start, len)) return -ENOMEM;
  settle(ctx, start, len, ctx.kernel.withLock(() => {
    // Private pages go: anonymous ones read as zero again, file ones as the file (shared pages keep their bytes).
    const r = ctx.mem.discard(start, len);
    for (let page = start >>> PAGE_BITS, end = page + len / PAGE_SIZE; page < end; page++) {
      const bytes = ctx.kernel.fileMappings.fileBytes(page);
      if (bytes) ctx.access.poke(page * PAGE_SIZE, bytes);
    }
    return r;
  }));
  return 0;
}

const MREMAP_MAYMOVE = 1;
const MREMAP_FIXED = 2;

/** mremap: shrink in place, grow in place if the pages after are free, else move (MAYMOVE). */
export function sysMremap(ctx: ThreadContext, oldAddr: number, oldLength: number, newLength: number, flags: number): number {
  const old = oldAddr >>> 0;
  const oldLen = pageAlignUp(oldLength >>> 0);
  const newLen = pageAlignUp(newLength >>> 0);
  if (!validRange(old, oldLen) || newLen === 0 || flags & MREMAP_FIXED || flags & ~3) return -EINVAL;
  if (!ctx.mem.isRangeMapped(old, oldLen)) return -EFAULT;
  const pteFlags = ctx.mem.pte(old >>> PAGE_BITS) & (PTE_READ | PTE_WRITE | PTE_EXEC);
  if (newLen <= oldLen) {
    if (newLen < oldLen) sysMunmap(ctx, old + newLen, oldLen - newLen);
    return old | 0;
  }
  const grown = ctx.kernel.withLock(() => {
    if (old + newLen <= 0x100000000 && ctx.mem.isRangeUnmapped(old + oldLen, newLen - oldLen)) {
      ctx.mem.map(old + oldLen, newLen - oldLen, pteFlags);
      return true;
    }
    return false;
  });
  if (grown) return old | 0;
  if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
  const placed = ctx.kernel.withLock(() => {
    const at = placeRegion(ctx, newLen, 0);
    if (at >= 0) ctx.mem.map(at, newLen, pteFlags);
    return at;
  });
  if (placed < 0) return -ENOMEM;
  for (let off = 0; off < oldLen; off += PAGE_SIZE) {
    const src = ctx.mem.pte((old + off) >>> PAGE_BITS);
    if (src >>> PAGE_BITS === 0) continue; // never touched: reads as zero in the new place too
    const bytes = new Uint8Array(ctx.mem.data, ctx.mem.frameOffset((old + off) >>> PAGE_BITS), PAGE_SIZE).slice();
    ctx.access.poke(placed + off, bytes);
  }
  sysMunmap(ctx, old, oldLen);
  return placed | 0;
}
