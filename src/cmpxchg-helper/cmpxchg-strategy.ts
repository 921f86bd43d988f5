// QEMU's shipping scheme (target/arm translate.c gen_store_exclusive since
// 2.8, and seed 004): LDREX remembers the value it read; STREX is a host
// compare-and-swap of that value. It is lock-free and fast, and it cannot see
// ABA: a location changed and changed back (by plain stores, or by another
// vCPU's LDREX/STREX pairs) still compares equal, so STREX wrongly succeeds.

import { Env } from '../emulator/arm/cpu-state.js';
import { helperCallLowering } from '../emulator/atomics/helper-lowering.js';
import { pack64 } from '../emulator/atomics/host-views.js';
import {
  armMonitor, clearMonitor, newMonitorCounters, takeMonitor,
} from '../value-compare/local-monitor.js';
import { guaranteesExcept, VALUE_COMPARE_WEAKNESSES } from '../emulator/atomics/guarantees.js';
import type { AtomicStrategy, AtomicVcpu } from '../emulator/atomics/strategy.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';

function attachCmpxchg(_shared: SharedArrayBuffer | null, vcpu: VcpuServices): AtomicVcpu {
  const { env, mmu, views } = vcpu;
  const c = newMonitorCounters();

  const ldex = (addr: number, memop: number, pc: number): number => {
    c.ldrex++;
    const bytes = 1 << (memop & MemOp.SIZE_MASK);
    return armMonitor(env, views, addr, mmu.readOffset(addr, bytes, pc), memop);
  };
  const strex = (addr: number, lo: number, hi: number, memop: number, pc: number): number => {
    c.strex++;
    if (!takeMonitor(env, addr, memop)) {
      c.strexFailMonitor++;
      return 1;
    }
    const bytes = 1 << (memop & MemOp.SIZE_MASK);
    const off = mmu.atomicOffset(addr, bytes, pc);
    const ok = bytes === 8
      ? views.compareExchange64(off, pack64(env[Env.EXCL_VAL_LO]!, env[Env.EXCL_VAL_HI]!), pack64(lo, hi))
      : views.compareExchange(off, env[Env.EXCL_VAL_LO]!, lo, memop);
    if (!ok) c.strexFailValue++;
    return ok ? 0 : 1;
  };
  const swap = (addr: number, value: number, memop: number, pc: number): number => {
    c.swaps++;
    return views.exchange(mmu.atomicOffset(addr, 1 << (memop & MemOp.SIZE_MASK), pc), value, memop);
  };
  const cas = (addr: number, expected: number, replacement: number, memop: number, pc: number): number => {
    c.cas++;
    const ok = views.compareExchange(mmu.atomicOffset(addr, 4, pc), expected, replacement, memop);
    if (!ok) c.casFail++;
    return ok ? 1 : 0;
  };
  const cas64 = (ptr: number, expPtr: number, repPtr: number, pc: number): number => {
    c.cas++;
    const expected = pack64(mmu.ld(expPtr, MemOp.SIZE_32, pc), mmu.ld((expPtr + 4) | 0, MemOp.SIZE_32, pc));
    const replacement = pack64(mmu.ld(repPtr, MemOp.SIZE_32, pc), mmu.ld((repPtr + 4) | 0, MemOp.SIZE_32, pc));
    const ok = views.compareExchange64(mmu.atomicOffset(ptr, 8, pc), expected, replacement);
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

export const cmpxchgStrategy: AtomicStrategy = {
  name: 'cmpxchg',
  origin: 'QEMU since 2.8: STREX as a host compare-and-swap of the value LDREX read (seed 004)',
  guarantees: () => guaranteesExcept(VALUE_COMPARE_WEAKNESSES),
  createShared: () => null,
  attach: attachCmpxchg,
};
