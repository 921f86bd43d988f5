// Runs the randomised hammer (hammer-worker.ts) for one strategy and checks
// the exact final state: every counter equals its initial value plus what
// the workers say they added (modulo its width), every guarded counter
// equals the number of critical sections, every lock is free, and every
// neighbour holds its owner's last store. Returns the differences found.

import { VcpuTable } from '../../src/emulator/exec/vcpu-table.js';
import { MemOp } from '../../src/emulator/ir/memop.js';
import { GuestMemory } from '../../src/emulator/softmmu/guest-memory.js';
import { Mmu } from '../../src/emulator/softmmu/mmu.js';
import {
  CAS64_COUNTER, CAS64_INIT, CAS_COUNTER, EXCL_COUNTERS, type HammerData, type HammerResult, NEIGHBOURS, SWP_LOCKS,
} from './hammer-layout.js';
import { EXCL_SIZES, join64 } from '../../harness/lowered-atomics.js';
import { allocateSlots, createHarness } from '../../harness/vcpu-harness.js';
import { runWorkers } from '../../harness/worker-pool.js';

export interface HammerSettings {
  readonly strategy: string;
  readonly workers: number;
  readonly operations: number;
  readonly seed: number;
  readonly windowWork: number;
  /** See HammerData.lockSpinLimit (unsafe only). */
  readonly lockSpinLimit?: number;
  /** Hang guard only (see worker-pool.ts). */
  readonly guardSeconds: number;
}

export interface HammerOutcome {
  /** One line per wrong word; empty if the final state is exact. */
  readonly differences: string[];
  readonly results: HammerResult[];
  readonly stopTheWorldSections: number;
}

const PLAIN = { 1: MemOp.SIZE_8, 2: MemOp.SIZE_16, 4: MemOp.SIZE_32 } as const;

/** Guest memory accessed from the main thread without a vCPU slot (set-up and final check). */
class MemoryProbe {
  private readonly mmu: Mmu;

  constructor(mem: GuestMemory) {
    this.mmu = new Mmu(mem);
  }

  load(addr: number, bytes: 1 | 2 | 4): bigint {
    return BigInt(this.mmu.ld(addr, PLAIN[bytes], 0) >>> 0);
  }

  load64(addr: number): bigint {
    return join64(this.mmu.ld(addr, MemOp.SIZE_32, 0), this.mmu.ld(addr + 4, MemOp.SIZE_32, 0));
  }

  store(addr: number, value: bigint, bytes: 1 | 2 | 4 | 8): void {
    for (let k = 0; k < bytes; k++) this.mmu.st(addr + k, Number((value >> BigInt(8 * k)) & 0xffn), MemOp.SIZE_8, 0);
  }
}

export async function runHammer(s: HammerSettings): Promise<HammerOutcome> {
  const buffers = createHarness(s.strategy);
  const probe = new MemoryProbe(new GuestMemory(buffers.memory));
  for (const size of EXCL_SIZES) {
    const c = EXCL_COUNTERS[size];
    probe.store(c.addr, c.init, ({ B: 1, H: 2, W: 4, D: 8 } as const)[size]);
  }
  probe.store(CAS64_COUNTER, CAS64_INIT, 8);

  const slots = allocateSlots(buffers, s.workers);
  const barrier = new SharedArrayBuffer(64);
  const data: HammerData[] = slots.map((slot, index) => ({
    buffers, slot, index, workers: s.workers, seed: (s.seed * 7919 + index * 104729) | 0,
    operations: s.operations, windowWork: s.windowWork, lockSpinLimit: s.lockSpinLimit ?? 0, barrier,
  }));
  const results = await runWorkers<HammerData, HammerResult>(
    new URL('./hammer-worker.js', import.meta.url), data, s.guardSeconds);

  const differences: string[] = [];
  const expectEqual = (what: string, got: bigint, want: bigint): void => {
    if (got !== want) differences.push(`${what}: 0x${got.toString(16)}, expected 0x${want.toString(16)}`);
  };
  for (const size of EXCL_SIZES) {
    const c = EXCL_COUNTERS[size];
    const bytes = ({ B: 1, H: 2, W: 4, D: 8 } as const)[size];
    const mask = (1n << BigInt(8 * bytes)) - 1n;
    const want = results.reduce((sum, r) => sum + r.added[size], c.init) & mask;
    expectEqual(`LDREX/STREX ${size} counter`, bytes === 8 ? probe.load64(c.addr) : probe.load(c.addr, bytes), want);
  }
  expectEqual('cmpxchg counter', probe.load(CAS_COUNTER, 4), results.reduce((a, r) => a + r.casAdded, 0n) & 0xffffffffn);
  expectEqual('cmpxchg64 counter', probe.load64(CAS64_COUNTER),
    BigInt.asUintN(64, results.reduce((a, r) => a + r.cas64Added, CAS64_INIT)));
  SWP_LOCKS.forEach((l, i) => {
    expectEqual(`SWP${l.memop === 'B' ? 'B' : ''} lock`, probe.load(l.lock, l.memop === 'W' ? 4 : 1), 0n);
    expectEqual(`counter guarded by the SWP${l.memop === 'B' ? 'B' : ''} lock`, probe.load(l.guarded, 4),
      BigInt(results.reduce((a, r) => a + r.lockEntries[i]!, 0)));
  });
  const stuck = results.reduce((a, r) => a + r.stuckLocks, 0);
  if (stuck > 0) differences.push(`${stuck} SWP locks were left taken by nobody and forced free`);
  NEIGHBOURS.forEach((n, i) => {
    const last = results.map((r) => r.neighbourLast[i]).find((x) => x !== null && x !== undefined);
    expectEqual(`plain-stored neighbour at +${n.addr & 0xff}`, probe.load(n.addr, n.bytes), BigInt(last ?? 0));
  });
  return { differences, results, stopTheWorldSections: new VcpuTable(buffers.vcpus).counters().stopTheWorldSections };
}
