// Alvise Rigo's "Slow-path for atomic instruction translation" (Virtual Open
// Systems, 2015; the LL/SC part of seed 001): LDREX records this vCPU's
// exclusive range and marks the range's guest frame; every vCPU's TLB write
// entry for a marked frame carries TLB_EXCL, so every store to it takes the
// slow path, where a store overlapping another vCPU's range cancels that
// range. STREX always takes the slow path and succeeds only if its own range
// is still intact. No value is compared, so ABA in every form is caught.
//
// The translator's ld_excl / st_excl / clrex / swap IR ops are the
// load-link / store-conditional ops Rigo added to TCG (qemu_ldlink,
// qemu_stcond); the backend lowers them to the helpers in tlbexcl-vcpu.ts.

import { Env } from '../emulator/arm/cpu-state.js';
import { BarrierKind } from '../emulator/atomics/barrier-kind.js';
import { guaranteesExcept } from '../emulator/atomics/guarantees.js';
import type { AtomicStrategy, AtomicVcpu, StrategyOptions } from '../emulator/atomics/strategy.js';
import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { hexLit } from '../emulator/backend/js-names.js';
import { createExclusiveBuffer, ExclusiveState } from './exclusive-state.js';
import { parseTlbExclOptions } from './tlbexcl-options.js';
import { newTlbExclCounters, TlbExclVcpu } from './tlbexcl-vcpu.js';

function attachTlbExcl(shared: SharedArrayBuffer | null, vcpu: VcpuServices, options: StrategyOptions): AtomicVcpu {
  if (!shared) throw new Error('internal: tlbexcl attached without its shared state');
  const opts = parseTlbExclOptions(options);
  const c = newTlbExclCounters();
  const state = new ExclusiveState(shared, opts.lock, opts.unmarkAfter, c);
  const x = new TlbExclVcpu(state, vcpu, c);
  const fence = new Int32Array(new SharedArrayBuffer(64));

  return {
    bindings: {
      a_ldex: (addr: number, memop: number, pc: number) => x.ldrex(addr, memop, pc),
      a_strex: (addr: number, lo: number, hi: number, memop: number, pc: number) => x.strex(addr, lo, hi, memop, pc),
      a_clrex: () => x.clrex(),
      a_swap: (addr: number, v: number, memop: number, pc: number) => x.swap(addr, v, memop, pc),
      a_cas: (addr: number, e: number, r: number, memop: number, pc: number) => x.cas(addr, e, r, memop, pc),
      a_cas64: (ptr: number, e: number, r: number, pc: number) => x.cas64(ptr, e, r, pc),
      a_fence: fence,
      a_c: c,
    },
    ldExcl: (lo, hi, addr, memop, pc) => `${lo} = a_ldex(${addr}, ${memop}, ${hexLit(pc)}); ${hi} = R[${Env.HELPER_HI}];`,
    stExcl: (st, addr, lo, hi, memop, pc) => `${st} = a_strex(${addr}, ${lo}, ${hi}, ${memop}, ${hexLit(pc)});`,
    clrex: () => 'a_clrex();',
    swap: (dst, addr, v, memop, pc) => `${dst} = a_swap(${addr}, ${v}, ${memop}, ${hexLit(pc)});`,
    cmpxchg: (ok, addr, e, r, memop, pc) => `${ok} = a_cas(${addr}, ${e}, ${r}, ${memop}, ${hexLit(pc)});`,
    cmpxchg64: (ok, ptr, e, r, pc) => `${ok} = a_cas64(${ptr}, ${e}, ${r}, ${hexLit(pc)});`,
    mb: (kind) => (kind === BarrierKind.ISB ? '' : 'a_c.barriers++; Atomics.add(a_fence, 0, 1);'),
    tlbWriteFlags: (page) => x.tlbWriteFlags(page),
    flaggedStore: (addr, bytes, doStore) => x.flaggedStore(addr, bytes, doStore),
    onSyscall: () => x.onSyscall(),
    stats: () => ({ ...c }),
  };
}

export const tlbExclStrategy: AtomicStrategy = {
  name: 'tlbexcl',
  origin: 'Alvise Rigo (Virtual Open Systems) 2015: LL/SC by an exclusive page mark, TLB_EXCL slow paths and remote TLB flushes (seed 001)',
  // Correct LL/SC: a reservation is lost to any store that overlaps it, so no
  // torture case is expected to fail (the suite checks the claim).
  guarantees: () => guaranteesExcept({}),
  createShared: (options) => createExclusiveBuffer(parseTlbExclOptions(options).lock),
  attach: attachTlbExcl,
};
