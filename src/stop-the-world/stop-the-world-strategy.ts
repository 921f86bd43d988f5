// QEMU linux-user before MTTCG atomics (EXCP_STREX + start_exclusive), and
// today's EXCP_ATOMIC fallback: LDREX records address and value; STREX, SWP
// and the kuser cmpxchg stop every other vCPU (SlotControl.stopTheWorld: each
// one parked at a TB boundary or outside translated code), compare memory
// with the recorded value, store if equal, and let the others go. Atomic under
// any contention, but still a value compare, so ABA goes unnoticed; and every
// atomic write halts the whole machine, so throughput collapses as vCPUs grow.

import { guaranteesExcept, VALUE_COMPARE_WEAKNESSES } from '../emulator/atomics/guarantees.js';
import { hi32, lo32 } from '../emulator/atomics/host-views.js';
import type { AtomicStrategy, AtomicVcpu } from '../emulator/atomics/strategy.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';
import { newMonitorCounters } from '../value-compare/local-monitor.js';
import { attachValueCompare } from '../value-compare/value-compare-vcpu.js';

function attachStopTheWorld(_shared: SharedArrayBuffer | null, vcpu: VcpuServices): AtomicVcpu {
  const { mmu, views } = vcpu;
  const c = { ...newMonitorCounters(), exclusiveSections: 0 };
  const exclusive = <T>(fn: () => T): T => {
    c.exclusiveSections++;
    return vcpu.stopTheWorld(fn);
  };
  return attachValueCompare(vcpu, {
    compareAndStore: (addr, bytes, memop, expectLo, expectHi, lo, hi, pc) => exclusive(() => {
      // Offsets are taken inside the section: no munmap can intervene.
      const off = mmu.atomicOffset(addr, bytes, pc);
      if (bytes === 8) {
        const now = views.load64(off);
        if (lo32(now) !== expectLo || hi32(now) !== expectHi) return false;
        views.plainStore(off, lo, MemOp.SIZE_32);
        views.plainStore(off + 4, hi, MemOp.SIZE_32);
        return true;
      }
      const mask = bytes === 4 ? -1 : (1 << (8 * bytes)) - 1;
      if (views.plainLoad(off, memop) !== (expectLo & mask)) return false;
      views.plainStore(off, lo, memop);
      return true;
    }),
    exchange: (addr, bytes, value, memop, pc) => exclusive(() => {
      const off = mmu.atomicOffset(addr, bytes, pc);
      const old = views.plainLoad(off, memop);
      views.plainStore(off, value, memop);
      return old;
    }),
  }, c);
}

export const stopTheWorldStrategy: AtomicStrategy = {
  name: 'stop-the-world',
  origin: 'QEMU linux-user before 2.8: EXCP_STREX handled under start_exclusive (seed 001 "queued safe work")',
  doc: 'docs/strategies.md',
  options: [],
  checkOptions: () => {},
  tortureVariants: [],
  guarantees: () => guaranteesExcept(VALUE_COMPARE_WEAKNESSES),
  createShared: () => null,
  attach: attachStopTheWorld,
};
