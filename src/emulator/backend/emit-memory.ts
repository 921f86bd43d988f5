// The inline SoftMMU fast path (QEMU's tcg_out_tlb_load): index the TLB,
// compare the tag with the masked address, and access the frame through the
// addend; a miss, a flagged tag or a misaligned address calls the slow path
// (a store to a TLB_EXCL page may first try the strategy's inline check).

import { MemOp } from '../ir/memop.js';
import type { InlineFlaggedStore } from '../atomics/strategy.js';
import { PAGE_BITS, PAGE_MASK, TLB_EXCL } from '../softmmu/page-bits.js';
import { TLB_INDEX_MASK } from '../softmmu/tlb.js';
import { hexLit, lit } from './js-names.js';
import { afterFlaggedStore, flaggedStoreTest } from './store-announcement.js';

interface View {
  readonly name: string;
  readonly shift: number;
}

function viewFor(memop: number): View {
  switch (memop & (MemOp.SIZE_MASK | MemOp.SIGN)) {
    case MemOp.SIZE_8: return { name: 'M8', shift: 0 };
    case MemOp.SIZE_8 | MemOp.SIGN: return { name: 'M8s', shift: 0 };
    case MemOp.SIZE_16: return { name: 'M16', shift: 1 };
    case MemOp.SIZE_16 | MemOp.SIGN: return { name: 'M16s', shift: 1 };
    case MemOp.SIZE_32:
    case MemOp.SIZE_32 | MemOp.SIGN: return { name: 'M32', shift: 2 };
    default: throw new Error(`internal: no inline access for memop ${memop}`);
  }
}

function compareMask(memop: number): number {
  return PAGE_MASK | ((1 << (memop & MemOp.SIZE_MASK)) - 1);
}

function hostIndex(addr: string, shift: number): string {
  return shift === 0 ? `(${addr} + TA[ti]) | 0` : `(${addr} + TA[ti]) >> ${shift}`;
}

/**
 * `sync` (comma-separated assignments, or '') runs on the slow path before
 * the helper, which may fault: it writes the guest registers a region keeps
 * in locals back to env, so that a fault sees them as they are (QEMU syncs
 * its globals before an op that can fault, too).
 */
export function emitLoad(dst: string, addr: string, memop: number, pc: number, sync = ''): string {
  const v = viewFor(memop);
  const slow = `ld(${addr}, ${memop}, ${hexLit(pc)})`;
  return `ti = (${addr} >>> ${PAGE_BITS}) & ${TLB_INDEX_MASK};\n` +
    `${dst} = TR[ti] === (${addr} & ${lit(compareMask(memop))}) ? ${v.name}[${hostIndex(addr, v.shift)}] : ${sync ? `(${sync}, ${slow})` : slow};`;
}

/**
 * `flagged` (the strategy's, if any) lets a store to a page whose tag carries
 * only TLB_EXCL run inline when the strategy's check allows it (or, in a run,
 * when its announcement already names the frame: store-announcement.ts).
 */
export function emitStore(value: string, addr: string, memop: number, pc: number, sync = '', flagged?: InlineFlaggedStore): string {
  const v = viewFor(memop);
  const slow = `st(${addr}, ${value}, ${memop}, ${hexLit(pc)});`;
  const tag = `(${addr} & ${lit(compareMask(memop))})`;
  const store = `${v.name}[${hostIndex(addr, v.shift)}] = ${value};`;
  const inlineFlagged = flagged
    ? `else if (TW[ti] === (${tag} | ${lit(TLB_EXCL)}) && ${flaggedStoreTest(flagged, `((${addr} + TA[ti]) | 0)`)}) { ${store}${afterFlaggedStore(flagged)} }\n`
    : '';
  return `ti = (${addr} >>> ${PAGE_BITS}) & ${TLB_INDEX_MASK};\n` +
    `if (TW[ti] === ${tag}) ${store} ${inlineFlagged}` +
    `else ${sync ? `{ ${sync}; ${slow} }` : slow}`;
}
