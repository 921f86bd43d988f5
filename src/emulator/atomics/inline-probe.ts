// The pieces an inline exclusive fast path is made of (cmpxchg's
// value-compare/inline-exclusives.ts, tlbexcl's llsc-tlbexcl/inline-exclusives.ts):
// the TLB probe of a naturally aligned word access, the host word it reaches,
// and the helper call (env made exact first) for everything else.

import { lit } from '../backend/js-names.js';
import { MemOp } from '../ir/memop.js';
import { PAGE_BITS, PAGE_MASK } from '../softmmu/page-bits.js';
import { TLB_INDEX_MASK } from '../softmmu/tlb.js';

/** Whether an access's memop is a word (the only size the inline paths take). */
export const isWordOp = (memop: number): boolean => (memop & MemOp.SIZE_MASK) === MemOp.SIZE_32;

/** TLB index and the tag a word access at `a` hits: flag bits or a misaligned address never match. */
export function tlbProbe(a: string): { index: string; tag: string } {
  return { index: `(${a} >>> ${PAGE_BITS}) & ${TLB_INDEX_MASK}`, tag: `(${a} & ${lit(PAGE_MASK | 3)})` };
}

/** The host byte offset of guest address `a` through TLB entry `i`. */
export const hostOffset = (a: string, i: string): string => `((${a} + TA[${i}]) | 0)`;

/** The host word index of guest address `a` through TLB entry `i`. */
export const hostWord = (a: string, i: string): string => `(${a} + TA[${i}]) >> 2`;

/** The slow path: `sync` (env exact) then the helper call. */
export function slowCall(sync: string, call: string): string {
  return sync ? `{ ${sync}; ${call} }` : `{ ${call} }`;
}
