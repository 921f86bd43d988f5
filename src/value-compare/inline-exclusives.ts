// Inline fast paths for a value-comparing strategy whose commit is a host
// compare-and-swap (cmpxchg): QEMU's gen_load_exclusive/gen_store_exclusive
// emit the same monitor updates and the cmpxchg inline in the TB rather than
// calling a helper. A word-sized LDREX, STREX, SWP or kuser cmpxchg whose
// address hits the TLB (no flag bits, naturally aligned) runs as one host
// atomic on the frame, with the local monitor kept in env as the helpers keep
// it (value-compare-vcpu.ts, local-monitor.ts); anything else (a miss, a
// flagged page, a misaligned address, another size, a STREX that does not
// match the monitor) makes env exact and calls the strategy's helper, which
// fills the TLB, raises the fault or counts the failure. The counters stay
// exact: the fast paths add to the same --stats counters as the helpers.

import type { AtomicLowering } from '../emulator/atomics/strategy.js';
import type { StrategySlots } from '../emulator/atomics/vcpu-services.js';
import { hostWord, isWordOp as isWord, slowCall as slow, tlbProbe } from '../emulator/atomics/inline-probe.js';
import { MemOp } from '../emulator/ir/memop.js';
import { MONITOR_OPEN } from './local-monitor.js';

/** The counters the fast paths add to (bound as a_c). */
const COUNTERS = 'a_c';

/**
 * `base` (the helper-call lowering) with word-sized LDREX, STREX, SWP and
 * kuser cmpxchg inline on a TLB hit.
 */
export function withInlineExclusives(base: AtomicLowering, slots: StrategySlots): AtomicLowering {
  const xAddr = `R[${slots.exclAddr}]`;
  const xSize = `R[${slots.exclSize}]`;
  const xLo = `R[${slots.exclValLo}]`;
  const xHi = `R[${slots.exclValHi}]`;
  return {
    ...base,
    ld_excl(lo, hi, addr, memop, pc, sync = '') {
      if (!isWord(memop)) return base.ld_excl(lo, hi, addr, memop, pc, sync);
      const call = base.ld_excl(lo, hi, 'xa', memop, pc, '');
      const { index, tag } = tlbProbe('xa');
      // Atomics.load: the LDREX reads the word whole while other vCPUs' STREX compare-and-swap it.
      return `{ const xa = ${addr}, xi = ${index};\n` +
        `if (TR[xi] === ${tag}) { const xv = Atomics.load(M32, ${hostWord('xa', 'xi')}); ` +
        `${xAddr} = xa; ${xSize} = ${MemOp.SIZE_32}; ${xLo} = xv; ${xHi} = 0; ${COUNTERS}.ldrex++; ${lo} = xv; ${hi} = 0; }\n` +
        `else ${slow(sync, call)} }`;
    },
    st_excl(status, addr, lo, hi, memop, pc, sync = '') {
      if (!isWord(memop)) return base.st_excl(status, addr, lo, hi, memop, pc, sync);
      const call = base.st_excl(status, 'xa', lo, hi, memop, pc, '');
      const { index, tag } = tlbProbe('xa');
      // Atomics.compareExchange: another vCPU's store between this vCPU's LDREX and STREX must make it fail (value compare).
      // The failure count is added on every STREX (0 or 1), not incremented on a branch of its own: a branch
      // first taken when two vCPUs really contend would have no type feedback in V8's optimised region and
      // cost a deoptimisation and a recompilation there (reports/measurements/scaling.md).
      return `{ const xa = ${addr}, xi = ${index};\n` +
        `if (${xAddr} === xa && ${xSize} === ${MemOp.SIZE_32} && TW[xi] === ${tag}) { const xe = ${xLo}; ${xAddr} = ${MONITOR_OPEN}; ${COUNTERS}.strex++; ` +
        `${status} = Atomics.compareExchange(M32, ${hostWord('xa', 'xi')}, xe, ${lo}) === xe ? 0 : 1; ` +
        `${COUNTERS}.strexFailValue += ${status}; }\n` +
        `else ${slow(sync, call)} }`;
    },
    swap(dst, addr, value, memop, pc, sync = '') {
      if (!isWord(memop)) return base.swap(dst, addr, value, memop, pc, sync);
      const call = base.swap(dst, 'xa', value, memop, pc, '');
      const { index, tag } = tlbProbe('xa');
      // Atomics.exchange: SWP reads and writes the word in one step against other vCPUs' stores.
      return `{ const xa = ${addr}, xi = ${index};\n` +
        `if (TW[xi] === ${tag}) { ${COUNTERS}.swaps++; ${dst} = Atomics.exchange(M32, ${hostWord('xa', 'xi')}, ${value}); }\n` +
        `else ${slow(sync, call)} }`;
    },
    cmpxchg(ok, addr, expected, replacement, memop, pc, sync = '') {
      if (!isWord(memop)) return base.cmpxchg(ok, addr, expected, replacement, memop, pc, sync);
      const call = base.cmpxchg(ok, 'xa', expected, replacement, memop, pc, '');
      const { index, tag } = tlbProbe('xa');
      // Atomics.compareExchange: the kuser cmpxchg is one atomic step against other vCPUs' stores.
      return `{ const xa = ${addr}, xi = ${index};\n` +
        `if (TW[xi] === ${tag}) { ${COUNTERS}.cas++; const xe = ${expected}; ` +
        `if (Atomics.compareExchange(M32, ${hostWord('xa', 'xi')}, xe, ${replacement}) === xe) ${ok} = 1; ` +
        `else { ${COUNTERS}.casFail++; ${ok} = 0; } }\n` +
        `else ${slow(sync, call)} }`;
    },
  };
}
