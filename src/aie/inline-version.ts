// aie's word LDREX, STREX and kuser cmpxchg inline in translated code under
// the version monitor (--aie-monitor version, version-monitor.ts; session
// 12). Bits 2..31 of an entry's lock word are its chunk's version, which a
// lock holder that stored advances in its release; nobody else changes them.
//
//   LDREX    a read-TLB hit whose chunk is in a_ec: Atomics.load of the lock
//            word (again, a few times, while it is held); once the lock is
//            free, a plain load of the value; remember the version (env
//            exclValLo). No shared word is written.
//   STREX    the local monitor matches, a write-TLB hit (no flag, or only
//            TLB_EXCL), a_ec pairs the chunk the address reaches now with
//            the reserved entry: one Atomics.compareExchange of the lock word
//            from the version the LDREX read (lock free) to the same with the
//            held bit. Taken: store; then release with the version advanced
//            (Atomics.exchange), or, in a region that keeps runs, keep the
//            lock for the run of stores to the chunk after it (the run's
//            withdrawal releases it: inline-unlocked-store.ts,
//            aieVersionStores). A different version: fail. The same version
//            with the lock held: tried again a few times, then the helper
//            (it waits for the lock).
//   cmpxchg  (kuser) as inline-exclusives.ts, its release advancing the
//            version when it stored.
//
// Anything else - a miss, a flagged read page, a misaligned address, another
// size, a monitor mismatch, a held lock - makes env exact and calls the
// helper, which does the whole operation; the fast path has then changed
// nothing. The LDREX's order (the version, then the value) is what makes it
// right: docs/strategy-aie.md, "The version monitor".
//
// Cold branches (docs/strategy-aie.md, "The inline paths' cold branches"):
// the STREX's outcome is computed on every pass (its failure adds its status
// to the counter); the release's wake is a call made on every pass (a_wk with
// 0: no sleeper).

import { isWordOp as isWord, slowCall as slow, tlbProbe } from '../emulator/atomics/inline-probe.js';
import { lit } from '../emulator/backend/js-names.js';
import type { AtomicLowering } from '../emulator/atomics/strategy.js';
import type { StrategySlots } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';
import { TLB_EXCL } from '../emulator/softmmu/page-bits.js';
import { EntryWord } from './aie-entry.js';
import { LOCK_BITS, LOCK_SLEEPER, VERSION_STEP } from './entry-lock.js';
import { INLINE_ENTRIES, INLINE_UNPREPARED } from './aie-vcpu.js';
import { INLINE_LOCK_TRIES } from './inline-exclusives.js';

/** What the inline paths need of one attached vCPU. */
export interface AieVersionContext {
  readonly slots: StrategySlots;
  readonly granuleShift: number;
  /** The shared words (bound as a_w). */
  readonly words: Int32Array;
  /** Ready entries, INLINE_ENTRIES direct-mapped pairs [chunk key, entry] filled by the helpers (bound as a_ec). */
  readonly entries: Int32Array;
  /** The lock a run started by a STREX holds (bound as a_h): [lock word index or 0, the word its release stores]. */
  readonly held: Int32Array;
}

/** A run's key under the version monitor: the chunk of host byte offset `off`, plus 1. */
export const chunkRunKey = (granuleShift: number) => (off: string): string => `(${off} >>> ${granuleShift}) + 1`;

/** `base` (the helper-call lowering) with word LDREX, STREX and kuser cmpxchg inline under the version monitor. */
export function withAieVersionExclusives(base: AtomicLowering, x: AieVersionContext): AtomicLowering {
  const s = x.slots;
  const sh = lit(x.granuleShift);
  const tag = (a: string): string => tlbProbe(a).tag;
  const index = (a: string): string => tlbProbe(a).index;
  const slotOf = `xq = xo >>> ${sh}, xc = (xq & ${INLINE_ENTRIES - 1}) << 1`;
  const entryLookup = `${slotOf}, xe = a_ec[xc + 1]`;
  const entryHit = 'a_ec[xc] === xq';
  const entryHitAny = `(a_ec[xc] & ${~INLINE_UNPREPARED}) === xq`;
  const writeHit = `(TW[xi] === ${tag('xa')} || TW[xi] === (${tag('xa')} | ${lit(TLB_EXCL)}))`;
  const keyOf = chunkRunKey(x.granuleShift);
  return {
    ...base,
    bindings: {
      ...base.bindings, a_w: x.words, a_ec: x.entries, a_h: x.held,
      a_wk: (at: number): void => { if (at !== 0) Atomics.notify(x.words, at, 1); },
    },
    ld_excl(lo, hi, addr, memop, pc, sync = '') {
      if (!isWord(memop)) return base.ld_excl(lo, hi, addr, memop, pc, sync);
      const call = base.ld_excl(lo, hi, 'xa', memop, pc, '');
      // The version (Atomics.load), then the value (a plain, tear-free read): a store the value misses is one whose
      // lock was taken after the version's load, and its release advances the version, so the STREX fails.
      return `{ const xa = ${addr}, xi = ${index('xa')}; let xd = 0;\n` +
        `if (TR[xi] === ${tag('xa')}) { const xo = (xa + TA[xi]) | 0, ${entryLookup};\n` +
        // Held without a sleeper (a STREX's run on another vCPU: a few straight-line stores), loaded again, up to
        // INLINE_LOCK_TRIES times; every operation of the loop runs on its first pass (no deoptimisation when a lock
        // is first found held). Still held, or a sleeper announced: the helper.
        `if (${entryHit}) { let xv0 = 0, xy = ${INLINE_LOCK_TRIES - 1}; ` +
        `do { xv0 = Atomics.load(a_w, xe + ${EntryWord.LOCK}); xy = (xy - 1) | 0; } while (((xv0 & ${LOCK_BITS}) | ((xy >>> 31) << 1)) === 1);\n` +
        `if ((xv0 & ${LOCK_BITS}) === 0) { xd = 1; a_c.ldrex++; const xv = M32[xo >> 2]; R[${s.scratch}] = xe; R[${s.exclAddr}] = xa; ` +
        `R[${s.exclSize}] = ${MemOp.SIZE_32}; R[${s.exclValLo}] = xv0; R[${s.helperHi}] = 0; ${lo} = xv; ${hi} = 0; } } }\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
    st_excl(status, addr, lo, hi, memop, pc, sync = '', announced = '') {
      if (!isWord(memop)) return base.st_excl(status, addr, lo, hi, memop, pc, sync);
      const call = base.st_excl(status, 'xa', lo, hi, memop, pc, '');
      // Taken: the run (announced) keeps the lock, its withdrawal stores the advanced version; else release now.
      const after = announced
        ? `a_h[0] = xg; a_h[1] = (xv0 + ${VERSION_STEP}) | 0; ${announced} = ${keyOf('xo')}; a_c.unlockedStores++;`
        : `xz = (Atomics.exchange(a_w, xg, (xv0 + ${VERSION_STEP}) | 0) & ${LOCK_SLEEPER}) !== 0 ? xg : 0; a_wk(xz);`;
      return `{ const xa = ${addr}, xi = ${index('xa')}, xe = R[${s.scratch}]; let xd = 0, xz = 0;\n` +
        `if (R[${s.exclAddr}] === xa && R[${s.exclSize}] === ${MemOp.SIZE_32} && xe !== 0) { const xw = TW[xi], xt = ${tag('xa')};\n` +
        `if (xw === xt || xw === (xt | ${lit(TLB_EXCL)})) { const xo = (xa + TA[xi]) | 0, ${slotOf};\n` +
        // The remap check: the table pairs the chunk the address reaches now with the reserved entry only if that
        // entry is the chunk's; anything else goes to the helper.
        `if (${entryHit} && a_ec[xc + 1] === xe) { const xv0 = R[${s.exclValLo}], xg = xe + ${EntryWord.LOCK};\n` +
        // xm: the lock taken at the LDREX's version; xs: the version unchanged (the lock may be held). Neither taken
        // nor changed: the helper waits for the lock and decides.
        // Found held at the same version without a sleeper (another vCPU's STREX, whose release will advance it, or
        // its helper's LDREX), tried again up to INLINE_LOCK_TRIES times, every operation on the first pass.
        `let xr = 0, xy = ${INLINE_LOCK_TRIES - 1}; do { xr = Atomics.compareExchange(a_w, xg, xv0, xv0 | 1); xy = (xy - 1) | 0; } ` +
        `while (((xr === (xv0 | 1) ? 1 : 0) & ((xy >>> 31) ^ 1)) === 1);\n` +
        `const xm = xr === xv0 ? 1 : 0, xs = (xr & ${~LOCK_BITS}) === xv0 ? 1 : 0;\n` +
        `if ((xm | (xs ^ 1)) !== 0) { R[${s.exclAddr}] = -1; R[${s.scratch}] = 0; a_c.strex++; a_c.lockAcquisitions += xm; xd = 1;\n` +
        // A plain store under the entry lock, before the release that advances the version.
        `if (xm !== 0) { M32[xo >> 2] = ${lo}; ${after} }\n` +
        `${status} = xm ^ 1; a_c.strexFailReservation += ${status}; } } } }\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
    cmpxchg(ok, addr, expected, replacement, memop, pc, sync = '') {
      if (!isWord(memop)) return base.cmpxchg(ok, addr, expected, replacement, memop, pc, sync);
      const call = base.cmpxchg(ok, 'xa', expected, replacement, memop, pc, '');
      // The entry lock (Atomics.or of the held bit, tried again while found held without a sleeper, as in
      // inline-exclusives.ts); Atomics.compareExchange of the word (unlocked plain stores do not take the lock);
      // the release, one Atomics.exchange for both outcomes: the version advanced by a step if it stored. While the
      // lock is held only its holder changes the version (the plain read) and others only set the lock's bits,
      // which the exchange returns (a sleeper to wake).
      return `{ const xa = ${addr}, xi = ${index('xa')}; let xd = 0, xz = 0;\n` +
        `if (${writeHit}) { const xo = (xa + TA[xi]) | 0, ${entryLookup};\n` +
        `if (${entryHitAny}) { const xg = xe + ${EntryWord.LOCK}; let xr = 0, xy = ${INLINE_LOCK_TRIES - 1}; ` +
        `do { xr = Atomics.or(a_w, xg, 1) & ${LOCK_BITS}; xy = (xy - 1) | 0; } while ((xr | ((xy >>> 31) << 1)) === 1);\n` +
        `if (xr === 0) { a_c.lockAcquisitions++; a_c.lockContended += xy < ${INLINE_LOCK_TRIES - 2} ? 1 : 0; a_c.cas++; xd = 1; const xv = ${expected};\n` +
        `const xk = Atomics.compareExchange(M32, xo >> 2, xv, ${replacement}) === xv ? 1 : 0; ${ok} = xk; a_c.casFail += xk ^ 1;\n` +
        `xz = (Atomics.exchange(a_w, xg, ((a_w[xg] & ${~LOCK_BITS}) + xk * ${VERSION_STEP}) | 0) & ${LOCK_SLEEPER}) !== 0 ? xg : 0; a_wk(xz); } } }\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
  };
}
