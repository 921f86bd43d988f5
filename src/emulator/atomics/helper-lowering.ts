// The lowering every strategy built so far uses: each atomic IR op becomes a
// call of the strategy's helper of the same name (bound as a_ld_excl,
// a_st_excl, a_swap, a_cmpxchg, a_cmpxchg64), LDREXD's high word comes back
// in env[slots.helperHi], and a barrier is a sequentially consistent RMW on a
// private word (it stops V8 and the host from reordering across it; ISB needs
// nothing in user mode).

import { hexLit } from '../backend/js-names.js';
import { BarrierKind } from '../ir/barrier-kind.js';
import type { AtomicLowering } from './strategy.js';
import type { StrategySlots } from './vcpu-services.js';

/** A strategy's helpers, one per atomic IR op (methods of a class are fine: they are bound here). */
export interface AtomicHelpers {
  ld_excl(addr: number, memop: number, pc: number): number;
  st_excl(addr: number, lo: number, hi: number, memop: number, pc: number): number;
  swap(addr: number, value: number, memop: number, pc: number): number;
  cmpxchg(addr: number, expected: number, replacement: number, memop: number, pc: number): number;
  cmpxchg64(ptr: number, expectedPtr: number, replacementPtr: number, pc: number): number;
  /** CLREX: a helper to call, or inline JavaScript (e.g. opening the env monitor). */
  clrex: (() => void) | string;
}

/** The strategy's --stats counters; barriers are counted here. */
export interface BarrierCounters {
  barriers: number;
}

/** A helper call that may fault, with env made exact before it. */
export function synced(sync: string, statement: string): string {
  return sync ? `${sync}; ${statement}` : statement;
}

export function helperCallLowering(h: AtomicHelpers, counters: BarrierCounters, slots: StrategySlots): AtomicLowering {
  // A private word for the barrier RMW: no other thread touches it, it only orders this vCPU's accesses.
  const fence = new Int32Array(new SharedArrayBuffer(64));
  const bindings: Record<string, unknown> = {
    a_ld_excl: h.ld_excl.bind(h),
    a_st_excl: h.st_excl.bind(h),
    a_swap: h.swap.bind(h),
    a_cmpxchg: h.cmpxchg.bind(h),
    a_cmpxchg64: h.cmpxchg64.bind(h),
    a_fence: fence,
    a_c: counters,
  };
  let clrex: string;
  if (typeof h.clrex === 'string') {
    clrex = h.clrex;
  } else {
    bindings.a_clrex = h.clrex.bind(h);
    clrex = 'a_clrex();';
  }
  return {
    bindings,
    ld_excl: (lo, hi, addr, memop, pc, sync = '') =>
      synced(sync, `${lo} = a_ld_excl(${addr}, ${memop}, ${hexLit(pc)}); ${hi} = R[${slots.helperHi}];`),
    st_excl: (st, addr, lo, hi, memop, pc, sync = '') =>
      synced(sync, `${st} = a_st_excl(${addr}, ${lo}, ${hi}, ${memop}, ${hexLit(pc)});`),
    clrex: () => clrex,
    swap: (dst, addr, v, memop, pc, sync = '') => synced(sync, `${dst} = a_swap(${addr}, ${v}, ${memop}, ${hexLit(pc)});`),
    cmpxchg: (ok, addr, e, r, memop, pc, sync = '') =>
      synced(sync, `${ok} = a_cmpxchg(${addr}, ${e}, ${r}, ${memop}, ${hexLit(pc)});`),
    cmpxchg64: (ok, ptr, e, r, pc, sync = '') => synced(sync, `${ok} = a_cmpxchg64(${ptr}, ${e}, ${r}, ${hexLit(pc)});`),
    mb: (kind) => (kind === BarrierKind.ISB ? '' : 'a_c.barriers++; Atomics.add(a_fence, 0, 1);'),
  };
}
