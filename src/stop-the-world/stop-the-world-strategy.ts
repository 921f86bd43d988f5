// QEMU linux-user before MTTCG atomics (EXCP_STREX + start_exclusive), and
// today's EXCP_ATOMIC fallback: LDREX records address and value; STREX, SWP
// and the kuser cmpxchg stop every other vCPU (SlotControl.stopTheWorld: each
// one parked at a TB boundary or outside translated code), compare memory
// with the recorded value, store if equal, and let the others go. Atomic under
// any contention, but still a value compare, so ABA goes unnoticed; and every
// atomic write halts the whole machine, so throughput collapses as vCPUs grow.

import { Env } from '../emulator/arm/cpu-state.js';
import { helperCallLowering } from '../emulator/atomics/helper-lowering.js';
import { guaranteesExcept, VALUE_COMPARE_WEAKNESSES } from '../emulator/atomics/guarantees.js';
import { hi32, lo32, pack64 } from '../emulator/atomics/host-views.js';
import {
  armMonitor, clearMonitor, newMonitorCounters, takeMonitor,
} from '../value-compare/local-monitor.js';
import type { AtomicStrategy, AtomicVcpu } from '../emulator/atomics/strategy.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';

function attachStopTheWorld(_shared: SharedArrayBuffer | null, vcpu: VcpuServices): AtomicVcpu {
  const { env, mmu, views } = vcpu;
  const c = { ...newMonitorCounters(), exclusiveSections: 0 };
  const bytesOf = (memop: number): number => 1 << (memop & MemOp.SIZE_MASK);
  const exclusive = <T>(fn: () => T): T => {
    c.exclusiveSections++;
    return vcpu.stopTheWorld(fn);
  };

  const ldex = (addr: number, memop: number, pc: number): number => {
    c.ldrex++;
    return armMonitor(env, views, addr, mmu.readOffset(addr, bytesOf(memop), pc), memop);
  };
  const strex = (addr: number, lo: number, hi: number, memop: number, pc: number): number => {
    c.strex++;
    if (!takeMonitor(env, addr, memop)) {
      c.strexFailMonitor++;
      return 1;
    }
    const bytes = bytesOf(memop);
    const expectLo = env[Env.EXCL_VAL_LO]!;
    const expectHi = env[Env.EXCL_VAL_HI]!;
    const ok = exclusive(() => {
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
    });
    if (!ok) c.strexFailValue++;
    return ok ? 0 : 1;
  };
  const swap = (addr: number, value: number, memop: number, pc: number): number => {
    c.swaps++;
    return exclusive(() => {
      const off = mmu.atomicOffset(addr, bytesOf(memop), pc);
      const old = views.plainLoad(off, memop);
      views.plainStore(off, value, memop);
      return old;
    });
  };
  const cas = (addr: number, expected: number, replacement: number, memop: number, pc: number): number => {
    c.cas++;
    const ok = exclusive(() => {
      const off = mmu.atomicOffset(addr, 4, pc);
      if (views.plainLoad(off, memop) !== (expected | 0)) return false;
      views.plainStore(off, replacement, memop);
      return true;
    });
    if (!ok) c.casFail++;
    return ok ? 1 : 0;
  };
  const cas64 = (ptr: number, expPtr: number, repPtr: number, pc: number): number => {
    c.cas++;
    const expected = pack64(mmu.ld(expPtr, MemOp.SIZE_32, pc), mmu.ld((expPtr + 4) | 0, MemOp.SIZE_32, pc));
    const replacement = pack64(mmu.ld(repPtr, MemOp.SIZE_32, pc), mmu.ld((repPtr + 4) | 0, MemOp.SIZE_32, pc));
    const ok = exclusive(() => {
      const off = mmu.atomicOffset(ptr, 8, pc);
      if (views.load64(off) !== expected) return false;
      views.plainStore(off, lo32(replacement), MemOp.SIZE_32);
      views.plainStore(off + 4, hi32(replacement), MemOp.SIZE_32);
      return true;
    });
    if (!ok) c.casFail++;
    return ok ? 1 : 0;
  };

  return {
    ...helperCallLowering({
      ldex, strex, swap, cas, cas64, counters: c,
      clrex: `R[${Env.EXCL_ADDR}] = -1;`,
    }),
    tlbWriteFlags: () => 0,
    flaggedStore: (_addr, _bytes, doStore) => doStore(),
    onSyscall: () => clearMonitor(env),
    stats: () => ({ ...c }),
  };
}

export const stopTheWorldStrategy: AtomicStrategy = {
  name: 'stop-the-world',
  origin: 'QEMU linux-user before 2.8: EXCP_STREX handled under start_exclusive (seed 001 "queued safe work")',
  guarantees: () => guaranteesExcept(VALUE_COMPARE_WEAKNESSES),
  createShared: () => null,
  attach: attachStopTheWorld,
};
