// The AIE helpers of one vCPU (Cota's aie-helper.c for ARM): every atomic
// operation finds the entry of its chunk in the shared radix tree (creating
// it on first use) and works under the entry's lock.
//
//   LDREX   lock, add self to the reservation set, unlock, wait out unlocked
//           stores to the frame (frame-reservations.ts), load
//   STREX   lock, succeed only if self is in the set, store, empty the set, unlock
//   SWP     (after-swp: switch store checks on) lock, exchange, empty the set, unlock
//   CLREX   lock, remove self, unlock
//   kuser cmpxchg(64): lock, compare-and-store, empty the set if stored, unlock
//
// A vCPU's reservation is its membership in one entry's set, remembered in
// env[slots.scratch] (the entry's word index, 0 = none), plus QEMU's local monitor
// (address and size in env[slots.exclAddr], env[slots.exclSize]): STREX to another address fails
// without touching memory. A LDREX on another chunk first leaves the previous
// set, so a vCPU is in at most one set and sets stay small (glibc's
// compare-and-exchange loop leaves a LDREX without STREX on a mismatch).
// Exclusive accesses are naturally aligned and at most 8 bytes, chunks are at
// least 16 bytes: one exclusive access always lies in one chunk.

import { readCmpxchg64Operands } from '../emulator/atomics/cmpxchg64-operands.js';
import { hi32, lo32, pack64 } from '../emulator/atomics/host-views.js';
import type { StrategySlots, VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { EntryWord, KEY_MASK, KEY_UNSETTLED } from './aie-entry.js';
import { Monitor, StoreMode } from './aie-options.js';
import { Header, type AieShared } from './aie-shared.js';
import type { ChunkMonitor } from './chunk-monitor.js';
import { lockEntry, unlockEntry } from './entry-lock.js';
import { FrameReservations } from './frame-reservations.js';
import { SetMonitor } from './set-monitor.js';
import { StoreChecks, type StoreCheckCounters } from './store-checks.js';
import { VersionMonitor } from './version-monitor.js';

const ENTRY_CACHE_SIZE = 256;
const ENTRY_CACHE_MASK = ENTRY_CACHE_SIZE - 1;
/** Slots of the inline entry table (a power of two; inline-exclusives.ts reads it). */
export const INLINE_ENTRIES = 64;
/**
 * In the inline entry table's key word: an entry a SWP or cmpxchg handed out that is not prepared for reservations
 * (its frame may not be published, nor the entry settled). The inline LDREX and STREX compare the key exactly, so
 * they do not take it; the inline cmpxchg, which needs no preparation, does. Keys use at most 28 bits.
 */
export const INLINE_UNPREPARED = 1 << 30;

export interface AieCounters extends StoreCheckCounters {
  ldrex: number;
  strex: number;
  /** STREX failed by the local monitor (no LDREX, another address or size, cleared by CLREX or a syscall). */
  strexFailMonitor: number;
  /** STREX failed because this vCPU was no longer in the chunk's set (someone stored there). */
  strexFailReservation: number;
  swaps: number;
  cas: number;
  casFail: number;
  clrex: number;
  /** Memberships dropped: CLREX, a syscall, or a LDREX on another chunk. */
  reservationsLeft: number;
  barriers: number;
  /** Radix-tree walks for atomic operations (misses of the per-vCPU entry cache). */
  treeWalks: number;
  /** LDREXes that waited for another vCPU's unlocked store to their frame to finish. */
  unlockedStoreWaits: number;
  /** Calls of the LDREX and STREX helpers (the rest ran inline in translated code: inline-exclusives.ts). */
  exclusiveHelperCalls: number;
}

export function newAieCounters(): AieCounters {
  return {
    ldrex: 0, strex: 0, strexFailMonitor: 0, strexFailReservation: 0, swaps: 0, cas: 0, casFail: 0, clrex: 0,
    reservationsLeft: 0, barriers: 0, treeWalks: 0, unlockedStoreWaits: 0, exclusiveHelperCalls: 0, unlockedStores: 0, lockAcquisitions: 0, lockContended: 0, lockSlept: 0, storeChecks: 0,
    storeChecksWithEntry: 0, pageShootdowns: 0, switchShootdowns: 0, settleWaits: 0,
  };
}

export class AieVcpu {
  readonly c = newAieCounters();
  readonly checks: StoreChecks;
  readonly reservations: FrameReservations;
  /** What a reservation is (--aie-monitor): chunk-monitor.ts. */
  readonly monitor: ChunkMonitor;
  private readonly words: Int32Array;
  private readonly shift: number;
  private readonly slots: StrategySlots;
  /** KEY_UNSETTLED for new entries when plain stores may be checked at all. */
  private readonly newEntryFlags: number;
  /** The entry cache (entryFor): chunk key, entry, and whether it was prepared. */
  private readonly cacheKeys = new Int32Array(ENTRY_CACHE_SIZE).fill(-1);
  private readonly cacheEntries = new Int32Array(ENTRY_CACHE_SIZE);
  private readonly cacheReady = new Uint8Array(ENTRY_CACHE_SIZE);
  /**
   * Ready entries for translated code's inline LDREX and kuser cmpxchg
   * (inline-exclusives.ts): INLINE_ENTRIES direct-mapped pairs [chunk key, entry],
   * filled by entryFor (a key's entry and its readiness never change).
   */
  readonly inlineEntries = new Int32Array(2 * INLINE_ENTRIES).fill(-1);
  /**
   * Version monitor: the entry lock a run started by an inline STREX holds (bound as a_h: its lock word's index,
   * 0 = none, and the word its release stores; inline-version.ts, inline-unlocked-store.ts).
   */
  readonly held = new Int32Array(2);

  constructor(
    readonly shared: AieShared,
    private readonly mode: StoreMode,
    private readonly vcpu: VcpuServices,
    monitor: Monitor = Monitor.VERSION,
  ) {
    this.words = shared.words;
    this.shift = shared.words[Header.GRANULE_SHIFT]!;
    this.slots = vcpu.slots;
    this.newEntryFlags = mode === StoreMode.OFF ? 0 : KEY_UNSETTLED;
    this.reservations = new FrameReservations(shared, vcpu.index);
    this.monitor = monitor === Monitor.VERSION
      ? new VersionMonitor(this.words, vcpu.env, vcpu.slots, this.c)
      : new SetMonitor(this.words, shared.arena, vcpu.index, this.reservations, this.c);
    this.checks = new StoreChecks(shared, mode, vcpu, this.c, (key) => this.findEntry(key), this.reservations, this.monitor);
  }

  private readonly initEntry = (entry: number, key: number): void => {
    this.words[entry + EntryWord.KEY] = key | this.newEntryFlags;
  };

  /**
   * The entry of the chunk at host offset off (reached through guest address
   * addr). A key's entry never changes once installed, and being
   * ready (frame published, entry settled) never reverts, so both are cached
   * per vCPU: a small direct-mapped cache in front of the radix tree (a JS
   * Atomics.load costs about 20 ns in Node 20, a tree walk three of them).
   * Only an op that reserves (LDREX) makes the entry ready: store checks protect
   * reservations, and a SWP or cmpxchg is one Atomics read-modify-write of the
   * word, atomic against plain stores without them, so a frame whose entries
   * only SWP and cmpxchg use stays unpublished and its pages unflagged (session
   * 10: glibc's thread descriptor on the top page of a thread's stack).
   */
  private entryFor(off: number, addr: number, reserving: boolean): number {
    const key = off >>> this.shift;
    const slot = key & ENTRY_CACHE_MASK;
    let e: number;
    if (this.cacheKeys[slot] === key) {
      e = this.cacheEntries[slot]!;
    } else {
      const tree = this.shared.tree;
      this.c.treeWalks++;
      e = tree.lookup(key);
      if (e === 0) e = tree.getOrInsert(key, this.initEntry);
      this.cacheKeys[slot] = key;
      this.cacheEntries[slot] = e;
      this.cacheReady[slot] = 0;
    }
    if (reserving && this.cacheReady[slot] === 0) {
      this.checks.prepare(e, off, addr >>> PAGE_BITS);
      this.cacheReady[slot] = 1;
    }
    const at = (key & (INLINE_ENTRIES - 1)) << 1;
    this.inlineEntries[at] = this.cacheReady[slot] === 1 ? key : key | INLINE_UNPREPARED;
    this.inlineEntries[at + 1] = e;
    return e;
  }

  /** The entry of a chunk key if it exists (cache, then tree; misses are not cached: entries appear). */
  private findEntry(key: number): number {
    const slot = key & ENTRY_CACHE_MASK;
    if (this.cacheKeys[slot] === key) return this.cacheEntries[slot]!;
    const e = this.shared.tree.lookup(key);
    if (e !== 0) {
      this.cacheKeys[slot] = key;
      this.cacheEntries[slot] = e;
      this.cacheReady[slot] = 0;
    }
    return e;
  }

  private lock(e: number): void {
    lockEntry(this.words, e + EntryWord.LOCK, this.c);
  }

  private unlock(e: number): void {
    unlockEntry(this.words, e + EntryWord.LOCK);
  }

  ld_excl(addr: number, memop: number, pc: number): number {
    this.c.ldrex++;
    this.c.exclusiveHelperCalls++;
    const env = this.vcpu.env;
    const size = memop & MemOp.SIZE_MASK;
    const off = this.vcpu.mmu.readOffset(addr, 1 << size, pc);
    const e = this.entryFor(off, addr, true);
    const views = this.vcpu.views;
    let lo = 0;
    let hi = 0;
    this.monitor.reserve(e, off >>> PAGE_BITS, env[this.slots.scratch]!, () => {
      if (size === MemOp.SIZE_64) {
        const v = views.load64(off);
        lo = lo32(v);
        hi = hi32(v);
      } else {
        lo = views.load(off, memop);
      }
    });
    env[this.slots.scratch] = e;
    env[this.slots.exclAddr] = addr;
    env[this.slots.exclSize] = size;
    env[this.slots.helperHi] = hi;
    return lo;
  }

  /** Returns the STREX status: 0 stored, 1 failed. */
  st_excl(addr: number, lo: number, hi: number, memop: number, pc: number): number {
    this.c.strex++;
    this.c.exclusiveHelperCalls++;
    const env = this.vcpu.env;
    const size = memop & MemOp.SIZE_MASK;
    const e = env[this.slots.scratch]!;
    if (env[this.slots.exclAddr] !== addr || env[this.slots.exclSize] !== size || e === 0) {
      env[this.slots.exclAddr] = -1;
      this.c.strexFailMonitor++;
      return 1;
    }
    env[this.slots.exclAddr] = -1;
    const off = this.vcpu.mmu.atomicOffset(addr, 1 << size, pc);
    // Either way this vCPU holds no reservation afterwards (success empties the set).
    env[this.slots.scratch] = 0;
    if ((Atomics.load(this.words, e + EntryWord.KEY) & KEY_MASK) !== off >>> this.shift) {
      // The page was remapped to another frame since the LDREX.
      this.monitor.leave(e);
      this.c.strexFailReservation++;
      return 1;
    }
    const views = this.vcpu.views;
    const ok = this.monitor.commit(e, () => {
      if (size === MemOp.SIZE_64) Atomics.store(views.i64, off >> 3, pack64(lo, hi));
      else views.store(off, lo, memop);
    });
    if (!ok) this.c.strexFailReservation++;
    return ok ? 0 : 1;
  }

  clrex(): void {
    this.c.clrex++;
    this.dropReservation();
  }

  /** Clears the local monitor and leaves the set (CLREX; every syscall, as Linux on return to user). */
  dropReservation(): void {
    const env = this.vcpu.env;
    env[this.slots.exclAddr] = -1;
    const e = env[this.slots.scratch]!;
    if (e !== 0) {
      env[this.slots.scratch] = 0;
      if (this.monitor.leave(e)) this.c.reservationsLeft++;
    }
  }

  swap(addr: number, value: number, memop: number, pc: number): number {
    this.c.swaps++;
    if (this.mode === StoreMode.AFTER_SWP) this.checks.switchOn();
    const off = this.vcpu.mmu.atomicOffset(addr, 1 << (memop & MemOp.SIZE_MASK), pc);
    const e = this.entryFor(off, addr, false);
    this.lock(e);
    let old = 0;
    try {
      old = this.vcpu.views.exchange(off, value, memop);
    } finally {
      this.monitor.storedAndRelease(e, false);
    }
    return old;
  }

  /** kuser cmpxchg: 1 if the word held `expected` and now holds `replacement`. */
  cmpxchg(addr: number, expected: number, replacement: number, memop: number, pc: number): number {
    this.c.cas++;
    const off = this.vcpu.mmu.atomicOffset(addr, 4, pc);
    const e = this.entryFor(off, addr, false);
    this.lock(e);
    const ok = this.vcpu.views.compareExchange(off, expected, replacement, memop);
    if (ok) this.monitor.storedAndRelease(e, false);
    else this.unlock(e);
    if (!ok) this.c.casFail++;
    return ok ? 1 : 0;
  }

  /** kuser cmpxchg64: *ptr (8 bytes) from *expPtr to *repPtr. */
  cmpxchg64(ptr: number, expPtr: number, repPtr: number, pc: number): number {
    this.c.cas++;
    const mmu = this.vcpu.mmu;
    // Operands are read before any lock is taken (a fault must not happen under a lock).
    const { expected, replacement } = readCmpxchg64Operands(mmu, expPtr, repPtr, pc);
    const off = mmu.atomicOffset(ptr, 8, pc);
    const e = this.entryFor(off, ptr, false);
    this.lock(e);
    const ok = this.vcpu.views.compareExchange64(off, expected, replacement);
    if (ok) this.monitor.storedAndRelease(e, false);
    else this.unlock(e);
    if (!ok) this.c.casFail++;
    return ok ? 1 : 0;
  }

  stats(): Record<string, number> {
    const t = this.shared.tree;
    return {
      ...this.c,
      entriesCreated: t.entriesCreated,
      nodesCreated: t.nodesCreated,
      treeRacesLost: t.racesLost,
      arenaBytes: this.shared.arena.bytesAllocated,
    };
  }
}
