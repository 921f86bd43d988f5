// aie's word LDREX, STREX and kuser cmpxchg inline in translated code (issue
// 14: correct LL/SC that costs little more than cmpxchg). The helpers
// (aie-vcpu.ts) do the same steps through the Mmu, the entry cache and
// function calls; on the common path translated code does them itself, on
// the same shared words. Entries come from a_ec, the vCPU's direct-mapped
// table of [chunk key, entry] pairs that the helpers fill with ready entries
// (a key's entry and its readiness never change):
//
//   LDREX    a read-TLB hit whose chunk is in a_ec, no reservation held on
//            another entry: take the entry lock with one compareExchange,
//            join the set (its inline members), count the frame, release,
//            wait out announced unlocked stores to the frame, load.
//   STREX    the local monitor matches, a write-TLB hit (no flag, or only
//            TLB_EXCL: aie's flag never goes stale), the entry still keys
//            this chunk: take the lock, succeed only if self is in the set,
//            store, empty the set, release.
//   cmpxchg  (kuser) a write-TLB hit whose chunk is in a_ec: take the lock,
//            compare-and-store the word, empty the set if it stored, release.
//
// Anything else - a miss, a flagged or misaligned address, another size, a
// lock found held, a set past its inline members, a reservation on another
// chunk, a monitor mismatch - makes env exact and calls the helper, which does
// the whole operation (the fast path leaves nothing half done: it either
// completes or has changed nothing). The --stats counters stay exact.
// docs/strategy-aie.md ("Inline LDREX, STREX and kuser cmpxchg") says why
// this is the helpers' protocol, step for step.

import { isWordOp as isWord, slowCall as slow, tlbProbe } from '../emulator/atomics/inline-probe.js';
import { lit } from '../emulator/backend/js-names.js';
import type { AtomicLowering } from '../emulator/atomics/strategy.js';
import type { StrategySlots } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';
import { PAGE_BITS, TLB_EXCL } from '../emulator/softmmu/page-bits.js';
import { EntryWord, KEY_MASK, SET_INLINE_SLOTS } from './aie-entry.js';
import { HAZARD_STRIDE, Header } from './aie-shared.js';
import { INLINE_ENTRIES } from './aie-vcpu.js';

/** What the inline paths need of one attached vCPU. */
export interface AieInlineContext {
  readonly slots: StrategySlots;
  /** This vCPU's number (its set member id and hazard slot). */
  readonly me: number;
  readonly granuleShift: number;
  /** Word indices in the shared words: the frames' reservation counts, the hazard words. */
  readonly reservedWord: number;
  readonly hazardsWord: number;
  /** The shared words (bound as a_w). */
  readonly words: Int32Array;
  /** Ready entries, INLINE_ENTRIES direct-mapped pairs [chunk key, entry] filled by the helpers (bound as a_ec). */
  readonly entries: Int32Array;
  /** Waits out other vCPUs' announced stores to a frame, counting the wait (bound as a_aw). */
  awaitStores(frame: number): void;
}

/** `base` (the helper-call lowering) with word LDREX and STREX inline on the common path. */
export function withAieInlineExclusives(base: AtomicLowering, x: AieInlineContext): AtomicLowering {
  const s = x.slots;
  const me = lit(x.me);
  const sh = lit(x.granuleShift);
  const wordTag = (a: string): string => tlbProbe(a).tag;
  const index = (a: string): string => tlbProbe(a).index;
  const lock = `xe + ${EntryWord.LOCK}`;
  const count = `a_w[xe + ${EntryWord.SET_COUNT}]`;
  const member = (k: string): string => `a_w[xe + ${EntryWord.SET_INLINE} + ${k}]`;
  const frameCount = `${lit(x.reservedWord)} + (xo >>> ${PAGE_BITS})`;
  // Atomics.exchange: the release publishes the critical section; 2 means a sleeper announced itself.
  const unlock = `if (Atomics.exchange(a_w, ${lock}, 0) === 2) Atomics.notify(a_w, ${lock}, 1);`;
  // Atomics.load of each other slot's hazard: an unlocked store that read the frame's count before ours (the Dekker pair).
  const hazardScan = `for (let xs = 0, xl = Atomics.load(a_w, ${Header.SLOT_LIMIT}), xh = (xo >>> ${PAGE_BITS}) + 1; xs < xl; xs++) ` +
    `if (xs !== ${me} && Atomics.load(a_w, ${lit(x.hazardsWord)} + xs * ${HAZARD_STRIDE}) === xh) { a_aw(xh - 1); break; }`;
  // The chunk's slot in the inline entry table, and whether it holds the chunk.
  const entryLookup = `xq = xo >>> ${sh}, xc = (xq & ${INLINE_ENTRIES - 1}) << 1, xe = a_ec[xc + 1]`;
  const entryHit = 'a_ec[xc] === xq';
  const writeHit = (a: string): string => `(TW[xi] === ${wordTag(a)} || TW[xi] === (${wordTag(a)} | ${lit(TLB_EXCL)}))`;
  return {
    ...base,
    bindings: { ...base.bindings, a_w: x.words, a_ec: x.entries, a_aw: (frame: number) => x.awaitStores(frame) },
    ld_excl(lo, hi, addr, memop, pc, sync = '') {
      if (!isWord(memop)) return base.ld_excl(lo, hi, addr, memop, pc, sync);
      const call = base.ld_excl(lo, hi, 'xa', memop, pc, '');
      return `{ const xa = ${addr}, xi = ${index('xa')}; let xd = 0;\n` +
        `if (TR[xi] === ${wordTag('xa')}) { const xo = (xa + TA[xi]) | 0, ${entryLookup}, xp = R[${s.scratch}];\n` +
        // Atomics.compareExchange: the entry lock, against other vCPUs' LDREX, STREX, CLREX and checked stores on the chunk.
        `if (${entryHit} && (xp === 0 || xp === xe) && Atomics.compareExchange(a_w, ${lock}, 0, 1) === 0) {\n` +
        `a_c.lockAcquisitions++; const xn = ${count}; let xk = 0;\n` +
        `while (xk < xn && xk < ${SET_INLINE_SLOTS} && ${member('xk')} !== ${me}) xk++;\n` +
        `if (xk < xn && xk < ${SET_INLINE_SLOTS}) xd = 1;\n` +
        // Atomics.add: the frame's reservation count, read by unlocked stores without the lock.
        `else if (xn < ${SET_INLINE_SLOTS}) { ${member('xn')} = ${me}; ${count} = xn + 1; Atomics.add(a_w, ${frameCount}, 1); xd = 1; }\n` +
        `${unlock}\n` +
        `if (xd) { a_c.ldrex++; ${hazardScan}\n` +
        // A plain load (tear-free): every store it must see happens-before it through an SC pair (docs/strategy-aie.md).
        `const xv = M32[xo >> 2]; R[${s.scratch}] = xe; R[${s.exclAddr}] = xa; R[${s.exclSize}] = ${MemOp.SIZE_32}; ` +
        `R[${s.helperHi}] = 0; ${lo} = xv; ${hi} = 0; } } }\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
    st_excl(status, addr, lo, hi, memop, pc, sync = '') {
      if (!isWord(memop)) return base.st_excl(status, addr, lo, hi, memop, pc, sync);
      const call = base.st_excl(status, 'xa', lo, hi, memop, pc, '');
      return `{ const xa = ${addr}, xi = ${index('xa')}, xe = R[${s.scratch}]; let xd = 0;\n` +
        `if (R[${s.exclAddr}] === xa && R[${s.exclSize}] === ${MemOp.SIZE_32} && xe !== 0) { const xw = TW[xi], xt = ${wordTag('xa')};\n` +
        `if (xw === xt || xw === (xt | ${lit(TLB_EXCL)})) { const xo = (xa + TA[xi]) | 0;\n` +
        // A plain read of the key: its chunk bits never change once the entry is published (only UNSETTLED, masked off).
        // Atomics.compareExchange: the entry lock.
        `if ((a_w[xe + ${EntryWord.KEY}] & ${lit(KEY_MASK)}) === (xo >>> ${sh}) && Atomics.compareExchange(a_w, ${lock}, 0, 1) === 0) {\n` +
        `a_c.lockAcquisitions++; const xn = ${count};\n` +
        `if (xn <= ${SET_INLINE_SLOTS}) { let xk = 0; while (xk < xn && ${member('xk')} !== ${me}) xk++;\n` +
        `R[${s.exclAddr}] = -1; R[${s.scratch}] = 0; a_c.strex++; xd = 1;\n` +
        // A plain store under the entry lock: the releasing exchange publishes it to the next holder.
        // Atomics.add: the frame's count drops by the members the store cancels.
        `if (xk < xn) { M32[xo >> 2] = ${lo}; ${count} = 0; Atomics.add(a_w, ${frameCount}, -xn); ${status} = 0; }\n` +
        `else { a_c.strexFailReservation++; ${status} = 1; } }\n` +
        `${unlock} } } }\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
    cmpxchg(ok, addr, expected, replacement, memop, pc, sync = '') {
      if (!isWord(memop)) return base.cmpxchg(ok, addr, expected, replacement, memop, pc, sync);
      const call = base.cmpxchg(ok, 'xa', expected, replacement, memop, pc, '');
      return `{ const xa = ${addr}, xi = ${index('xa')}; let xd = 0;\n` +
        `if (${writeHit('xa')}) { const xo = (xa + TA[xi]) | 0, ${entryLookup};\n` +
        // Atomics.compareExchange: the entry lock, as the helper takes it.
        `if (${entryHit} && Atomics.compareExchange(a_w, ${lock}, 0, 1) === 0) {\n` +
        `a_c.lockAcquisitions++; a_c.cas++; xd = 1; const xv = ${expected};\n` +
        // Atomics.compareExchange on the word: unlocked plain stores (no reservation on the frame) do not take the entry lock.
        `if (Atomics.compareExchange(M32, xo >> 2, xv, ${replacement}) === xv) { ${ok} = 1; const xn = ${count};\n` +
        // Atomics.add: the stored word cancels every reservation on the chunk; the frame's count drops with them.
        `if (xn !== 0) { ${count} = 0; Atomics.add(a_w, ${frameCount}, -xn); } }\n` +
        `else { a_c.casFail++; ${ok} = 0; }\n` +
        `${unlock} } }\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
  };
}
