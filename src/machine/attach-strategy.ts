// Attaches an atomic strategy to one vCPU: the services it gets (the register
// file and its own env words, the SoftMMU, memory views, the cross-vCPU
// primitives) and the SoftMMU hooks it answers. The vCPU worker, the test
// harness and the strategy unit tests all attach through here.

import { A32_STRATEGY_SLOTS } from '../emulator/arm/cpu-state.js';
import { HostViews } from '../emulator/atomics/host-views.js';
import type { AtomicStrategy, AtomicVcpu, StrategyOptions } from '../emulator/atomics/strategy.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import type { GuestMemory } from '../emulator/softmmu/guest-memory.js';
import type { Mmu } from '../emulator/softmmu/mmu.js';

/** The cross-vCPU primitives a strategy may use (a VcpuControl, or a test's stand-in). */
export interface CrossVcpu {
  stopTheWorld<T>(fn: () => T): T;
  flushOthersPage(page: number): void;
}

/** The services of vCPU `index` for an A32 guest. */
export function vcpuServices(index: number, env: Int32Array, mmu: Mmu, mem: GuestMemory, cross: CrossVcpu): VcpuServices {
  return {
    index, env, slots: A32_STRATEGY_SLOTS, mmu, views: new HostViews(mem.data),
    // The MMU's address space: a pooled vCPU moves between processes (and execve replaces one).
    get mem() {
      return mmu.mem;
    },
    stopTheWorld: (fn) => cross.stopTheWorld(fn),
    flushOthersPage: (page) => cross.flushOthersPage(page),
  };
}

/** Attaches the strategy and routes the SoftMMU's write-flag and flagged-store hooks to it. */
export function attachStrategy(
  strategy: AtomicStrategy, shared: SharedArrayBuffer | null, services: VcpuServices, options: StrategyOptions,
): AtomicVcpu {
  const atomics = strategy.attach(shared, services, options);
  services.mmu.hooks = {
    writeFlags: (page) => atomics.tlbWriteFlags(page),
    flaggedStore: (addr, bytes, doStore) => atomics.flaggedStore(addr, bytes, doStore),
  };
  return atomics;
}
