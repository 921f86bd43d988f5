// One vCPU's half of tlbexcl under the version monitor (`--tlbexcl-monitor
// version`, version-monitor.ts): the helpers the lowered LDREX, STREX,
// CLREX, SWP and kuser cmpxchg call, what the inline word LDREX and STREX
// call on their rare paths (inline-version-exclusives.ts), and the SoftMMU hooks (TLB_EXCL on the write
// entries of marked frames, the slow path of flagged stores). No
// exclusive-access lock is taken but to mark a frame and to unmark it.
// docs/strategy-tlbexcl.md ("The version monitor").

import { readCmpxchg64Operands } from '../emulator/atomics/cmpxchg64-operands.js';
import { hi32, lo32, pack64 } from '../emulator/atomics/host-views.js';
import type { AtomicHelpers } from '../emulator/atomics/helper-lowering.js';
import type { StrategySlots, VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { Tlb } from '../emulator/softmmu/tlb.js';
import type { ExclusiveState } from './exclusive-state.js';
import { dropOwnEntries, excludedWriteFlags, exclusiveStoreOffset, flushForMark } from './frame-tlb.js';
import type { TlbExclCounters } from './tlbexcl-vcpu.js';
import { VersionMonitor } from './version-monitor.js';
import type { Withdrawal } from './tlbexcl-options.js';

const bytesOf = (memop: number): number => 1 << (memop & MemOp.SIZE_MASK);

export class VersionVcpu implements AtomicHelpers {
  private readonly slots: StrategySlots;
  private readonly mon: VersionMonitor;

  constructor(
    private readonly state: ExclusiveState,
    private readonly vcpu: VcpuServices,
    readonly c: TlbExclCounters,
    withdrawal: Withdrawal,
  ) {
    this.slots = vcpu.slots;
    this.mon = new VersionMonitor(state, c, withdrawal);
  }

  /** The monitor's slots, which translated code shares (monitor-slots.ts; bound as a_xk). */
  get monitorSlots(): Int32Array {
    return this.mon.slots;
  }

  tlbWriteFlags(page: number): number {
    return excludedWriteFlags(this.state, this.vcpu, page);
  }

  /** LDREX{,B,H,D}: keep the line's quiet version word (marking the frame and flushing first if need be), then load. */
  ld_excl(addr: number, memop: number, pc: number): number {
    const { env, mmu, views } = this.vcpu;
    this.c.ldrex++;
    const bytes = bytesOf(memop);
    const off = mmu.readOffset(addr, bytes, pc);
    const frame = off >>> PAGE_BITS;
    let r = this.mon.reserve(off, bytes);
    if (r >= 0) this.c.ldrexUnlocked++;
    while (r < 0) {
      // Until every vCPU has dropped its entries one may still store to the frame on the fast path: the
      // flush returns after that, and the word is read (READY in it) after the flush.
      if (flushForMark(this.state, this.vcpu, addr, frame, this.state.markLocked(frame))) this.c.flushRequestsSent++;
      r = this.mon.reserve(off, bytes);
    }
    if (r === 1) this.c.unlockedStoreWaits++;
    if (bytes === 8) {
      const v = Atomics.load(views.i64, off >> 3);
      env[this.slots.helperHi] = hi32(v);
      return lo32(v);
    }
    env[this.slots.helperHi] = 0;
    return views.load(off, memop);
  }

  /**
   * The inline word LDREX's path when it did not find the line's word quiet
   * and the frame READY: reserve (waiting out the stores and commits
   * announced there), and true; false with no monitor if the frame is not
   * READY (the caller then takes the helper, which marks and flushes).
   */
  ldrexUnlocked(off: number): boolean {
    const r = this.mon.reserve(off, 4);
    if (r < 0) return false;
    this.c.ldrex++;
    this.c.ldrexUnlocked++;
    if (r === 1) this.c.unlockedStoreWaits++;
    return true;
  }

  /** The inline word STREX whose compare-and-set succeeded on a word that wrapped since its LDREX: withdraw, 1 (failed). */
  failWrappedCommit(off: number): number {
    return this.mon.failCommit(off);
  }

  /** beginCommit with its counters: true if the caller may store. */
  private begin(off: number, bytes: number): boolean {
    const r = this.mon.beginCommit(off, bytes);
    if (r === 1) this.c.strexFailNoRange++;
    else if (r === 2) this.c.strexFailAddress++;
    return r === 0;
  }

  /** STREX{,B,H,D}: 0 if the line's version word is still the LDREX's and the store was done, else 1. */
  st_excl(addr: number, lo: number, hi: number, memop: number, pc: number): number {
    this.c.strex++;
    if (!this.mon.open) {
      this.c.strexFailNoRange++;
      return 1;
    }
    const bytes = bytesOf(memop);
    const off = exclusiveStoreOffset(this.vcpu, addr, bytes, pc);
    if (!this.begin(off, bytes)) return 1;
    if (bytes === 8) Atomics.store(this.vcpu.views.i64, off >> 3, pack64(lo, hi));
    else this.vcpu.views.store(off, lo, memop);
    this.c.strexUnlocked++;
    this.mon.endCommit(off);
    return 0;
  }

  clrex(): void {
    this.c.clrex++;
    this.mon.clear();
  }

  /** Every syscall clears the local monitor (Linux's CLREX on return to user). */
  onSyscall(): void {
    this.mon.clear();
  }

  /**
   * Runs `store` (which writes at `off`, aligned) as a store of this vCPU: on
   * a marked frame announced on its line's version word (waiting out a commit under way) and
   * withdrawn after it, advancing the sequence if it stored (`onlyIf`: a
   * failed cmpxchg did not). On an unmarked frame without more: a vCPU that
   * marks the frame now waits for this vCPU's flush acknowledgement, which
   * comes after the store, before it reads the version word.
   */
  private asStore<T>(off: number, store: () => T, onlyIf?: (result: T) => boolean): T {
    const frame = off >>> PAGE_BITS;
    if (!this.state.isMarked(frame)) return store();
    this.c.unlockedStores++;
    this.mon.announce(off);
    let stored = false;
    let result: T;
    try {
      result = store();
      stored = !onlyIf || onlyIf(result);
    } finally {
      this.mon.withdrawStore(off, stored);
    }
    if (stored && this.mon.noteStore(frame)) dropOwnEntries(this.vcpu, frame);
    return result;
  }

  /** SWP{B}: a store and an atomic exchange. */
  swap(addr: number, value: number, memop: number, pc: number): number {
    this.c.swaps++;
    const off = exclusiveStoreOffset(this.vcpu, addr, bytesOf(memop), pc);
    return this.asStore(off, () => this.vcpu.views.exchange(off, value, memop));
  }

  /** The kuser cmpxchg: 1 if swapped. A successful one is a store. */
  cmpxchg(addr: number, expected: number, replacement: number, memop: number, pc: number): number {
    this.c.cas++;
    const off = exclusiveStoreOffset(this.vcpu, addr, 4, pc);
    const ok = this.asStore(off, () => this.vcpu.views.compareExchange(off, expected, replacement, memop), (r) => r);
    if (!ok) this.c.casFail++;
    return ok ? 1 : 0;
  }

  /** The kuser cmpxchg64: *ptr = *newPtr if *ptr == *oldPtr (64-bit), 1 if swapped. */
  cmpxchg64(ptr: number, expPtr: number, repPtr: number, pc: number): number {
    const { mmu, views } = this.vcpu;
    this.c.cas++;
    const { expected, replacement } = readCmpxchg64Operands(mmu, expPtr, repPtr, pc);
    const off = exclusiveStoreOffset(this.vcpu, ptr, 8, pc);
    const ok = this.asStore(off, () => views.compareExchange64(off, expected, replacement), (r) => r);
    if (!ok) this.c.casFail++;
    return ok ? 1 : 0;
  }

  /** A plain store hit a TLB_EXCL write entry (valid: just filled, or a hit the Mmu does not refill). */
  flaggedStore(addr: number, bytes: number, doStore: () => void): void {
    void bytes;
    const tlb = this.vcpu.mmu.tlb;
    const off = (addr + tlb.addend[Tlb.index(addr)]!) | 0;
    const frame = off >>> PAGE_BITS;
    if (!this.state.isMarked(frame)) {
      // A stale TLB_EXCL entry (the lazy unmark flushes no TLB): store, and drop the entry so that the next
      // fill brings the fast path back.
      this.c.staleFlagStores++;
      doStore();
      dropOwnEntries(this.vcpu, frame);
      return;
    }
    this.c.markedPageStores++;
    this.asStore(off, doStore);
  }
}
