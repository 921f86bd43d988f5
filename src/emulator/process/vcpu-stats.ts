// The --stats record of one vCPU: translator, TLB, syscalls and strategy counters.

import type { AtomicVcpu } from '../atomics/strategy.js';
import type { Vcpu } from '../exec/vcpu.js';
import type { SlotControl } from '../exec/vcpu-table.js';
import type { SyscallDispatcher } from '../linux-user/syscall-dispatch.js';
import type { Mmu } from '../softmmu/mmu.js';

export function collectStats(
  tid: number, vcpu: Vcpu, mmu: Mmu, atomics: AtomicVcpu, sys: SyscallDispatcher, control: SlotControl,
): Record<string, number | string> {
  const out: Record<string, number | string> = {
    tid,
    ...vcpu.stats(),
    tlbFills: mmu.tlb.fills,
    tlbFullFlushes: mmu.tlb.fullFlushes,
    tlbPageFlushes: mmu.tlb.pageFlushes,
    slowLoads: mmu.slowLoads,
    slowStores: mmu.slowStores,
    flaggedStores: mmu.flaggedStores,
    codePageWrites: mmu.codeWrites,
    syscalls: sys.count,
    futexWaits: sys.futex.waits,
    futexWakes: sys.futex.wakes,
    flushRequestsServed: control.flushesServed,
    parks: control.parks,
  };
  for (const [k, v] of Object.entries(atomics.stats())) out[`atomic.${k}`] = v;
  return out;
}
