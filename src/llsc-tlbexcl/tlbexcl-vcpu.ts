// One vCPU's half of the tlbexcl strategy: the helpers the lowered LDREX,
// STREX, CLREX, SWP and kuser cmpxchg call, and the SoftMMU hooks (TLB_EXCL
// on the write entries of marked frames, the slow path of flagged stores).
// The design and its correctness argument are in docs/strategy-tlbexcl.md.

import { readCmpxchg64Operands } from '../emulator/atomics/cmpxchg64-operands.js';
import { pack64, hi32, lo32 } from '../emulator/atomics/host-views.js';
import type { StrategySlots, VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { Tlb } from '../emulator/softmmu/tlb.js';
import { ExclusiveState, NONE_START, type StateCounters } from './exclusive-state.js';
import { dropOwnEntries, excludedWriteFlags, exclusiveStoreOffset, flushForMark } from './frame-tlb.js';
import { frameSlot } from './frame-slots.js';
import { FrameStores } from './frame-stores.js';

export interface TlbExclCounters extends StateCounters {
  ldrex: number;
  strex: number;
  /** STREX with no range: never set, cleared (CLREX, syscall) or cancelled by another vCPU's store. */
  strexFailNoRange: number;
  /** STREX to another address or with another size than the LDREX. */
  strexFailAddress: number;
  clrex: number;
  swaps: number;
  cas: number;
  casFail: number;
  barriers: number;
  /** Plain stores that took the slow path on a marked frame (under the lock). */
  markedPageStores: number;
  /** Stores (plain, SWP, kuser cmpxchg) on a marked frame with no other vCPU's range there, done without the lock. */
  unlockedStores: number;
  /** LDREXes that waited for another vCPU's unlocked store to their frame to finish. */
  unlockedStoreWaits: number;
  /** Plain stores that found the frame unmarked behind a TLB_EXCL entry (stale since the lazy unmark, or a race with it). */
  staleFlagStores: number;
  flushRequestsSent: number;
}

export function newTlbExclCounters(): TlbExclCounters {
  return {
    ldrex: 0, ldrexUnlocked: 0, strex: 0, strexUnlocked: 0, strexFailNoRange: 0, strexFailAddress: 0, clrex: 0, swaps: 0, cas: 0, casFail: 0,
    barriers: 0, markedPageStores: 0, unlockedStores: 0, unlockedStoreWaits: 0, staleFlagStores: 0, rangesCancelled: 0, lockAcquisitions: 0,
    lockContended: 0, lockSlept: 0, pagesMarked: 0, pagesUnmarked: 0, flushRequestsSent: 0,
  };
}

const bytesOf = (memop: number): number => 1 << (memop & MemOp.SIZE_MASK);

export class TlbExclVcpu {
  private readonly slot: number;
  private readonly slots: StrategySlots;
  private readonly stores: FrameStores;

  constructor(
    private readonly state: ExclusiveState,
    private readonly vcpu: VcpuServices,
    readonly c: TlbExclCounters,
  ) {
    this.slot = vcpu.index;
    this.slots = vcpu.slots;
    this.stores = new FrameStores(state, state.unmarkAfter, c);
    state.registerSlot(this.slot);
    // A previous thread in this slot that died without a syscall may have left a range.
    state.dropRange(this.slot);
  }

  /** TLB fill of a write entry: TLB_EXCL if the page's frame is marked (any alias of it). */
  tlbWriteFlags(page: number): number {
    return excludedWriteFlags(this.state, this.vcpu, page);
  }

  /** LDREX{,B,H,D}: reserve, make sure every TLB flags the frame, then load. Returns the low word. */
  ld_excl(addr: number, memop: number, pc: number): number {
    const { env, mmu, views } = this.vcpu;
    this.c.ldrex++;
    const bytes = bytesOf(memop);
    const off = mmu.readOffset(addr, bytes, pc);
    const frame = off >>> PAGE_BITS;
    let word = this.state.releaseOwnRange(this.slot) ? this.state.reserveUnlocked(this.slot, off, bytes) : -1;
    if (word < 0) word = this.reserveLocked(addr, off, bytes);
    // Stores that read the live count before the reservation above may still be landing.
    if (this.state.awaitStores(this.slot, frame, word)) this.c.unlockedStoreWaits++;
    if (bytes === 8) {
      const v = Atomics.load(views.i64, off >> 3);
      env[this.slots.helperHi] = hi32(v);
      return lo32(v);
    }
    env[this.slots.helperHi] = 0;
    return views.load(off, memop);
  }

  /** Inline word LDREX (inline-exclusives.ts): reserves without the lock and waits out announced stores, or false. */
  ldrexUnlocked(off: number): boolean {
    const state = this.state;
    const word = state.releaseOwnRange(this.slot) ? state.reserveUnlocked(this.slot, off, 4) : -1;
    if (word < 0) return false;
    this.c.ldrex++;
    // Stores announced before the count may still be landing.
    if (state.awaitStores(this.slot, off >>> PAGE_BITS, word)) this.c.unlockedStoreWaits++;
    return true;
  }

  /** Inline word STREX (inline-exclusives.ts): 0 stored, 1 failed (no range), 2 take the helper. */
  strexUnlocked(off: number, value: number): number {
    return this.commitUnlocked(off, value, false);
  }

  /**
   * strexUnlocked in a region that keeps runs: a commit leaves its
   * announcement and its range's count up (endCommitStartingRun), and the
   * translated code starts the run of stores after it on them.
   */
  strexStartingRun(off: number, value: number): number {
    return this.commitUnlocked(off, value, true);
  }

  private commitUnlocked(off: number, value: number, startsRun: boolean): number {
    const r = this.state.beginCommit(this.slot, off, 4);
    if (r === 2) return 2;
    this.c.strex++;
    if (r === 1) {
      this.c.strexFailNoRange++;
      return 1;
    }
    // A plain store while the commit is announced: endCommit's Atomics.sub (or the run's withdrawal) withdraws it after the store.
    this.vcpu.views.i32[off >> 2] = value;
    if (startsRun) this.state.endCommitStartingRun(this.slot);
    else this.state.endCommit(this.slot, off);
    return 0;
  }

  /** LDREX's bookkeeping under the frame's lock, with the flush a new mark needs; the live word read after it. */
  private reserveLocked(addr: number, off: number, bytes: number): number {
    const frame = off >>> PAGE_BITS;
    this.state.dropRange(this.slot);
    // Until every vCPU has dropped its entries, one of them may still store
    // to the frame on the fast path; the load after this must come after that.
    if (flushForMark(this.state, this.vcpu, addr, frame, this.state.reserve(this.slot, off, bytes))) this.c.flushRequestsSent++;
    // Read after the range was published (not the count's own result): a store under the lock announced after
    // this read scans the ranges after it, and finds this one.
    return Atomics.load(this.state.live, frameSlot(frame));
  }

  private storeOffset(addr: number, bytes: number, pc: number): number {
    return exclusiveStoreOffset(this.vcpu, addr, bytes, pc);
  }

  /** STREX{,B,H,D}: 0 if this vCPU's range is intact and the store was done, else 1. */
  st_excl(addr: number, lo: number, hi: number, memop: number, pc: number): number {
    const state = this.state;
    this.c.strex++;
    if (state.rangeStart(this.slot) === NONE_START) {
      // Only this vCPU sets its range, so "none" cannot change under us.
      state.uncount(this.slot);
      this.c.strexFailNoRange++;
      return 1;
    }
    const bytes = bytesOf(memop);
    const off = this.storeOffset(addr, bytes, pc);
    const unlocked = state.beginCommit(this.slot, off, bytes);
    if (unlocked === 1) {
      // Cancelled since the check above.
      this.c.strexFailNoRange++;
      return 1;
    }
    if (unlocked === 0) {
      this.storeExclusive(off, lo, hi, memop, bytes);
      state.endCommit(this.slot, off);
      return 0;
    }
    const frame = off >>> PAGE_BITS;
    const li = state.locks.indexOf(frame);
    let status = 1;
    let dropElsewhere = false;
    // If the lock holder cancels this range (it won the race), it takes the count off too.
    state.offerCount(this.slot);
    state.locks.acquire(li);
    try {
      const start = state.rangeStart(this.slot);
      if (start === NONE_START) {
        this.c.strexFailNoRange++;
        state.uncount(this.slot);
      } else if (start !== off || state.rangeEnd(this.slot) !== off + bytes) {
        this.c.strexFailAddress++;
        if (state.locks.indexOf(start >>> PAGE_BITS) === li) {
          state.cancelRangeLocked(this.slot);
          state.uncount(this.slot);
        } else {
          dropElsewhere = true;
        }
      } else {
        this.stores.holdOverlappingLocked(this.slot, off, bytes, frame);
        try {
          this.storeExclusive(off, lo, hi, memop, bytes);
        } finally {
          this.stores.releaseHeldLocked(frame, true);
        }
        state.cancelRangeLocked(this.slot);
        state.uncount(this.slot);
        status = 0;
      }
    } finally {
      state.locks.release(li);
    }
    if (dropElsewhere) state.dropRange(this.slot);
    return status;
  }

  /** STREX's store (STREXD as one 64-bit atomic store). */
  private storeExclusive(off: number, lo: number, hi: number, memop: number, bytes: number): void {
    if (bytes === 8) Atomics.store(this.vcpu.views.i64, off >> 3, pack64(lo, hi));
    else this.vcpu.views.store(off, lo, memop);
  }

  clrex(): void {
    this.c.clrex++;
    this.state.dropRange(this.slot);
  }

  /** Every syscall clears the local monitor (Linux's CLREX on return to user). */
  onSyscall(): void {
    this.state.dropRange(this.slot);
  }

  /**
   * Runs `store` (which writes [off, off+bytes)) as a store of this vCPU: on a
   * marked frame that holds another vCPU's range, under the lock, cancelling
   * the overlapping ranges. On a marked frame without one it runs without the
   * lock (ExclusiveState.beginUnlockedStore: a LDREX there waits for it). On
   * an unmarked frame it runs without the lock: a vCPU that marks the frame
   * now waits for this vCPU's flush acknowledgement, which comes after the
   * store, before it loads.
   */
  private asStore<T>(off: number, bytes: number, store: () => T, onlyIf?: (result: T) => boolean): T {
    const state = this.state;
    const frame = off >>> PAGE_BITS;
    if (!state.isMarked(frame)) return store();
    if (this.stores.beginUnlockedStore(this.slot, frame)) {
      this.c.unlockedStores++;
      try {
        return store();
      } finally {
        this.stores.endUnlockedStore(frame);
      }
    }
    const li = state.locks.indexOf(frame);
    let unmarked = false;
    let result: T;
    state.locks.acquire(li);
    try {
      this.stores.holdOverlappingLocked(this.slot, off, bytes, frame);
      let stored = false;
      try {
        result = store();
        stored = !onlyIf || onlyIf(result);
      } finally {
        this.stores.releaseHeldLocked(frame, stored);
      }
      if (stored) unmarked = this.stores.noteStoreLocked(frame);
    } finally {
      state.locks.release(li);
    }
    if (unmarked) this.dropOwnEntries(frame);
    return result;
  }

  /** SWP{B}: a store (cancels overlapping ranges) and an atomic exchange. */
  swap(addr: number, value: number, memop: number, pc: number): number {
    this.c.swaps++;
    const bytes = bytesOf(memop);
    const off = this.storeOffset(addr, bytes, pc);
    return this.asStore(off, bytes, () => this.vcpu.views.exchange(off, value, memop));
  }

  /** The kuser cmpxchg: 1 if swapped. A successful one is a store. */
  cmpxchg(addr: number, expected: number, replacement: number, memop: number, pc: number): number {
    this.c.cas++;
    const off = this.storeOffset(addr, 4, pc);
    const ok = this.asStore(off, 4, () => this.vcpu.views.compareExchange(off, expected, replacement, memop), (r) => r);
    if (!ok) this.c.casFail++;
    return ok ? 1 : 0;
  }

  /** The kuser cmpxchg64: *ptr = *newPtr if *ptr == *oldPtr (64-bit), 1 if swapped. */
  cmpxchg64(ptr: number, expPtr: number, repPtr: number, pc: number): number {
    const { mmu, views } = this.vcpu;
    this.c.cas++;
    const { expected, replacement } = readCmpxchg64Operands(mmu, expPtr, repPtr, pc);
    const off = this.storeOffset(ptr, 8, pc);
    const ok = this.asStore(off, 8, () => views.compareExchange64(off, expected, replacement), (r) => r);
    if (!ok) this.c.casFail++;
    return ok ? 1 : 0;
  }

  /** A plain store hit a TLB_EXCL write entry (valid: just filled, or a hit the Mmu does not refill). */
  flaggedStore(addr: number, bytes: number, doStore: () => void): void {
    const tlb = this.vcpu.mmu.tlb;
    const off = (addr + tlb.addend[Tlb.index(addr)]!) | 0;
    const frame = off >>> PAGE_BITS;
    if (!this.state.isMarked(frame)) {
      // A stale TLB_EXCL entry (the lazy unmark flushes no TLB, and the Mmu
      // does not refill a TLB_EXCL hit), or a mark cleared since the fill.
      // Store, and drop the entry so that the next fill brings the fast path back.
      this.c.staleFlagStores++;
      doStore();
      this.dropOwnEntries(frame);
      return;
    }
    this.c.markedPageStores++;
    this.asStore(off, bytes, doStore);
  }

  private dropOwnEntries(frame: number): void {
    dropOwnEntries(this.vcpu, frame);
  }
}
