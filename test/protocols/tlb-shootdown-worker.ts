// A worker (vCPU) of the TLB-shootdown protocol tests, without guest code.
//
// The check: a runner records, with each TLB fill of the test page, the
// request generation it read just before the fill. An initiator bumps the
// generation, calls flushOthersPage / flushTlbRange, and only after that
// returns publishes the generation as done. At each TB boundary a runner
// loads the done generation and then looks at its own TLB: an entry filled
// before a flush request that has since returned is a stale entry the
// shootdown should have removed (the runner serves requests only at
// boundaries, so its acknowledgement always comes after the fill). The check
// holds at every access, at the start of a TB or in the middle of one: a
// flush returns only after every running vCPU has passed a boundary.
// flushTlbRange is given the page's TLB-user record (GuestMemory.tlbUsers),
// as the memory syscalls do, so a record that missed a runner would show as a
// stale entry. Flushes are page-granular: a runner's entry for another page
// survives them (counted at each boundary where a flush was served).
//
// Roles:
//   runner     fills and checks until every initiator is done; now and then
//              blocks in the "kernel" (enterBlocking/leaveBlocking) until a
//              flush has returned. Once it has seen every case the test
//              asserts on (a refill, a check with the entry present, its
//              other page's entry kept across a served flush, a flush that
//              returned while it was blocked) it counts itself ready.
//   initiator  runs at least `count` flushes, alternating the two entry
//              points, and goes on until every runner is ready (or
//              READY_LIMIT_MS has passed): on a loaded host a runner may get
//              a core only after the `count` flushes are over.
//   sleeper    fills the entry, then blocks (futex-like wait) until woken.
//   flusher    runs `count` flushes while the sleeper is blocked, then wakes it.

import { VcpuState } from '../../src/emulator/exec/vcpu-table.js';
import { PAGE_BITS, PAGE_MASK, PAGE_SIZE } from '../../src/emulator/softmmu/page-bits.js';
import { Tlb } from '../../src/emulator/softmmu/tlb.js';
import { SeededRandom } from '../../harness/seeded-random.js';
import { DATA_BASE, HarnessVcpu } from '../../harness/vcpu-harness.js';
import { serveWorker } from '../../harness/worker-pool.js';
import { Probe, type ProtocolWorkerData, spinUntil, startBarrier } from './protocol-probe.js';

/** The page every flush is about. */
export const FLUSHED_PAGE_ADDR = DATA_BASE + 2 * PAGE_SIZE;
/** Another page runners use, so that a flush has more than one entry to drop. */
const OTHER_PAGE_ADDR = DATA_BASE + 3 * PAGE_SIZE;

export interface TlbShootdownResult {
  /** Boundary checks made with an entry for the page present. */
  readonly checksWithEntry: number;
  /** Entries found that a returned flush should have removed. */
  readonly staleEntries: number;
  readonly fills: number;
  readonly flushesServed: number;
  /** Boundaries where a flush was served and the entry for the other page was still there afterwards. */
  readonly otherPageKept: number;
  readonly blockedRounds: number;
  /** Flushes this vCPU started. */
  readonly flushesStarted: number;
  /** ... of which sent requests to other vCPUs (flushTlbRange sends none while no other vCPU has filled the page). */
  readonly flushesRequested: number;
  /** flusher: flushes that returned while the sleeper was BLOCKED; runner: blocked rounds during which a flush returned. */
  readonly flushesWhileBlocked: number;
  /** sleeper: entry present before leaveBlocking (the flush was deferred) and after it. */
  readonly presentBeforeLeave: boolean | null;
  readonly presentAfterLeave: boolean | null;
}

/** How long initiators go on flushing for runners that are not yet ready (the test's guard is 90 s). */
const READY_LIMIT_MS = 60_000;

let sink = 0;
function busy(iterations: number): void {
  for (let i = 0; i < iterations; i++) sink = (sink * 31 + i) | 0;
}

function entryPresent(tlb: Tlb, addr: number): boolean {
  return (tlb.read[Tlb.index(addr)]! & PAGE_MASK) === (addr & PAGE_MASK);
}

/** DONE_GEN = max(DONE_GEN, gen): flushes of several initiators may return out of order. */
function publishDone(probe: Int32Array, gen: number): void {
  for (let cur = Atomics.load(probe, Probe.DONE_GEN); cur < gen;) {
    const seen = Atomics.compareExchange(probe, Probe.DONE_GEN, cur, gen);
    if (seen === cur) return;
    cur = seen;
  }
}

function run(d: ProtocolWorkerData): TlbShootdownResult {
  const v = new HarnessVcpu(d.buffers, d.slot);
  const probe = new Int32Array(d.probe);
  const rnd = new SeededRandom(d.seed);
  const tlb = v.mmu.tlb;
  const r = {
    checksWithEntry: 0, staleEntries: 0, fills: 0, flushesServed: 0, otherPageKept: 0, blockedRounds: 0, flushesStarted: 0, flushesRequested: 0,
    flushesWhileBlocked: 0, presentBeforeLeave: null as boolean | null, presentAfterLeave: null as boolean | null,
  };
  const boundary = (): void => {
    const served = v.control.flushesServed;
    const hadOther = entryPresent(tlb, OTHER_PAGE_ADDR);
    v.boundary();
    if (v.control.flushesServed !== served && hadOther && entryPresent(tlb, OTHER_PAGE_ADDR)) r.otherPageKept++;
  };
  let fillGen = 0;
  let ready = false;
  /** A runner counts itself ready once, when it has seen every case the test asserts on. */
  const noteReady = (): void => {
    if (ready || r.fills < 2 || r.checksWithEntry === 0 || r.otherPageKept === 0 || r.flushesWhileBlocked === 0) return;
    ready = true;
    Atomics.add(probe, Probe.RUNNERS_READY, 1);
  };

  /** Checks the entry against the flushes returned so far, then one "TB" that refills it if it is gone. */
  const checkThenAccess = (): void => {
    const done = Atomics.load(probe, Probe.DONE_GEN);
    if (entryPresent(tlb, FLUSHED_PAGE_ADDR)) {
      r.checksWithEntry++;
      if (fillGen < done) r.staleEntries++;
    } else {
      // In the order of a real fill: record this vCPU as a TLB user of the
      // page, then read what a flush's initiator changes first (here the
      // request generation, standing for the PTE an unmap stores before it
      // reads the page's users). Reading the generation before recording
      // the user would count as stale an entry whose fill the initiator
      // rightly skipped: it read the users before this vCPU was one, and a
      // real fill that late reads the changed PTE.
      v.mem.noteTlbUser(FLUSHED_PAGE_ADDR >>> PAGE_BITS, v.mmu.tlbUserId);
      fillGen = Atomics.load(probe, Probe.REQUEST_GEN);
      v.mmu.readOffset(FLUSHED_PAGE_ADDR, 4, 0);
      r.fills++;
    }
    if (!entryPresent(tlb, OTHER_PAGE_ADDR)) v.mmu.readOffset(OTHER_PAGE_ADDR, 4, 0);
  };
  /** One TB: the boundary, then accesses spread over the TB body, each checked first. */
  const checkAndAccess = (): void => {
    boundary();
    for (let k = 0; k < 8; k++) {
      checkThenAccess();
      busy(rnd.below(40));
    }
  };

  const flush = (i: number): void => {
    const gen = Atomics.add(probe, Probe.REQUEST_GEN, 1) + 1;
    let requested = true;
    if (i % 2 === 0) v.control.flushOthersPage(FLUSHED_PAGE_ADDR >>> PAGE_BITS);
    else {
      const users = Atomics.load(v.mem.tlbUsers, FLUSHED_PAGE_ADDR >>> PAGE_BITS);
      requested = users !== 0 && users !== d.slot + 1;
      v.control.flushTlbRange(FLUSHED_PAGE_ADDR, PAGE_SIZE, users);
    }
    if (requested) r.flushesRequested++;
    publishDone(probe, gen);
    Atomics.notify(probe, Probe.DONE_GEN);
    r.flushesStarted++;
  };

  v.start();
  try {
    startBarrier(probe, d.slots.length, boundary);
    if (d.role === 'runner') {
      // Rarely: a blocked vCPU wakes late on a busy host while flushes go on
      // without it, so blocking often would leave few flushes for running vCPUs.
      for (let tbs = 0; Atomics.load(probe, Probe.FINISHED) < d.initiators; tbs++) {
        if (tbs % 4096 === 64) {
          // Sleep in the kernel until a flush has returned: it counted this
          // vCPU as acknowledged, so leaveBlocking must drop the entry before
          // the next check. (The 1 ms timeout only re-checks FINISHED.)
          v.control.enterBlocking(false);
          const seen = Atomics.load(probe, Probe.DONE_GEN);
          while (Atomics.load(probe, Probe.DONE_GEN) === seen && Atomics.load(probe, Probe.FINISHED) < d.initiators) {
            Atomics.wait(probe, Probe.DONE_GEN, seen, 1);
          }
          if (Atomics.load(probe, Probe.DONE_GEN) !== seen) r.flushesWhileBlocked++;
          v.control.leaveBlocking();
          r.blockedRounds++;
          // Checked before the next boundary: leaveBlocking itself must have flushed.
          checkThenAccess();
        }
        checkAndAccess();
        noteReady();
      }
    } else if (d.role === 'initiator') {
      const runners = d.slots.length - d.initiators;
      const limit = Date.now() + READY_LIMIT_MS;
      for (let i = 0; i < d.count || (Atomics.load(probe, Probe.RUNNERS_READY) < runners && Date.now() < limit); i++) {
        flush(i + d.slot);
        boundary();
      }
      Atomics.add(probe, Probe.FINISHED, 1);
    } else if (d.role === 'sleeper') {
      checkAndAccess();
      checkAndAccess();
      v.control.enterBlocking(true);
      Atomics.store(probe, Probe.SLEEPING, 1);
      while (Atomics.load(probe, Probe.FUTEX) === 0) Atomics.wait(probe, Probe.FUTEX, 0);
      r.presentBeforeLeave = entryPresent(tlb, FLUSHED_PAGE_ADDR);
      v.control.leaveBlocking();
      r.presentAfterLeave = entryPresent(tlb, FLUSHED_PAGE_ADDR);
      checkAndAccess();
    } else if (d.role === 'flusher') {
      const sleeper = d.slots.find((s) => s !== d.slot)!;
      spinUntil('the sleeper to block', () => Atomics.load(probe, Probe.SLEEPING) === 1, boundary);
      for (let i = 0; i < d.count; i++) {
        flush(i);
        if (v.table.state(sleeper) === VcpuState.BLOCKED) r.flushesWhileBlocked++;
        boundary();
      }
      Atomics.store(probe, Probe.FUTEX, 1);
      Atomics.notify(probe, Probe.FUTEX);
    } else {
      throw new Error(`unknown role ${d.role}`);
    }
  } finally {
    v.release();
  }
  r.flushesServed = v.control.flushesServed;
  return r;
}

serveWorker(run);
