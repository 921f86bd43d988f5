// One vCPU of the randomised hammer, in a worker thread: a seeded sequence of
// LDREX/modify/STREX retry loops at random sizes, kuser cmpxchg and cmpxchg64
// add loops, SWP/SWPB spinlocks guarding plain read-modify-writes, and plain
// stores to neighbouring bytes. Between operations it passes a "TB boundary"
// (serves flush and park requests, as the cpu loop does), without which a
// stop-the-world section could never complete.

import { BarrierKind } from '../../src/emulator/ir/barrier-kind.js';
import { MemOp } from '../../src/emulator/ir/memop.js';
import {
  CAS64_COUNTER, CAS_COUNTER, EXCL_COUNTERS, type HammerData, type HammerResult, NEIGHBOURS, SWP_LOCKS,
} from './hammer-layout.js';
import { EXCL_SIZES, type ExclSize, SWP_MEMOPS } from '../../harness/lowered-atomics.js';
import { SeededRandom } from '../../harness/seeded-random.js';
import { SizedAccess } from './sized-access.js';
import { HarnessVcpu } from '../../harness/vcpu-harness.js';
import { serveWorker } from '../../harness/worker-pool.js';

const PLAIN_MEMOPS = { 1: MemOp.SIZE_8, 2: MemOp.SIZE_16, 4: MemOp.SIZE_32 } as const;
const ACCESS: Readonly<Record<ExclSize, SizedAccess>> = {
  B: new SizedAccess('B'), H: new SizedAccess('H'), W: new SizedAccess('W'), D: new SizedAccess('D'),
};

/** Keeps the busy loop from being optimised away. */
let sink = 0;

function busy(iterations: number): void {
  for (let i = 0; i < iterations; i++) sink = (sink * 31 + i) | 0;
}

/** Every worker arrives before any starts, so that the operations overlap (serving requests while waiting). */
function startBarrier(v: HarnessVcpu, barrier: Int32Array, workers: number): void {
  Atomics.add(barrier, 0, 1);
  Atomics.notify(barrier, 0);
  for (let seen = Atomics.load(barrier, 0); seen < workers; seen = Atomics.load(barrier, 0)) {
    v.boundary();
    Atomics.wait(barrier, 0, seen, 1);
  }
}

function hammer(d: HammerData): HammerResult {
  const v = new HarnessVcpu(d.buffers, d.slot);
  const ops = v.ops;
  const rnd = new SeededRandom(d.seed);
  const added: Record<ExclSize, bigint> = { B: 0n, H: 0n, W: 0n, D: 0n };
  let casAdded = 0n;
  let cas64Added = 0n;
  const lockEntries = SWP_LOCKS.map(() => 0);
  const neighbourLast: (number | null)[] = NEIGHBOURS.map(() => null);
  let strexFailures = 0;
  let casFailures = 0;
  let stuckLocks = 0;

  const exclusiveAdd = (): void => {
    const size = EXCL_SIZES[rnd.below(4)]!;
    const s = ACCESS[size];
    const { addr } = EXCL_COUNTERS[size];
    const k = size === 'D' ? 1n + rnd.bigBelow(34) : BigInt(rnd.between(1, 255));
    const work = rnd.below(d.windowWork + 1);
    for (;;) {
      const old = s.ldrex(ops, addr);
      busy(work);
      if (s.strex(ops, addr, (old + k) & s.mask) === 0) break;
      strexFailures++;
    }
    added[size] = (added[size] + k) & s.mask;
  };

  const casAdd = (): void => {
    const k = rnd.between(1, 1 << 20);
    for (;;) {
      const old = ops.load(CAS_COUNTER, MemOp.SIZE_32);
      if (ops.cas(CAS_COUNTER, old, (old + k) | 0) === 1) break;
      casFailures++;
    }
    casAdded += BigInt(k);
  };

  const cas64Add = (): void => {
    const k = 1n + rnd.bigBelow(36);
    for (;;) {
      const old = ops.load64(CAS64_COUNTER);
      if (ops.cas64(CAS64_COUNTER, old, BigInt.asUintN(64, old + k)) === 1) break;
      casFailures++;
    }
    cas64Added += k;
  };

  const lockedIncrement = (): void => {
    const which = rnd.below(SWP_LOCKS.length);
    const { lock, memop, guarded } = SWP_LOCKS[which]!;
    const swpMemop = SWP_MEMOPS[memop];
    const plainMemop = memop === 'W' ? MemOp.SIZE_32 : MemOp.SIZE_8;
    // Test-and-test-and-set: spin on plain loads (serving requests) until free.
    while (ops.swp(lock, 1, swpMemop) !== 0) {
      for (let spins = 1; ops.load(lock, plainMemop) !== 0; spins++) {
        v.boundary();
        if (spins === d.lockSpinLimit) {
          stuckLocks++;
          ops.store(lock, 0, plainMemop);
        }
      }
    }
    ops.mb(BarrierKind.DMB);
    const n = ops.load(guarded, MemOp.SIZE_32);
    // The holder crosses TB boundaries inside its critical section, as real guests do.
    v.boundary();
    busy(rnd.below(d.windowWork + 1));
    ops.store(guarded, n + 1, MemOp.SIZE_32);
    ops.mb(BarrierKind.DMB);
    ops.store(lock, 0, plainMemop);
    lockEntries[which]!++;
  };

  const neighbourStore = (): void => {
    const mine = NEIGHBOURS.map((_, i) => i).filter((i) => i % d.workers === d.index);
    if (mine.length === 0) return;
    const i = mine[rnd.below(mine.length)]!;
    const { addr, bytes } = NEIGHBOURS[i]!;
    const value = rnd.next() >>> (32 - 8 * bytes);
    ops.store(addr, value, PLAIN_MEMOPS[bytes]);
    neighbourLast[i] = value;
  };

  const kinds = [exclusiveAdd, exclusiveAdd, exclusiveAdd, casAdd, cas64Add, lockedIncrement, neighbourStore];
  v.start();
  try {
    startBarrier(v, new Int32Array(d.barrier), d.workers);
    for (let n = 0; n < d.operations; n++) {
      kinds[rnd.below(kinds.length)]!();
      v.boundary();
    }
  } finally {
    // A finished (or failed) vCPU leaves the table, so the others' sections stop waiting for it.
    v.release();
  }
  return {
    added, casAdded, cas64Added, lockEntries, neighbourLast, stuckLocks, strexFailures, casFailures,
    boundariesServed: v.control.flushesServed + v.control.parks,
    strategyStats: v.atomics.stats(),
  };
}

serveWorker(hammer);
