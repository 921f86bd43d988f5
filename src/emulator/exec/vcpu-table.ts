// The shared table of vCPUs and the cross-vCPU protocols built on it:
// page-granular TLB shootdown with acknowledgement, and stop-the-world exclusive sections
// (QEMU's start_exclusive/end_exclusive, the "queued safe work" of seed 001).
//
// Each vCPU owns a slot with a state and a pending-request word. Requests are
// served at TB boundaries (the cpu loop tests the pending word before each
// dispatch). A vCPU blocked in the kernel (futex wait, sleep, a flush wait)
// counts as quiescent: it does not touch guest memory through its TLB, and on
// the way back (leaveBlocking) it serves requests and waits out any exclusive
// section before running translated code again. The store/load pairs on the
// state word and the pending/exclusive words are sequentially consistent
// Atomics, so an initiator and a returning vCPU can never miss each other.

import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';
import { TLB_USER_MANY } from '../softmmu/tlb-users.js';
import { NUM_PAGES, PAGE_BITS } from '../softmmu/page-bits.js';
import type { Tlb } from '../softmmu/tlb.js';
import type { VcpuControl } from './vcpu-control.js';

export const MAX_VCPUS = 256;
const SLOT_WORDS = 16;

// slot words
const S_STATE = 0;
const S_TID = 1;
const S_PENDING = 2;
const S_FLUSH_ACK = 3;
const S_BLOCK_KIND = 4; // 1 = blocked with no timeout, 2 = blocked with a timeout
const S_BLOCK_SEQ = 5; // bumped on every entry to a blocking wait (deadlock detection)
const S_BLOCK_ADDR = 6; // futex address, for the deadlock report
const S_WORKER = 7; // 1 once a pooled worker has been started for this slot (process/worker-pool.ts)
const S_LAST_SPACE = 8; // address space of the slot's last thread (its worker's TBs are warm for it)
const S_FLUSH_LOCK = 9; // guards the two words below
const S_FLUSH_FIRST = 10; // pages [FIRST, LAST] this vCPU must drop at its next flush
const S_FLUSH_LAST = 11; // (FIRST > LAST: none)
const S_PID = 12; // pid of the process the slot's thread belongs to (tkill/tgkill across processes, reports)

// global words
const G_EXCL_LOCK = 0;
const G_EXCL_OWNER = 1; // slot + 1 of the vCPU in an exclusive section, 0 if none
const G_FLUSH_GEN = 2;
const G_STW_SECTIONS = 3;
const G_FLUSH_REQUESTS = 4;

export const enum VcpuState {
  FREE = 0,
  /** Allocated, its worker not yet running guest code (quiescent; starts with an empty TLB). */
  STARTING = 1,
  RUNNING = 2,
  BLOCKED = 3,
  PARKED = 4,
}

export const REQ_FLUSH = 1;
export const REQ_PARK = 2;
/** Publish --stats counters now (the process is ending). */
export const REQ_STATS = 4;
/** A signal may be deliverable to this thread (linux-user/signal-state.ts); served last. */
export const REQ_SIGNAL = 8;
/**
 * A code page was invalidated (GuestMemory.onCodeInvalidated): leave
 * compiled code so that the cpu loop compares the code epoch. Compiled
 * regions test only the pending word at a back-edge, so this one load
 * covers requests, signals and code changes alike.
 */
export const REQ_CODE = 16;
/**
 * The first thread's solo phase on the main thread has used its time budget
 * (machine/solo-phase.ts): hand the thread over to its worker at this TB
 * boundary. Served first: the worker serves the rest.
 */
export const REQ_HANDOVER = 32;

const LAYOUT = new SharedLayout([
  { name: 'global', words: 16 },
  { name: 'slots', words: MAX_VCPUS * SLOT_WORDS },
]);

export class VcpuTable {
  readonly global: Int32Array;
  readonly slots: Int32Array;
  private readonly exclusiveLock: SharedLock;

  static create(): SharedArrayBuffer {
    return new SharedArrayBuffer(LAYOUT.totalWords * 4);
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    this.global = LAYOUT.view(buffer, 'global');
    this.slots = LAYOUT.view(buffer, 'slots');
    this.exclusiveLock = new SharedLock(this.global, G_EXCL_LOCK);
  }

  state(slot: number): VcpuState {
    return Atomics.load(this.slots, slot * SLOT_WORDS + S_STATE);
  }

  tid(slot: number): number {
    return Atomics.load(this.slots, slot * SLOT_WORDS + S_TID);
  }

  /**
   * Claims a free slot for a new thread (state STARTING); -1 if all
   * MAX_VCPUS are in use. Slots whose worker is already started come first,
   * and among those one whose last thread ran address space `space`.
   * `pid` is the thread's process (its own tid for a process's first thread).
   */
  allocate(tid: number, space = 0, pid = tid): number {
    for (const pass of [0, 1, 2]) {
      for (let s = 0; s < MAX_VCPUS; s++) {
        const base = s * SLOT_WORDS;
        if (Atomics.load(this.slots, base + S_STATE) !== VcpuState.FREE) continue;
        const started = Atomics.load(this.slots, base + S_WORKER) !== 0;
        if (pass === 0 && !(started && space !== 0 && Atomics.load(this.slots, base + S_LAST_SPACE) === space)) continue;
        if (pass === 1 && !started) continue;
        // compareExchange: two creators racing for one slot cannot both get it.
        if (Atomics.compareExchange(this.slots, base + S_STATE, VcpuState.FREE, VcpuState.STARTING) === VcpuState.FREE) {
          Atomics.store(this.slots, base + S_TID, tid);
          Atomics.store(this.slots, base + S_PID, pid);
          Atomics.store(this.slots, base + S_PENDING, 0);
          Atomics.store(this.slots, base + S_FLUSH_ACK, Atomics.load(this.global, G_FLUSH_GEN));
          Atomics.store(this.slots, base + S_LAST_SPACE, space);
          // The vCPU flushes its whole TLB before it runs the new thread: nothing left from the slot's last one.
          Atomics.store(this.slots, base + S_FLUSH_FIRST, NUM_PAGES);
          Atomics.store(this.slots, base + S_FLUSH_LAST, -1);
          return s;
        }
      }
    }
    return -1;
  }

  /** The pool records that slot has a worker (started, or starting); false if it already had one. */
  markWorkerStarted(slot: number): boolean {
    // compareExchange: the supervisor may start a spare for a slot a creator is claiming right now; one worker wins.
    return Atomics.compareExchange(this.slots, slot * SLOT_WORDS + S_WORKER, 0, 1) === 0;
  }

  hasWorker(slot: number): boolean {
    return Atomics.load(this.slots, slot * SLOT_WORDS + S_WORKER) !== 0;
  }

  release(slot: number): void {
    Atomics.store(this.slots, slot * SLOT_WORDS + S_STATE, VcpuState.FREE);
  }

  /** The pid of the live thread tid, of any process; -1 if no such thread runs. */
  pidOfThread(tid: number): number {
    if (tid <= 0) return -1;
    for (let s = 0; s < MAX_VCPUS; s++) {
      const b = s * SLOT_WORDS;
      if (Atomics.load(this.slots, b + S_STATE) === VcpuState.FREE || Atomics.load(this.slots, b + S_TID) !== tid) continue;
      return Atomics.load(this.slots, b + S_PID);
    }
    return -1;
  }

  /** Snapshot for the supervisor's deadlock detector and reports. */
  snapshot(): { slot: number; tid: number; pid: number; state: VcpuState; blockKind: number; blockSeq: number; blockAddr: number }[] {
    const out = [];
    for (let s = 0; s < MAX_VCPUS; s++) {
      const b = s * SLOT_WORDS;
      const state = Atomics.load(this.slots, b + S_STATE) as VcpuState;
      if (state === VcpuState.FREE) continue;
      out.push({
        slot: s, tid: this.slots[b + S_TID]!, pid: Atomics.load(this.slots, b + S_PID), state,
        blockKind: Atomics.load(this.slots, b + S_BLOCK_KIND), blockSeq: Atomics.load(this.slots, b + S_BLOCK_SEQ),
        blockAddr: Atomics.load(this.slots, b + S_BLOCK_ADDR),
      });
    }
    return out;
  }

  /** Asks every live vCPU (but `except`) to serve a request bit at its next TB boundary. */
  requestAll(bit: number, except = -1): void {
    for (let s = 0; s < MAX_VCPUS; s++) {
      if (s === except || this.state(s) === VcpuState.FREE) continue;
      this.request(s, bit);
    }
  }

  /**
   * Asks every live vCPU, this one included, to leave compiled code and
   * compare the code epoch (REQ_CODE). No notify: nobody sleeps on it, a
   * blocked vCPU compares the epoch on its way back to guest code anyway.
   */
  requestCodeCheck(): void {
    for (let s = 0; s < MAX_VCPUS; s++) {
      // or after the caller's epoch bump: whoever clears the bit reads the epoch after it.
      if (this.state(s) !== VcpuState.FREE) Atomics.or(this.slots, s * SLOT_WORDS + S_PENDING, REQ_CODE);
    }
  }

  /** Asks the vCPU in slot to look at its pending signals at its next TB boundary (wakes a parked wait too). */
  requestSignal(slot: number): void {
    // or, then notify: the vCPU tests the word at every TB boundary, so it cannot miss the bit.
    Atomics.or(this.slots, slot * SLOT_WORDS + S_PENDING, REQ_SIGNAL);
    Atomics.notify(this.slots, slot * SLOT_WORDS + S_PENDING);
  }

  request(slot: number, bit: number): void {
    Atomics.or(this.slots, slot * SLOT_WORDS + S_PENDING, bit);
    Atomics.notify(this.slots, slot * SLOT_WORDS + S_PENDING);
  }

  /**
   * Adds pages [first, last] to what `slot` drops at its next flush. The
   * initiator merges first, then bumps the flush generation, then sets the
   * request bit: a vCPU that acknowledges the generation read it after the
   * merge (and takes the range after that), and one that cleared the bit
   * before it was set will see it set again.
   */
  mergeFlushRange(slot: number, first: number, last: number): void {
    const b = slot * SLOT_WORDS;
    const lock = new SharedLock(this.slots, b + S_FLUSH_LOCK);
    lock.withLock(() => {
      // Under the slot's flush lock: the target reads and resets both words under it too.
      if (first < Atomics.load(this.slots, b + S_FLUSH_FIRST)) Atomics.store(this.slots, b + S_FLUSH_FIRST, first);
      if (last > Atomics.load(this.slots, b + S_FLUSH_LAST)) Atomics.store(this.slots, b + S_FLUSH_LAST, last);
    });
  }

  /** Takes (and empties) the page range `slot` must flush; [first, last], empty when first > last. */
  takeFlushRange(slot: number): [number, number] {
    const b = slot * SLOT_WORDS;
    const lock = new SharedLock(this.slots, b + S_FLUSH_LOCK);
    return lock.withLock(() => {
      // Under the slot's flush lock, against a concurrent mergeFlushRange.
      const range: [number, number] = [Atomics.load(this.slots, b + S_FLUSH_FIRST), Atomics.load(this.slots, b + S_FLUSH_LAST)];
      Atomics.store(this.slots, b + S_FLUSH_FIRST, NUM_PAGES);
      Atomics.store(this.slots, b + S_FLUSH_LAST, -1);
      return range;
    });
  }

  counters(): { stopTheWorldSections: number; tlbFlushRequests: number } {
    return { stopTheWorldSections: Atomics.load(this.global, G_STW_SECTIONS), tlbFlushRequests: Atomics.load(this.global, G_FLUSH_REQUESTS) };
  }

  /** The VcpuControl of the vCPU in `slot`, flushing `tlb`. */
  control(slot: number, tlb: Tlb): SlotControl {
    return new SlotControl(this, slot, tlb, this.exclusiveLock);
  }
}

export class SlotControl implements VcpuControl {
  readonly pending: Int32Array;
  readonly pendingIndex: number;
  private readonly base: number;
  flushesServed = 0;
  parks = 0;
  /** Publishes this vCPU's counters (set by the worker when --stats is on). */
  publishStats: (() => void) | null = null;
  /** Delivers this thread's pending signals (set by the worker; may change the registers). */
  deliverSignals: (() => void) | null = null;
  /** Leaves the cpu loop to move the thread to its worker (REQ_HANDOVER; set by the solo phase, throws). */
  handOver: (() => void) | null = null;

  constructor(
    private readonly table: VcpuTable,
    readonly slot: number,
    private readonly tlb: Tlb,
    private readonly exclusiveLock: SharedLock,
  ) {
    this.base = slot * SLOT_WORDS;
    this.pending = table.slots;
    this.pendingIndex = this.base + S_PENDING;
  }

  private setState(s: VcpuState): void {
    Atomics.store(this.table.slots, this.base + S_STATE, s);
  }

  serveRequests(): void {
    const slots = this.table.slots;
    const req = Atomics.load(slots, this.pendingIndex);
    if (req & REQ_HANDOVER) {
      Atomics.and(slots, this.pendingIndex, ~REQ_HANDOVER);
      this.handOver?.();
    }
    // The cpu loop compares the code epoch right after this: clear first, so a later bump sets it again.
    if (req & REQ_CODE) Atomics.and(slots, this.pendingIndex, ~REQ_CODE);
    if (req & REQ_FLUSH) this.serveFlush();
    if (req & REQ_STATS) {
      Atomics.and(slots, this.pendingIndex, ~REQ_STATS);
      this.publishStats?.();
    }
    if (req & REQ_PARK) {
      Atomics.and(slots, this.pendingIndex, ~REQ_PARK);
      this.parkWhileExclusive();
    }
    // Last: delivery writes a frame to guest memory and may end the process.
    if (req & REQ_SIGNAL) {
      // Clear before looking: a signal posted meanwhile sets the bit again.
      Atomics.and(slots, this.pendingIndex, ~REQ_SIGNAL);
      this.deliverSignals?.();
    }
  }

  private serveFlush(): void {
    const slots = this.table.slots;
    Atomics.and(slots, this.pendingIndex, ~REQ_FLUSH);
    // The generation first, then the range: see VcpuTable.mergeFlushRange.
    const gen = Atomics.load(this.table.global, G_FLUSH_GEN);
    const [first, last] = this.table.takeFlushRange(this.slot);
    if (first <= last) this.tlb.flushRange(first << PAGE_BITS >>> 0, (last - first + 1) << PAGE_BITS >>> 0);
    this.flushesServed++;
    Atomics.store(slots, this.base + S_FLUSH_ACK, gen);
    Atomics.notify(slots, this.base + S_FLUSH_ACK);
  }

  /** Parks (quiescent) until no other vCPU is in an exclusive section, serving flushes meanwhile. */
  private parkWhileExclusive(): void {
    const g = this.table.global;
    const me = this.slot + 1;
    let owner = Atomics.load(g, G_EXCL_OWNER);
    if (owner === 0 || owner === me) return;
    this.parks++;
    for (;;) {
      this.setState(VcpuState.PARKED);
      while (owner !== 0 && owner !== me) {
        if (Atomics.load(this.pending, this.pendingIndex) & REQ_FLUSH) this.serveFlush();
        Atomics.wait(g, G_EXCL_OWNER, owner, 5);
        owner = Atomics.load(g, G_EXCL_OWNER);
      }
      // A new initiator may have claimed the section after our last load and
      // already seen us PARKED (its fn may be running). Store RUNNING, then
      // load the owner again: the mirror of the initiator's store of the
      // owner, then load of our state, so one of us sees the other. If a
      // section is on, park again before any guest code runs.
      this.setState(VcpuState.RUNNING);
      owner = Atomics.load(g, G_EXCL_OWNER);
      if (owner === 0 || owner === me) return;
    }
  }

  enterBlocking(infinite: boolean): void {
    this.publishStats?.();
    const s = this.table.slots;
    Atomics.store(s, this.base + S_BLOCK_KIND, infinite ? 1 : 2);
    Atomics.add(s, this.base + S_BLOCK_SEQ, 1);
    this.setState(VcpuState.BLOCKED);
  }

  setBlockAddress(addr: number): void {
    Atomics.store(this.table.slots, this.base + S_BLOCK_ADDR, addr);
  }

  leaveBlocking(): void {
    this.setState(VcpuState.RUNNING);
    Atomics.store(this.table.slots, this.base + S_BLOCK_KIND, 0);
    this.parkWhileExclusive();
    if (Atomics.load(this.pending, this.pendingIndex) & REQ_FLUSH) this.serveFlush();
  }

  /** Waits until pred() holds for every other live slot (or only `only`), staying responsive to flush requests. */
  private waitForOthers(pred: (slot: number, state: VcpuState) => boolean, only = -1): void {
    for (let s = only < 0 ? 0 : only; s < (only < 0 ? MAX_VCPUS : only + 1); s++) {
      if (s === this.slot) continue;
      for (let spins = 0; ; spins++) {
        const st = this.table.state(s);
        if (st === VcpuState.FREE || pred(s, st)) break;
        if (Atomics.load(this.pending, this.pendingIndex) & REQ_FLUSH) this.serveFlush();
        if (spins > 64) Atomics.wait(this.table.slots, s * SLOT_WORDS + S_STATE, st, 1);
      }
    }
  }

  /**
   * Drops the TLB entries of [start, start+len) here and in the TLBs that
   * `tlbUsers` names (GuestMemory's per-page record: 0 none, slot+1, or
   * TLB_USER_MANY for every other vCPU); returns once they have acknowledged.
   */
  flushTlbRange(start: number, len: number, tlbUsers = TLB_USER_MANY): void {
    // No TLB has held an entry for these pages since they were last unmapped: nothing to drop anywhere.
    if (tlbUsers === 0 || len === 0) return;
    this.tlb.flushRange(start, len);
    if (tlbUsers === this.slot + 1) return;
    const first = start >>> PAGE_BITS;
    const last = (start + len - 1) >>> PAGE_BITS;
    this.flushOthers(first, last, tlbUsers === TLB_USER_MANY ? -1 : tlbUsers - 1);
  }

  flushOthersPage(page: number): void {
    this.flushOthers(page, page, -1);
  }

  /**
   * Pages [first, last] leave the TLB of `target` (every other vCPU if -1);
   * returns once each has acknowledged or is quiescent in the kernel.
   */
  private flushOthers(first: number, last: number, target: number): void {
    const g = this.table.global;
    const table = this.table;
    const from = target < 0 ? 0 : target;
    const to = target < 0 ? MAX_VCPUS : target + 1;
    const live = (s: number): boolean => s !== this.slot && table.state(s) !== VcpuState.FREE;
    for (let s = from; s < to; s++) if (live(s)) table.mergeFlushRange(s, first, last);
    // Merge, generation, request bit: the order VcpuTable.mergeFlushRange explains.
    const gen = Atomics.add(g, G_FLUSH_GEN, 1) + 1;
    Atomics.add(g, G_FLUSH_REQUESTS, 1);
    for (let s = from; s < to; s++) if (live(s)) table.request(s, REQ_FLUSH);
    const slots = this.table.slots;
    this.waitForOthers((s, st) =>
      st === VcpuState.BLOCKED || st === VcpuState.STARTING || Atomics.load(slots, s * SLOT_WORDS + S_FLUSH_ACK) - gen >= 0, target);
  }

  stopTheWorld<T>(fn: () => T): T {
    const g = this.table.global;
    const me = this.slot + 1;
    if (Atomics.load(g, G_EXCL_OWNER) === me) return fn(); // nested
    // Quiescent while queueing for the section: another initiator may be waiting for us.
    this.setState(VcpuState.PARKED);
    while (!this.exclusiveLock.tryLock()) {
      if (Atomics.load(this.pending, this.pendingIndex) & REQ_FLUSH) this.serveFlush();
      Atomics.wait(g, G_EXCL_LOCK, Atomics.load(g, G_EXCL_LOCK), 1);
    }
    Atomics.store(g, G_EXCL_OWNER, me);
    this.setState(VcpuState.RUNNING);
    Atomics.add(g, G_STW_SECTIONS, 1);
    try {
      this.table.requestAll(REQ_PARK, this.slot);
      this.waitForOthers((_s, st) => st === VcpuState.PARKED || st === VcpuState.BLOCKED || st === VcpuState.STARTING);
      return fn();
    } finally {
      Atomics.store(g, G_EXCL_OWNER, 0);
      Atomics.notify(g, G_EXCL_OWNER);
      this.exclusiveLock.unlock();
      Atomics.notify(g, G_EXCL_LOCK);
    }
  }
}
