// aie's word LDREX, STREX and kuser cmpxchg inline in translated code (issue
// 14: correct LL/SC that costs little more than cmpxchg). The helpers
// (aie-vcpu.ts) do the same steps through the Mmu, the entry cache and
// function calls; on the common path translated code does them itself, on
// the same shared words. Entries come from a_ec, the vCPU's direct-mapped
// table of [chunk key, entry] pairs that the helpers fill with ready entries
// (a key's entry and its readiness never change):
//
//   LDREX    a read-TLB hit whose chunk is in a_ec, no reservation held on
//            another entry: take the entry lock (compareExchange, tried
//            again while it is found held), join the set (its inline
//            members), count the frame, release, scan the other vCPUs'
//            hazard words, load.
//   STREX    the local monitor matches, a write-TLB hit (no flag, or only
//            TLB_EXCL: aie's flag never goes stale), a_ec pairs the chunk the
//            address reaches now with the reserved entry: take the lock,
//            succeed only if self is in the set, store, empty the set, release.
//   cmpxchg  (kuser) a write-TLB hit whose chunk is in a_ec: take the lock,
//            compare-and-store the word, empty the set if it stored, release.
//
// Anything else - a miss, a flagged or misaligned address, another size, a
// lock still held after INLINE_LOCK_TRIES tries or with a sleeper announced,
// a set past its inline members, a reservation on another chunk, a monitor
// mismatch - makes env exact and calls the helper, which does the whole
// operation (the fast path leaves nothing half done: it either completes or
// has changed nothing). One exception: a LDREX whose scan finds another
// vCPU's hazard on the frame has joined and counted already; its helper joins
// again, which changes nothing for a member, waits the store out and loads.
// A release that finds a sleeper announced wakes it after the op (a_wk). The
// --stats counters stay exact.
//
// Cold branches (docs/strategy-aie.md, "The inline paths' cold branches"):
// an operation V8 never saw run is compiled into a deoptimisation, so what
// only contention reaches either runs on every pass too (the lock's retry
// loop, the membership test, the failure counts) or is a fallback that a
// region's training calls take: over the contended bindings (aie-strategy.ts)
// a_ec holds no chunk, a_wr reserves every frame and a_xw calls the wake.
// docs/strategy-aie.md ("Inline LDREX, STREX and kuser cmpxchg") says why
// this is the helpers' protocol, step for step.

import { isWordOp as isWord, slowCall as slow, tlbProbe } from '../emulator/atomics/inline-probe.js';
import { lit } from '../emulator/backend/js-names.js';
import type { AtomicLowering } from '../emulator/atomics/strategy.js';
import type { StrategySlots } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';
import { PAGE_BITS, TLB_EXCL } from '../emulator/softmmu/page-bits.js';
import { EntryWord, SET_INLINE_SLOTS } from './aie-entry.js';
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
}

/**
 * Compare-and-swaps of an entry lock found held (1) that the inline paths
 * make before they leave it to the helper: a holder holds it for a few
 * straight-line steps and never blocks, so the next tries usually get it.
 */
export const INLINE_LOCK_TRIES = 32;

/** An entry table that holds no chunk: a region's training calls read it (contendedBindings), so every fallback runs. */
export function missingEntries(): Int32Array {
  return new Int32Array(2 * INLINE_ENTRIES).fill(-1);
}

/** `base` (the helper-call lowering) with word LDREX and STREX inline on the common path. */
export function withAieInlineExclusives(base: AtomicLowering, x: AieInlineContext): AtomicLowering {
  const s = x.slots;
  const me = lit(x.me);
  const sh = lit(x.granuleShift);
  const wordTag = (a: string): string => tlbProbe(a).tag;
  const index = (a: string): string => tlbProbe(a).index;
  const lock = 'xg';
  const count = `a_w[xe + ${EntryWord.SET_COUNT}]`;
  const member = (k: string): string => `a_w[xe + ${EntryWord.SET_INLINE} + ${k}]`;
  const frameCount = `${lit(x.reservedWord)} + (xo >>> ${PAGE_BITS})`;
  // Atomics.compareExchange: the entry lock, against other vCPUs' LDREX, STREX, CLREX and checked stores on the chunk.
  // Found held (1), it is tried again, up to INLINE_LOCK_TRIES times; xr is then 0 (taken), 1 or 2 (a sleeper
  // announced: the helper spins and sleeps). Every operation of the loop runs on its first pass, so that V8 has
  // feedback for all of them before a lock is ever found held (a first run of an operation inside optimised code
  // costs a deoptimisation); the loop stops when xr is not 1 or xy went below 0.
  const takeLock = `const xg = xe + ${EntryWord.LOCK}; let xr = 0, xy = ${INLINE_LOCK_TRIES - 1}; ` +
    `do { xr = Atomics.compareExchange(a_w, ${lock}, 0, 1); xy = (xy - 1) | 0; } while ((xr | ((xy >>> 31) << 1)) === 1);`;
  const counted = `a_c.lockAcquisitions++; a_c.lockContended += xy < ${INLINE_LOCK_TRIES - 2} ? 1 : 0;`;
  // Atomics.exchange: the release publishes the critical section; 2 means a sleeper announced itself, which
  // the op wakes (xz, the lock's word) after its fallback's place, through a_wk: the wake's call is then reached on
  // every path of the op, and a training call (a_xw 1, below) makes it with 0 (no lock) before V8 optimises.
  const unlock = `xz = Atomics.exchange(a_w, ${lock}, 0) === 2 ? ${lock} : 0;`;
  const wake = 'if ((xz | a_xw) !== 0) a_wk(xz);';
  // Whether this vCPU is among the set's inline members (the set has at most SET_INLINE_SLOTS of them when this is
  // used): every member is read and compared on every pass, so that none of these operations first runs in
  // optimised code when another vCPU joined the set.
  const isMember = Array.from({ length: SET_INLINE_SLOTS }, (_, k) => `((${k} < xn) & (${member(String(k))} === ${me}))`).join(' | ');
  // Atomics.load of each other slot's hazard: an unlocked store that read the frame's count before ours (the Dekker
  // pair). One naming the frame sends the LDREX to its helper, which joins again (it is a member already: no
  // change), waits the store out and loads; the fallback's call is the one call site, so no wait of its own.
  const hazardScan = `for (let xs = 0, xl = Atomics.load(a_w, ${Header.SLOT_LIMIT}), xh = (xo >>> ${PAGE_BITS}) + 1; xs < xl; xs++) ` +
    `if (xs !== ${me} && Atomics.load(a_w, ${lit(x.hazardsWord)} + xs * ${HAZARD_STRIDE}) === xh) { xd = 0; break; }`;
  // The chunk's slot in the inline entry table, and whether it holds the chunk.
  const slotOf = `xq = xo >>> ${sh}, xc = (xq & ${INLINE_ENTRIES - 1}) << 1`;
  const entryLookup = `${slotOf}, xe = a_ec[xc + 1]`;
  const entryHit = 'a_ec[xc] === xq';
  const writeHit = (a: string): string => `(TW[xi] === ${wordTag(a)} || TW[xi] === (${wordTag(a)} | ${lit(TLB_EXCL)}))`;
  return {
    ...base,
    bindings: {
      ...base.bindings, a_w: x.words, a_ec: x.entries, a_xw: 0,
      a_wk: (at: number): void => { if (at !== 0) Atomics.notify(x.words, at, 1); },
    },
    ld_excl(lo, hi, addr, memop, pc, sync = '') {
      if (!isWord(memop)) return base.ld_excl(lo, hi, addr, memop, pc, sync);
      const call = base.ld_excl(lo, hi, 'xa', memop, pc, '');
      return `{ const xa = ${addr}, xi = ${index('xa')}; let xd = 0, xz = 0;\n` +
        `if (TR[xi] === ${wordTag('xa')}) { const xo = (xa + TA[xi]) | 0, ${entryLookup}, xp = R[${s.scratch}];\n` +
        // No reservation, or one on this entry (one comparison on every pass).
        `if (${entryHit} && (xp === 0 ? xe : xp) === xe) { ${takeLock}\n` +
        `if (xr === 0) { ${counted} const xn = ${count}, xm = ${isMember};\n` +
        `if (xm !== 0) xd = 1;\n` +
        // Atomics.add: the frame's reservation count, read by unlocked stores without the lock.
        `else if (xn < ${SET_INLINE_SLOTS}) { ${member('xn')} = ${me}; ${count} = xn + 1; Atomics.add(a_w, ${frameCount}, 1); xd = 1; }\n` +
        `${unlock}\n` +
        `if (xd) ${hazardScan}\n` +
        // A plain load (tear-free): every store it must see happens-before it through an SC pair (docs/strategy-aie.md).
        `if (xd) { a_c.ldrex++; const xv = M32[xo >> 2]; R[${s.scratch}] = xe; R[${s.exclAddr}] = xa; R[${s.exclSize}] = ${MemOp.SIZE_32}; ` +
        `R[${s.helperHi}] = 0; ${lo} = xv; ${hi} = 0; } } } }\n` +
        `${wake}\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
    st_excl(status, addr, lo, hi, memop, pc, sync = '') {
      if (!isWord(memop)) return base.st_excl(status, addr, lo, hi, memop, pc, sync);
      const call = base.st_excl(status, 'xa', lo, hi, memop, pc, '');
      return `{ const xa = ${addr}, xi = ${index('xa')}, xe = R[${s.scratch}]; let xd = 0, xz = 0;\n` +
        `if (R[${s.exclAddr}] === xa && R[${s.exclSize}] === ${MemOp.SIZE_32} && xe !== 0) { const xw = TW[xi], xt = ${wordTag('xa')};\n` +
        `if (xw === xt || xw === (xt | ${lit(TLB_EXCL)})) { const xo = (xa + TA[xi]) | 0, ${slotOf};\n` +
        // The remap check: the table pairs the chunk the address reaches now with the reserved entry only if that
        // entry is the chunk's (the helpers fill it with a key's one entry); any other content goes to the helper.
        `if (${entryHit} && a_ec[xc + 1] === xe) { ${takeLock}\n` +
        `if (xr === 0) { ${counted} const xn = ${count};\n` +
        `if (xn <= ${SET_INLINE_SLOTS}) { const xm = ${isMember};\n` +
        `R[${s.exclAddr}] = -1; R[${s.scratch}] = 0; a_c.strex++; xd = 1;\n` +
        // A plain store under the entry lock: the releasing exchange publishes it to the next holder.
        // Atomics.add: the frame's count drops by the members the store cancels.
        // The failure is counted without a branch of its own: a lost reservation is first seen long after V8 optimised this.
        `if (xm !== 0) { M32[xo >> 2] = ${lo}; ${count} = 0; Atomics.add(a_w, ${frameCount}, -xn); }\n` +
        `${status} = xm !== 0 ? 0 : 1; a_c.strexFailReservation += ${status}; }\n` +
        `${unlock} } } } }\n` +
        `${wake}\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
    cmpxchg(ok, addr, expected, replacement, memop, pc, sync = '') {
      if (!isWord(memop)) return base.cmpxchg(ok, addr, expected, replacement, memop, pc, sync);
      const call = base.cmpxchg(ok, 'xa', expected, replacement, memop, pc, '');
      return `{ const xa = ${addr}, xi = ${index('xa')}; let xd = 0, xz = 0;\n` +
        `if (${writeHit('xa')}) { const xo = (xa + TA[xi]) | 0, ${entryLookup};\n` +
        `if (${entryHit}) { ${takeLock}\n` +
        `if (xr === 0) { ${counted} a_c.cas++; xd = 1; const xv = ${expected};\n` +
        // Atomics.compareExchange on the word: unlocked plain stores (no reservation on the frame) do not take the entry lock.
        `if (Atomics.compareExchange(M32, xo >> 2, xv, ${replacement}) === xv) { ${ok} = 1; const xn = ${count};\n` +
        // Atomics.add: the stored word cancels every reservation on the chunk; the frame's count drops with them.
        `if (xn !== 0) { ${count} = 0; Atomics.add(a_w, ${frameCount}, -xn); } }\n` +
        `else { a_c.casFail++; ${ok} = 0; }\n` +
        `${unlock} } } }\n` +
        `${wake}\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
  };
}
