// The lowering every strategy built so far uses: each atomic IR op becomes a
// call of one of the strategy's helpers (bound as a_ldex, a_strex, a_swap,
// a_cas, a_cas64), LDREXD's high word comes back in env[HELPER_HI], and a
// barrier is a sequentially consistent RMW on a private word (it stops V8 and
// the host from reordering across it; ISB needs nothing in user mode).

import { Env } from '../arm/cpu-state.js';
import { hexLit } from '../backend/js-names.js';
import { BarrierKind } from '../ir/barrier-kind.js';
import type { AtomicLowering } from './strategy.js';

export interface AtomicHelpers {
  ldex(addr: number, memop: number, pc: number): number;
  strex(addr: number, lo: number, hi: number, memop: number, pc: number): number;
  swap(addr: number, value: number, memop: number, pc: number): number;
  cas(addr: number, expected: number, replacement: number, memop: number, pc: number): number;
  cas64(ptr: number, expectedPtr: number, replacementPtr: number, pc: number): number;
  /** CLREX: a helper to call, or inline JavaScript (e.g. opening the env monitor). */
  clrex: (() => void) | string;
  /** The strategy's --stats counters; barriers are counted here. */
  counters: { barriers: number };
}

export function helperCallLowering(h: AtomicHelpers): AtomicLowering {
  const fence = new Int32Array(new SharedArrayBuffer(64));
  const bindings: Record<string, unknown> = {
    a_ldex: h.ldex, a_strex: h.strex, a_swap: h.swap, a_cas: h.cas, a_cas64: h.cas64, a_fence: fence, a_c: h.counters,
  };
  let clrex: string;
  if (typeof h.clrex === 'string') {
    clrex = h.clrex;
  } else {
    bindings.a_clrex = h.clrex;
    clrex = 'a_clrex();';
  }
  return {
    bindings,
    ldExcl: (lo, hi, addr, memop, pc) => `${lo} = a_ldex(${addr}, ${memop}, ${hexLit(pc)}); ${hi} = R[${Env.HELPER_HI}];`,
    stExcl: (st, addr, lo, hi, memop, pc) => `${st} = a_strex(${addr}, ${lo}, ${hi}, ${memop}, ${hexLit(pc)});`,
    clrex: () => clrex,
    swap: (dst, addr, v, memop, pc) => `${dst} = a_swap(${addr}, ${v}, ${memop}, ${hexLit(pc)});`,
    cmpxchg: (ok, addr, e, r, memop, pc) => `${ok} = a_cas(${addr}, ${e}, ${r}, ${memop}, ${hexLit(pc)});`,
    cmpxchg64: (ok, ptr, e, r, pc) => `${ok} = a_cas64(${ptr}, ${e}, ${r}, ${hexLit(pc)});`,
    mb: (kind) => (kind === BarrierKind.ISB ? '' : 'a_c.barriers++; Atomics.add(a_fence, 0, 1);'),
  };
}
