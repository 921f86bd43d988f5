// The negative control (STRATEGIES.md): no atomicity at all. LDREX is a plain
// load, STREX a plain store that always succeeds, SWP a load then a store, and
// the kuser cmpxchg a load, a compare and a store. Every step is a separate,
// non-atomic host access, so any overlap between vCPUs can lose an update.
// It exists to prove that the torture suite notices a broken strategy.

import { readCmpxchg64Operands } from '../emulator/atomics/cmpxchg64-operands.js';
import { helperCallLowering } from '../emulator/atomics/helper-lowering.js';
import { hi32, lo32 } from '../emulator/atomics/host-views.js';
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
  const { env, mmu, views, slots } = vcpu;
  const c: UnsafeCounters = { ldrex: 0, strex: 0, swaps: 0, cas: 0, casFail: 0, barriers: 0 };
  const bytesOf = (memop: number): number => 1 << (memop & MemOp.SIZE_MASK);

  const ld_excl = (addr: number, memop: number, pc: number): number => {
    c.ldrex++;
    const off = mmu.readOffset(addr, bytesOf(memop), pc);
    if (bytesOf(memop) === 8) {
      env[slots.helperHi] = views.plainLoad(off + 4, MemOp.SIZE_32);
      return views.plainLoad(off, MemOp.SIZE_32);
    }
    env[slots.helperHi] = 0;
    return views.plainLoad(off, memop);
  };
  const st_excl = (addr: number, lo: number, hi: number, memop: number, pc: number): number => {
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
  const cmpxchg = (addr: number, expected: number, replacement: number, memop: number, pc: number): number => {
    c.cas++;
    const off = mmu.atomicOffset(addr, 4, pc);
    if (views.plainLoad(off, memop) !== (expected | 0)) {
      c.casFail++;
      return 0;
    }
    views.plainStore(off, replacement, memop);
    return 1;
  };
  const cmpxchg64 = (ptr: number, expPtr: number, repPtr: number, pc: number): number => {
    c.cas++;
    const { expected, replacement } = readCmpxchg64Operands(mmu, expPtr, repPtr, pc);
    const off = mmu.atomicOffset(ptr, 8, pc);
    const same = views.plainLoad(off, MemOp.SIZE_32) === lo32(expected)
      && views.plainLoad(off + 4, MemOp.SIZE_32) === hi32(expected);
    if (!same) {
      c.casFail++;
      return 0;
    }
    views.plainStore(off, lo32(replacement), MemOp.SIZE_32);
    views.plainStore(off + 4, hi32(replacement), MemOp.SIZE_32);
    return 1;
  };

  return {
    // Barriers are kept (helperCallLowering): the control is about atomicity, not ordering.
    ...helperCallLowering({ ld_excl, st_excl, swap, cmpxchg, cmpxchg64, clrex: '' }, c, slots),
    tlbWriteFlags: () => 0,
    flaggedStore: (_addr, _bytes, doStore) => doStore(),
    onSyscall: () => {},
    stats: () => ({ ...c }),
  };
}

export const unsafeStrategy: AtomicStrategy = {
  name: 'unsafe',
  origin: 'none: the negative control (LDREX/STREX/SWP as plain loads and stores)',
  doc: 'docs/strategies.md',
  options: [],
  checkOptions: () => {},
  tortureVariants: [],
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
    // Each thread's counter is its own: nothing to lose, unless a LDR/STR pair is torn.
    'own-store-window': 'may-fail',
    // Processes run on vCPUs like threads: a lost update needs two inside the same window at once.
    'fork-counter': 'may-fail',
    // B's STREX stores (it never fails), so B's half of the check fails.
    'strex-fail-keeps': 'fail',
  }),
  createShared: () => null,
  attach: attachUnsafe,
};
