// QEMU's shipping scheme (target/arm translate.c gen_store_exclusive since
// 2.8, and seed 004): LDREX remembers the value it read; STREX is a host
// compare-and-swap of that value. It is lock-free and fast, and it cannot see
// ABA: a location changed and changed back (by plain stores, or by another
// vCPU's LDREX/STREX pairs) still compares equal, so STREX wrongly succeeds.

import { guaranteesExcept, VALUE_COMPARE_WEAKNESSES } from '../emulator/atomics/guarantees.js';
import { pack64 } from '../emulator/atomics/host-views.js';
import type { AtomicStrategy, AtomicVcpu } from '../emulator/atomics/strategy.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { attachValueCompare } from '../value-compare/value-compare-vcpu.js';

function attachCmpxchg(_shared: SharedArrayBuffer | null, vcpu: VcpuServices): AtomicVcpu {
  const { mmu, views } = vcpu;
  return attachValueCompare(vcpu, {
    compareAndStore(addr, bytes, memop, expectLo, expectHi, lo, hi, pc) {
      const off = mmu.atomicOffset(addr, bytes, pc);
      return bytes === 8
        ? views.compareExchange64(off, pack64(expectLo, expectHi), pack64(lo, hi))
        : views.compareExchange(off, expectLo, lo, memop);
    },
    exchange: (addr, bytes, value, memop, pc) => views.exchange(mmu.atomicOffset(addr, bytes, pc), value, memop),
    hostAtomics: true,
  });
}

export const cmpxchgStrategy: AtomicStrategy = {
  name: 'cmpxchg',
  origin: 'QEMU since 2.8: STREX as a host compare-and-swap of the value LDREX read (seed 004)',
  doc: 'docs/strategies.md',
  options: [],
  checkOptions: () => {},
  tortureVariants: [],
  guarantees: () => guaranteesExcept(VALUE_COMPARE_WEAKNESSES),
  createShared: () => null,
  attach: attachCmpxchg,
};
