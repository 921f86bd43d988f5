// The negative control (STRATEGIES.md): no atomicity at all. LDREX is a plain
// load, STREX a plain store that always succeeds, SWP a load then a store, and
// the kuser cmpxchg a load, a compare and a store. Every step is a separate,
// non-atomic host access, so any overlap between vCPUs can lose an update.
// It exists to prove that the torture suite notices a broken strategy.

import { Env } from '../emulator/arm/cpu-state.js';
import { helperCallLowering } from '../emulator/atomics/helper-lowering.js';
import { guaranteesExcept } from '../emulator/atomics/guarantees.js';
import type { AtomicStrategy, AtomicVcpu } from '../emulator/atomics/strategy.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';

interface UnsafeCounters {
  ldrex: number;
  strex: number;
  swaps: number;
  cas: number;
  casFail: number;
  barriers: number;
}

function attachUnsafe(_shared: SharedArrayBuffer | null, vcpu: VcpuServices): AtomicVcpu {
  const { env, mmu, views } = vcpu;
  const c: UnsafeCounters = { ldrex: 0, strex: 0, swaps: 0, cas: 0, casFail: 0, barriers: 0 };
  const bytesOf = (memop: number): number => 1 << (memop & MemOp.SIZE_MASK);

  const ldex = (addr: number, memop: number, pc: number): number => {
    c.ldrex++;
    const off = mmu.readOffset(addr, bytesOf(memop), pc);
    if (bytesOf(memop) === 8) {
      env[Env.HELPER_HI] = views.plainLoad(off + 4, MemOp.SIZE_32);
      return views.plainLoad(off, MemOp.SIZE_32);
    }
    env[Env.HELPER_HI] = 0;
    return views.plainLoad(off, memop);
  };
  const strex = (addr: number, lo: number, hi: number, memop: number, pc: number): number => {
    c.strex++;
    const off = mmu.atomicOffset(addr, bytesOf(memop), pc);
    if (bytesOf(memop) === 8) {
      views.plainStore(off, lo, MemOp.SIZE_32);
      views.plainStore(off + 4, hi, MemOp.SIZE_32);
    } else {
      views.plainStore(off, lo, memop);
    }
    return 0;
  };
  const swap = (addr: number, value: number, memop: number, pc: number): number => {
    c.swaps++;
    const off = mmu.atomicOffset(addr, bytesOf(memop), pc);
    const old = views.plainLoad(off, memop);
    views.plainStore(off, value, memop);
    return old;
  };
  const cas = (addr: number, expected: number, replacement: number, memop: number, pc: number): number => {
    c.cas++;
    const off = mmu.atomicOffset(addr, 4, pc);
    if (views.plainLoad(off, memop) !== (expected | 0)) {
      c.casFail++;
      return 0;
    }
    views.plainStore(off, replacement, memop);
    return 1;
  };
  const cas64 = (ptr: number, expPtr: number, repPtr: number, pc: number): number => {
    c.cas++;
    const off = mmu.atomicOffset(ptr, 8, pc);
    const same = views.plainLoad(off, MemOp.SIZE_32) === mmu.ld(expPtr, MemOp.SIZE_32, pc)
      && views.plainLoad(off + 4, MemOp.SIZE_32) === mmu.ld((expPtr + 4) | 0, MemOp.SIZE_32, pc);
    if (!same) {
      c.casFail++;
      return 0;
    }
    views.plainStore(off, mmu.ld(repPtr, MemOp.SIZE_32, pc), MemOp.SIZE_32);
    views.plainStore(off + 4, mmu.ld((repPtr + 4) | 0, MemOp.SIZE_32, pc), MemOp.SIZE_32);
    return 1;
  };

  return {
    // Barriers are kept (helperCallLowering): the control is about atomicity, not ordering.
    ...helperCallLowering({
      ldex, strex, swap, cas, cas64, counters: c,
      clrex: '',
    }),
    tlbWriteFlags: () => 0,
    flaggedStore: (_addr, _bytes, doStore) => doStore(),
    onSyscall: () => {},
    stats: () => ({ ...c }),
  };
}

export const unsafeStrategy: AtomicStrategy = {
  name: 'unsafe',
  origin: 'none: the negative control (LDREX/STREX/SWP as plain loads and stores)',
  guarantees: () => guaranteesExcept({
    'spinlock-ldrex': 'fail',
    'atomic-add': 'fail',
    'atomic-add-spread': 'fail',
    'swp-lock': 'fail',
    'swp-mixed': 'fail',
    'aba-plain': 'fail',
    'aba-plain-after-swp': 'fail',
    'aba-llsc': 'fail',
    'store-diff': 'fail',
    'store-same': 'fail',
    treiber: 'fail',
    'treiber-aba': 'fail',
    'strexd-counter': 'fail',
    // glibc's mutex goes through the (here non-atomic) kuser cmpxchg; a lost
    // update needs two vCPUs inside it at once, which is likely, not forced.
    'pthread-stress': 'may-fail',
    'syscall-monitor': 'fail',
  }),
  createShared: () => null,
  attach: attachUnsafe,
};
