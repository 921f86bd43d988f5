// The value-comparing STREX of QEMU, shared by two strategies that differ
// only in how a store commits: LDREX arms a local monitor with the value it
// read; STREX at the armed address stores only if memory still holds that
// value; SWP and the kuser cmpxchg(64) are an exchange and a compare-and-store.
// `cmpxchg` commits with a host compare-and-swap, `stop-the-world` with a
// plain compare and store inside an exclusive section.

import { readCmpxchg64Operands } from '../emulator/atomics/cmpxchg64-operands.js';
import { helperCallLowering } from '../emulator/atomics/helper-lowering.js';
import { hi32, lo32 } from '../emulator/atomics/host-views.js';
import type { AtomicVcpu } from '../emulator/atomics/strategy.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';
import { withInlineExclusives } from './inline-exclusives.js';
import { LocalMonitor, newMonitorCounters, type MonitorCounters } from './local-monitor.js';

/** How one strategy commits a store (offsets are the commit's business: it knows when they are stable). */
export interface ValueCommit {
  /**
   * Stores lo (and hi, for 8 bytes) at addr if the item there still holds
   * expectLo (and expectHi); true if it stored.
   */
  compareAndStore(addr: number, bytes: number, memop: number, expectLo: number, expectHi: number,
    lo: number, hi: number, pc: number): boolean;
  /** Stores value at addr (1, 2 or 4 bytes) and returns the old item. */
  exchange(addr: number, bytes: number, value: number, memop: number, pc: number): number;
  /**
   * True if both are one host atomic at the TLB-hit offset and nothing else:
   * translated code then runs word-sized ones inline (inline-exclusives.ts).
   */
  readonly hostAtomics?: boolean;
}

const bytesOf = (memop: number): number => 1 << (memop & MemOp.SIZE_MASK);

/** Attaches one vCPU of a value-comparing strategy; `c` may carry the commit's own counters too. */
export function attachValueCompare(vcpu: VcpuServices, commit: ValueCommit, c: MonitorCounters = newMonitorCounters()): AtomicVcpu {
  const { mmu, views } = vcpu;
  const monitor = new LocalMonitor(vcpu.env, vcpu.slots);

  const helpers = {
    ld_excl(addr: number, memop: number, pc: number): number {
      c.ldrex++;
      return monitor.arm(views, addr, mmu.readOffset(addr, bytesOf(memop), pc), memop);
    },
    st_excl(addr: number, lo: number, hi: number, memop: number, pc: number): number {
      c.strex++;
      if (!monitor.take(addr, memop)) {
        c.strexFailMonitor++;
        return 1;
      }
      const ok = commit.compareAndStore(addr, bytesOf(memop), memop, monitor.valueLo, monitor.valueHi, lo, hi, pc);
      if (!ok) c.strexFailValue++;
      return ok ? 0 : 1;
    },
    swap(addr: number, value: number, memop: number, pc: number): number {
      c.swaps++;
      return commit.exchange(addr, bytesOf(memop), value, memop, pc);
    },
    cmpxchg(addr: number, expected: number, replacement: number, memop: number, pc: number): number {
      c.cas++;
      const ok = commit.compareAndStore(addr, 4, memop, expected, 0, replacement, 0, pc);
      if (!ok) c.casFail++;
      return ok ? 1 : 0;
    },
    cmpxchg64(ptr: number, expPtr: number, repPtr: number, pc: number): number {
      c.cas++;
      const { expected, replacement } = readCmpxchg64Operands(mmu, expPtr, repPtr, pc);
      const ok = commit.compareAndStore(ptr, 8, MemOp.SIZE_64, lo32(expected), hi32(expected),
        lo32(replacement), hi32(replacement), pc);
      if (!ok) c.casFail++;
      return ok ? 1 : 0;
    },
    clrex: monitor.clearJs(),
  };

  const lowering = helperCallLowering(helpers, c, vcpu.slots);
  return {
    ...(commit.hostAtomics ? withInlineExclusives(lowering, vcpu.slots) : lowering),
    tlbWriteFlags: () => 0,
    flaggedStore: (_addr, _bytes, doStore) => doStore(),
    onSyscall: () => monitor.clear(),
    stats: () => ({ ...c }),
  };
}
