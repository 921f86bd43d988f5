// AIE's pre/post-store helpers: plain stores that must respect reservations.
//
// Filter. Only pages whose host frame is published (holds AIE entries a LDREX
// has used: only reservations need checked stores, a SWP or cmpxchg being one
// Atomics read-modify-write of the word) take the slow path: when the Mmu
// fills a write entry, tlbWriteFlags gives it TLB_EXCL if store checks are
// switched on and the frame is published. Every other page keeps the
// inline fast path. The filter is by host frame (guest physical page), as the
// entries are, so it is right for aliases; the Mmu asks by guest page, and the
// frame comes from the page table entry it has just filled.
//
// Slow path (flaggedStore). If the stored chunk has an entry: lock it, store,
// empty its reservation set, unlock. If not: store without a lock, under a
// hazard word (below). A store that straddles chunks checks each of them.
// The storing vCPU's own reservation survives its own store unless the store
// overlaps the reserved bytes themselves: a chunk is a lock granule, not the
// architecture's reservation, and a thread that writes a node beside the list
// head inside its LDREX..STREX window (a Treiber push) must not cancel itself
// every time (ARM ARM A3.4.5 leaves only a store to the marked address itself
// IMPLEMENTATION DEFINED; real cores do not livelock there).
//
// Why no store slips past a reservation once checks are on (see docs/strategy-aie.md):
// 1. First reserving entry in a frame. The first LDREX to use an entry there
//    (aie-vcpu.ts, entryFor) records the guest page, marks the
//    frame PENDING, and (checks on) shoots down every other vCPU's TLB entry
//    for the page (flushOthersPage: acknowledged at their next TB boundary)
//    and its own, then marks it PUBLISHED. Stores issued before an
//    acknowledgement happen-before it, hence before the LDREX's load; every
//    later store refills its TLB entry, sees the frame state and is flagged.
//    Any vCPU that finds the frame not yet PUBLISHED does the shootdown itself
//    before using an entry there (waiting on the creator instead could
//    deadlock: it waits for our acknowledgement).
// 2. The switch (after-swp, first SWP). The switcher sets SWITCH_PENDING, then
//    shoots down the recorded guest page of every frame with entries, then
//    sets SWITCH_ON; a SWP that sees PENDING does the same before going on.
//    A fill records its page (while checks are off) before re-reading the
//    switch, and the switcher sets the switch before reading the records, so
//    (sequentially consistent Atomics) either the fill is flagged or its page
//    is shot down. In 'always' mode the switch is on from the start.
// 3. A new entry in a frame that is already flagged. A store may have looked
//    the chunk up just before the entry was installed and still be writing
//    without a lock. Such stores announce their frame in their hazard word
//    before the lookup; before a new entry is used for the first time it is
//    "settled": someone waits until no hazard word names its frame. Entries
//    seen while the switch is off are settled at once: any flagged store
//    comes from a fill that saw the switch on, later than the entry.

import { MAX_VCPUS } from '../emulator/exec/vcpu-table.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { PAGE_BITS, TLB_EXCL } from '../emulator/softmmu/page-bits.js';
import { Tlb } from '../emulator/softmmu/tlb.js';
import { EntryWord, KEY_UNSETTLED } from './aie-entry.js';
import { StoreMode } from './aie-options.js';
import {
  FRAME_NONE, FRAME_PENDING, FRAME_PUBLISHED, FRAME_STRIDE, HAZARD_STRIDE, Header, NUM_FRAMES, SWITCH_OFF,
  SWITCH_ON, SWITCH_PENDING, type AieShared,
} from './aie-shared.js';
import type { LockCounters } from '../emulator/shared/shared-lock.js';
import { lockEntry } from './entry-lock.js';
import { awaitWindow } from '../emulator/atomics/window-wait.js';
import type { ChunkMonitor } from './chunk-monitor.js';
import type { FrameReservations } from './frame-reservations.js';

export interface StoreCheckCounters extends LockCounters {
  /** Plain stores that took the slow path (flagged page). */
  storeChecks: number;
  /** ... and found an entry (locked it and emptied its set). */
  storeChecksWithEntry: number;
  /** Checks that found no reservation on the frame (a run of inline stores, or one slow-path store): stored without a lookup or a lock (frame-reservations.ts). */
  unlockedStores: number;
  /** TLB shootdowns for a frame published (its first entry a LDREX used) while checks were on. */
  pageShootdowns: number;
  /** Page shootdowns done to switch checks on (after-swp). */
  switchShootdowns: number;
  /** Entries settled while some store was still in its hazard window. */
  settleWaits: number;
}

const FRAME_CACHE_SIZE = 64;

export class StoreChecks {
  private readonly words: Int32Array;
  private readonly hazard: number;
  private readonly shift: number;

  constructor(
    private readonly shared: AieShared,
    private readonly mode: StoreMode,
    private readonly vcpu: VcpuServices,
    private readonly c: StoreCheckCounters,
    /** Finds a chunk's entry (0 if none) without creating it: the vCPU's entry cache, then the tree. */
    private readonly lookup: (key: number) => number,
    private readonly reservations: FrameReservations,
    /** What a store under an entry's lock does to the reservations on its chunk (chunk-monitor.ts). */
    private readonly monitor: ChunkMonitor,
  ) {
    this.words = shared.words;
    this.hazard = shared.hazardsWord + vcpu.index * HAZARD_STRIDE;
    this.shift = shared.words[Header.GRANULE_SHIFT]!;
  }

  /** Set once SWITCH_ON has been seen: the switch never goes back, so it is not read again. */
  private switchSeenOn = false;

  private switchState(): number {
    if (this.switchSeenOn) return SWITCH_ON;
    const s = Atomics.load(this.words, Header.SWITCH);
    if (s === SWITCH_ON) this.switchSeenOn = true;
    return s;
  }

  /**
   * Frames seen with entries (direct-mapped by frame number): a frame never
   * loses its entries, so a fill need not load its state again.
   */
  private readonly framesWithEntries = new Int32Array(FRAME_CACHE_SIZE).fill(-1);

  private frameHasEntries(frame: number, fw: number): boolean {
    const slot = frame & (FRAME_CACHE_SIZE - 1);
    if (this.framesWithEntries[slot] === frame) return true;
    if (Atomics.load(this.words, fw) === FRAME_NONE) return false;
    this.framesWithEntries[slot] = frame;
    return true;
  }

  /** TLB flag for the write entry of guest page `page`, being filled. */
  tlbWriteFlags(page: number): number {
    if (this.mode === StoreMode.OFF) return 0;
    const frame = this.vcpu.mem.pte(page) >>> PAGE_BITS;
    if (frame === 0) return 0;
    const fw = this.shared.framesWord + frame * FRAME_STRIDE;
    if (!this.frameHasEntries(frame, fw)) return 0;
    if (this.switchSeenOn) return TLB_EXCL;
    // Checks are off: record the page for the switch's shootdown (a store only when it
    // changed: the frame was remapped), then look at the switch again (point 2).
    if (Atomics.load(this.words, fw + 1) !== page + 1) Atomics.store(this.words, fw + 1, page + 1);
    return this.switchState() !== SWITCH_OFF ? TLB_EXCL : 0;
  }

  /** Before a LDREX (an op that reserves) uses entry e (host offset off, reached through guest page `page`). */
  prepare(e: number, off: number, page: number): void {
    if (this.mode === StoreMode.OFF) return;
    const frame = off >>> PAGE_BITS;
    const fw = this.shared.framesWord + frame * FRAME_STRIDE;
    // The version monitor's inline check reads the chunk's slot in the frame's leaf (inline-unlocked-store.ts,
    // aieVersionStores): recorded before the frame is published, so every flagged store can find it.
    if (!this.monitor.countsFrames) this.recordLeaf(frame, off >>> this.shift);
    if (Atomics.load(this.words, fw) !== FRAME_PUBLISHED) this.publishFrame(fw, page);
    if (Atomics.load(this.words, e + EntryWord.KEY) & KEY_UNSETTLED) this.settle(e, frame);
  }

  /** Version monitor: frame's leaf node in the radix tree, in the reserved region (its word never changes once set). */
  private recordLeaf(frame: number, key: number): void {
    const at = this.shared.reservedWord + frame;
    if (Atomics.load(this.words, at) === 0) Atomics.store(this.words, at, this.shared.tree.leafOf(key));
  }

  private publishFrame(fw: number, page: number): void {
    // Record the page before the state: the switcher reads the state, then the page.
    Atomics.store(this.words, fw + 1, page + 1);
    Atomics.compareExchange(this.words, fw, FRAME_NONE, FRAME_PENDING);
    if (this.switchState() !== SWITCH_OFF) {
      this.c.pageShootdowns++;
      this.vcpu.flushOthersPage(page);
      this.vcpu.mmu.tlb.flushPage(page);
    }
    Atomics.store(this.words, fw, FRAME_PUBLISHED);
  }

  private settle(e: number, frame: number): void {
    if (this.switchState() !== SWITCH_OFF) {
      const want = frame + 1;
      let waited = false;
      for (let s = 0; s < MAX_VCPUS; s++) {
        const hw = this.shared.hazardsWord + s * HAZARD_STRIDE;
        if (Atomics.load(this.words, hw) !== want) continue;
        // The storer never blocks inside its window; the wait sleeps briefly if it was descheduled.
        waited = true;
        awaitWindow(this.words, hw, () => Atomics.load(this.words, hw) === want, () => want,
          () => `vCPU slot ${s}'s store hazard on guest frame 0x${frame.toString(16)}`);
      }
      if (waited) this.c.settleWaits++;
    }
    Atomics.and(this.words, e + EntryWord.KEY, ~KEY_UNSETTLED);
  }

  /** after-swp: the first SWP switches checks on for every vCPU (point 2). */
  switchOn(): void {
    const w = this.words;
    if (this.switchState() === SWITCH_ON) return;
    // From here on every fill is flagged; whoever sees PENDING shoots down too.
    Atomics.compareExchange(w, Header.SWITCH, SWITCH_OFF, SWITCH_PENDING);
    for (let f = 0, fw = this.shared.framesWord; f < NUM_FRAMES; f++, fw += FRAME_STRIDE) {
      if (Atomics.load(w, fw) === FRAME_NONE) continue;
      this.c.switchShootdowns++;
      this.vcpu.flushOthersPage(Atomics.load(w, fw + 1) - 1);
    }
    this.vcpu.mmu.tlb.flushAll();
    Atomics.store(w, Header.SWITCH, SWITCH_ON);
  }

  /** This vCPU's hazard word (index in the shared words): the inline unlocked store (inline-unlocked-store.ts) sets and clears it. */
  get hazardWord(): number {
    return this.hazard;
  }

  /** A plain store to a flagged page (the Mmu's flaggedStore hook). */
  store(addr: number, bytes: number, doStore: () => void): void {
    this.c.storeChecks++;
    const w = this.words;
    // The page's write entry is valid (just filled, or a TLB_EXCL hit).
    const off = (addr + this.vcpu.mmu.tlb.addend[Tlb.index(addr)]!) | 0;
    const first = off >>> this.shift;
    const last = (off + bytes - 1) >>> this.shift;
    const frame = off >>> PAGE_BITS;
    Atomics.store(w, this.hazard, frame + 1);
    // Only the set monitor counts reservations per frame; under the version monitor the chunk's entry decides.
    if (first === last && this.monitor.countsFrames && this.reservations.none(frame)) {
      // No reservation anywhere on the frame: a LDREX that joins a set here now waits for the hazard.
      this.c.unlockedStores++;
      doStore();
      Atomics.store(w, this.hazard, 0);
      return;
    }
    if (first === last) {
      const e = this.lookup(first);
      if (e === 0) {
        doStore();
        Atomics.store(w, this.hazard, 0);
        return;
      }
      Atomics.store(w, this.hazard, 0);
      this.c.storeChecksWithEntry++;
      const keepOwn = this.ownReservationSurvives(e, addr, bytes);
      lockEntry(w, e + EntryWord.LOCK, this.c);
      try {
        doStore();
      } finally {
        this.monitor.storedAndRelease(e, keepOwn);
      }
      return;
    }
    this.straddlingStore(first, last, addr, bytes, doStore);
  }

  /**
   * Whether this vCPU's reservation, if it is in entry e's set, outlives its
   * own store of `bytes` at addr: yes unless the store overlaps the reserved
   * bytes (the local monitor's address and size) or this vCPU holds none in e.
   */
  private ownReservationSurvives(e: number, addr: number, bytes: number): boolean {
    const { env, slots } = this.vcpu;
    if (env[slots.scratch] !== e || env[slots.exclAddr] === -1) return false;
    const start = env[slots.exclAddr]! >>> 0;
    const end = start + (1 << env[slots.exclSize]!);
    const a = addr >>> 0;
    return a + bytes <= start || a >= end;
  }

  /** A store over several chunks: lock those with entries in key order, keep the hazard for the rest. */
  private straddlingStore(first: number, last: number, addr: number, bytes: number, doStore: () => void): void {
    const w = this.words;
    const locked: number[] = [];
    for (let k = first; k <= last; k++) {
      const e = this.lookup(k);
      if (e !== 0) locked.push(e);
    }
    if (locked.length > 0) this.c.storeChecksWithEntry++;
    const keepOwn = locked.map((e) => this.ownReservationSurvives(e, addr, bytes));
    for (const e of locked) lockEntry(w, e + EntryWord.LOCK, this.c);
    try {
      doStore();
    } finally {
      for (let i = locked.length - 1; i >= 0; i--) this.monitor.storedAndRelease(locked[i]!, keepOwn[i]!);
      Atomics.store(w, this.hazard, 0);
    }
  }
}
