// System V shared memory: shmget, shmat, shmdt, shmctl (and the OABI ipc(2)
// multiplexer's SHM calls) on the run's segment table (shm-table.ts).
// Permission checks are not made: every guest process runs as the host
// user that owns every segment.

import { EEXIST, EINVAL, ENOENT, ENOMEM, ENOSPC } from './errno.js';
import { HOST_GID, HOST_UID } from './loader.js';
import { findFreeRange } from './mmap-allocator.js';
import { MAX_SEGMENTS, MAX_SHM_PAGES, type SegmentInfo } from './shm-table.js';
import type { ThreadContext } from './thread-context.js';
import { OutOfGuestMemory } from '../softmmu/frame-pool.js';
import type { Remap } from '../softmmu/guest-memory.js';
import { PAGE_SIZE, PTE_EXEC, PTE_READ, PTE_WRITE, pageAlignUp } from '../softmmu/page-bits.js';

export const NR_ipc = 117;
export const NR_shmat = 305;
export const NR_shmdt = 306;
export const NR_shmget = 307;
export const NR_shmctl = 308;

const IPC_PRIVATE = 0;
const IPC_CREAT = 0o1000;
const IPC_EXCL = 0o2000;
const IPC_RMID = 0;
const IPC_SET = 1;
const IPC_STAT = 2;
const IPC_INFO = 3;
const SHM_LOCK = 11;
const SHM_UNLOCK = 12;
const SHM_STAT = 13;
const SHM_INFO = 14;
const SHM_STAT_ANY = 15;
const IPC_64 = 0x100;
const SHM_RDONLY = 0o10000;
const SHM_RND = 0o20000;
const SHM_REMAP = 0o40000;
const SHM_EXEC = 0o100000;
/** In shm_perm.mode: removed (IPC_RMID) and locked (SHM_LOCK). */
const SHM_DEST = 0o1000;
const SHM_LOCKED = 0o2000;
/** ARM forces attach addresses to SHMLBA (4 pages, arch/arm/include/asm/shmparam.h). */
const SHMLBA = 4 * PAGE_SIZE;

/** Flushes TLBs that may map the range, then gives replaced frames back. */
function settle(ctx: ThreadContext, start: number, len: number, r: Remap): void {
  ctx.flushTlbRange(start, len, r.tlbUsers);
  ctx.mem.releaseFrames(r.freed);
}

function sysShmget(ctx: ThreadContext, key: number, size: number, flags: number): number {
  const shm = ctx.shm;
  const bytes = size >>> 0;
  const pages = pageAlignUp(bytes) / PAGE_SIZE;
  if (key !== IPC_PRIVATE) {
    const found = shm.withLock(() => {
      const i = shm.indexOfKey(key);
      if (i < 0) return flags & IPC_CREAT ? null : -ENOENT;
      if (flags & IPC_CREAT && flags & IPC_EXCL) return -EEXIST;
      const s = shm.info(i);
      return bytes > s.size ? -EINVAL : s.id;
    });
    if (found !== null) return found;
  }
  if (bytes < 1 || pages > MAX_SHM_PAGES) return -EINVAL;
  let frames: number[];
  try {
    frames = ctx.mem.allocFrames(pages);
  } catch (e) {
    if (e instanceof OutOfGuestMemory) return -ENOMEM;
    throw e;
  }
  const made = shm.withLock(() => {
    // Another thread may have made the key meanwhile: then these frames are not needed.
    const other = key !== IPC_PRIVATE ? shm.indexOfKey(key) : -1;
    if (other >= 0) return { id: flags & IPC_EXCL ? -EEXIST : shm.info(other).id, used: false };
    const i = shm.create(key, bytes, frames, flags, ctx.kernel.pid, HOST_UID, HOST_GID);
    return { id: i < 0 ? -ENOSPC : shm.info(i).id, used: i >= 0 };
  });
  if (!made.used) ctx.mem.releaseFrames(frames);
  return made.id;
}

function sysShmat(ctx: ThreadContext, id: number, addr: number, flags: number): number {
  const shm = ctx.shm;
  let at = addr >>> 0;
  if (at & (SHMLBA - 1)) {
    if (!(flags & SHM_RND)) return -EINVAL;
    at &= ~(SHMLBA - 1);
  }
  const pte = (flags & SHM_RDONLY ? PTE_READ : PTE_READ | PTE_WRITE) | (flags & SHM_EXEC ? PTE_EXEC : 0);
  let remap: Remap | null = null;
  let len = 0;
  const r = shm.withLock(() => {
    const i = shm.indexOfId(id);
    if (i < 0) return -EINVAL;
    const frames = shm.framesOf(i);
    len = frames.length * PAGE_SIZE;
    const placed = ctx.kernel.withLock(() => {
      if (at === 0) {
        // Shared mappings are placed SHMLBA-aligned on ARM (the kernel's cache colouring).
        const found = findFreeRange(ctx.mem, len + SHMLBA - PAGE_SIZE, ctx.kernel.mmapNext);
        if (found < 0) return -ENOMEM;
        return (found + SHMLBA - 1) & ~(SHMLBA - 1);
      }
      if (at + len > 0x100000000) return -EINVAL;
      // Without SHM_REMAP an attach address must not overlap a mapping.
      if (!(flags & SHM_REMAP) && !ctx.mem.isRangeUnmapped(at, len)) return -EINVAL;
      return at;
    });
    if (placed < 0) return placed;
    if (!shm.attach(i, ctx.spaceId, placed, frames.length, ctx.kernel.pid)) return -ENOMEM;
    remap = ctx.kernel.withLock(() => ctx.mem.mapFrames(placed, frames, pte));
    return placed;
  });
  if (remap) settle(ctx, r, len, remap);
  return r | 0;
}

function sysShmdt(ctx: ThreadContext, addr: number): number {
  const shm = ctx.shm;
  let done: { len: number; remap: Remap; freed: number[] } | null = null;
  const r = shm.withLock(() => {
    const a = shm.findAttach(ctx.spaceId, addr);
    if (a === null) return -EINVAL;
    const len = a.pages * PAGE_SIZE;
    const remap = ctx.kernel.withLock(() => ctx.mem.unmap(addr >>> 0, len));
    done = { len, remap, freed: shm.detach(a.rec, ctx.kernel.pid) };
    return 0;
  });
  const d = done as { len: number; remap: Remap; freed: number[] } | null;
  if (d) {
    settle(ctx, addr >>> 0, d.len, d.remap);
    ctx.mem.releaseFrames(d.freed);
  }
  return r;
}

/** struct shmid64_ds (IPC_64) or the old struct shmid_ds. */
function writeShmidDs(ctx: ThreadContext, buf: number, s: SegmentInfo, v64: boolean): void {
  const mode = s.mode | (s.removed ? SHM_DEST : 0);
  if (v64) {
    const w = new Int32Array(21);
    w.set([s.key, s.uid, s.gid, s.uid, s.gid, mode & 0xffff, s.seq & 0xffff, 0, 0]);
    w.set([s.size, s.atime, 0, s.dtime, 0, s.ctime, 0, s.cpid, s.lpid, s.nattch, 0, 0], 9);
    ctx.access.write(buf, new Uint8Array(w.buffer));
    return;
  }
  const b = new DataView(new ArrayBuffer(48));
  b.setInt32(0, s.key, true);
  [s.uid, s.gid, s.uid, s.gid, mode, s.seq].forEach((v, k) => b.setUint16(4 + 2 * k, v & 0xffff, true));
  [s.size, s.atime, s.dtime, s.ctime].forEach((v, k) => b.setInt32(16 + 4 * k, v, true));
  [s.cpid, s.lpid, s.nattch].forEach((v, k) => b.setUint16(32 + 2 * k, v & 0xffff, true));
  ctx.access.write(buf, new Uint8Array(b.buffer));
}

function sysShmctl(ctx: ThreadContext, id: number, command: number, buf: number): number {
  const shm = ctx.shm;
  const v64 = (command & IPC_64) !== 0;
  const cmd = command & ~IPC_64;
  if (cmd === IPC_INFO || cmd === SHM_INFO) {
    const used = shm.withLock(() => shm.used());
    const pages = shm.withLock(() => used.reduce((n: number, i: number) => n + shm.framesOf(i).length, 0));
    // struct shminfo64 (shmmax, shmmin, shmmni, shmseg, shmall, 4 unused) or struct shm_info.
    const words = cmd === IPC_INFO
      ? [0x7fffffff, 1, MAX_SEGMENTS, MAX_SEGMENTS, MAX_SHM_PAGES, 0, 0, 0, 0]
      : [used.length, pages, pages, 0, 0, 0];
    words.forEach((v, k) => ctx.access.writeU32(buf + 4 * k, v));
    return used.length ? Math.max(...used) : 0;
  }
  let freed: number[] = [];
  const r = shm.withLock(() => {
    const i = cmd === SHM_STAT || cmd === SHM_STAT_ANY ? (id >= 0 && id < MAX_SEGMENTS && shm.used().includes(id) ? id : -1) : shm.indexOfId(id);
    if (i < 0) return -EINVAL;
    const s = shm.info(i);
    switch (cmd) {
      case IPC_STAT:
      case SHM_STAT:
      case SHM_STAT_ANY:
        writeShmidDs(ctx, buf, s, v64);
        return cmd === IPC_STAT ? 0 : s.id;
      case IPC_SET: {
        // ipc64_perm: uid at 4, gid at 8, mode (16 bits) at 20; the old ipc_perm: 16-bit uid, gid at 4, 6, mode at 12.
        const p = new DataView(ctx.access.read(buf, 24).buffer);
        if (v64) shm.setOwner(i, p.getInt32(4, true), p.getInt32(8, true), p.getUint16(20, true));
        else shm.setOwner(i, p.getUint16(4, true), p.getUint16(6, true), p.getUint16(12, true));
        return 0;
      }
      case IPC_RMID:
        freed = shm.remove(i);
        return 0;
      case SHM_LOCK:
      case SHM_UNLOCK:
        shm.setLocked(i, SHM_LOCKED, cmd === SHM_LOCK);
        return 0;
      default:
        return -EINVAL;
    }
  });
  ctx.mem.releaseFrames(freed);
  return r;
}

/** The OABI ipc(2) multiplexer: its shared-memory calls (SHMAT writes the address to *third). */
function sysIpc(ctx: ThreadContext, call: number, first: number, second: number, third: number, ptr: number): number {
  switch (call & 0xffff) {
    case 21: {
      const r = sysShmat(ctx, first, ptr, second);
      if (r < 0 && r > -4096) return r;
      ctx.access.writeU32(third, r);
      return 0;
    }
    case 22: return sysShmdt(ctx, ptr);
    case 23: return sysShmget(ctx, first, second, third);
    case 24: return sysShmctl(ctx, first, second, ptr);
    default: return -EINVAL;
  }
}

export function shmSyscalls(): Map<number, (ctx: ThreadContext, ...a: number[]) => number> {
  return new Map<number, (ctx: ThreadContext, ...a: number[]) => number>([
    [NR_shmget, (c, key, size, flags) => sysShmget(c, key!, size!, flags!)],
    [NR_shmat, (c, id, addr, flags) => sysShmat(c, id!, addr!, flags!)],
    [NR_shmdt, (c, addr) => sysShmdt(c, addr!)],
    [NR_shmctl, (c, id, cmd, buf) => sysShmctl(c, id!, cmd!, buf!)],
    [NR_ipc, (c, call, a, b, d, p) => sysIpc(c, call!, a!, b!, d!, p!)],
  ]);
}
