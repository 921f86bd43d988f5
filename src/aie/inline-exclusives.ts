// aie's word LDREX, STREX and kuser cmpxchg inline in translated code (issue
// 14: correct LL/SC that costs little more than cmpxchg). The helpers
// (aie-vcpu.ts) do the same steps through the Mmu, the entry cache and
// function calls; on the common path translated code does them itself, on
// the same shared words. Entries come from a_ec, the vCPU's direct-mapped
// table of [chunk key, entry] pairs that the helpers fill with ready entries
// (a key's entry and its readiness never change):
//
//   LDREX    a read-TLB hit whose chunk is in a_ec, no reservation held on
//            another entry: unless still a member (its bit in the entry's
//            lock word), count the frame (Atomics.add) and join (Atomics.or),
//            without the entry lock; scan the other vCPUs' hazard words, load.
//   STREX    the local monitor matches, a write-TLB hit (no flag, or only
//            TLB_EXCL: aie's flag never goes stale), a_ec pairs the chunk the
//            address reaches now with the reserved entry: take the lock
//            (Atomics.or of the held bit), succeed only if self is in the set,
//            store, release and empty the set in one Atomics.and of the
//            word with 0 (it returns the members removed), lower the frame's count
//            by those.
//   cmpxchg  (kuser) a write-TLB hit whose chunk is in a_ec: take the lock,
//            compare-and-store the word, empty the set if it stored, release.
//
// The LDREX's join without the lock, and the STREX's emptying after its
// store, are docs/strategy-aie.md's "LDREX joins without the entry lock".
// vCPUs from MASK_MEMBERS on have no bit: their LDREX and STREX call the
// helper (which lists them under the lock).
//
// Anything else - a miss, a flagged or misaligned address, another size, a
// lock still held after INLINE_LOCK_TRIES tries or with a sleeper announced,
// a reservation on another chunk, a monitor mismatch - makes env exact and
// calls the helper, which does the whole operation (the fast path leaves
// nothing half done: it either completes or has changed nothing). One
// exception: a LDREX whose scan finds another vCPU's hazard on the frame has
// joined and counted already; its helper joins again, which changes nothing
// for a member (and counts again for a vCPU a store removed meanwhile), waits
// the store out and loads.
// A release that finds a sleeper announced wakes it after the op (a_wk). The
// --stats counters stay exact.
//
// Cold branches (docs/strategy-aie.md, "The inline paths' cold branches"):
// an operation V8 never saw run is compiled into a deoptimisation, so what
// only contention reaches either runs on every pass too (the lock's retry
// loop, the membership test, the failure counts) or is a fallback that a
// region's training calls take: over the contended bindings (aie-strategy.ts)
// a_ec holds no chunk, a_wr reserves every frame and a_xw calls the wake.
// The LDREX's test "still a member" is a plain read with no operation of its
// own on the branch it skips (the spinning LDREX of a contended lock).
// docs/strategy-aie.md ("Inline LDREX, STREX and kuser cmpxchg") says why
// this is the helpers' protocol, step for step.

import { isWordOp as isWord, slowCall as slow, tlbProbe } from '../emulator/atomics/inline-probe.js';
import { lit } from '../emulator/backend/js-names.js';
import type { AtomicLowering } from '../emulator/atomics/strategy.js';
import type { StrategySlots } from '../emulator/atomics/vcpu-services.js';
import { MemOp } from '../emulator/ir/memop.js';
import { PAGE_BITS, TLB_EXCL } from '../emulator/softmmu/page-bits.js';
import { EntryWord, MASK_MEMBERS } from './aie-entry.js';
import { LOCK_BITS, LOCK_SLEEPER, MEMBER_SHIFT } from './entry-lock.js';
import { memberBit } from './tiny-set.js';
import { HAZARD_STRIDE, Header } from './aie-shared.js';
import { INLINE_ENTRIES, INLINE_UNPREPARED } from './aie-vcpu.js';

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
  const word = `xe + ${EntryWord.LOCK}`;
  const listed = `a_w[xe + ${EntryWord.SET_COUNT}]`;
  const bit = lit(memberBit(x.me));
  const frameCount = `${lit(x.reservedWord)} + (xo >>> ${PAGE_BITS})`;
  // Atomics.or of the held bit (a test-and-set that leaves the members' bits alone): the entry lock, against other
  // vCPUs' STREX, CLREX, cmpxchg and checked stores on the chunk (entry-lock.ts). Found held (1), it is tried again,
  // up to INLINE_LOCK_TRIES times; xr is then 0 (taken), 1 or 3 (a sleeper announced: the helper spins and sleeps).
  // Every operation of the loop runs on its first pass, so that V8 has feedback for all of them before a lock is
  // ever found held (a first run of an operation inside optimised code costs a deoptimisation); the loop stops when
  // xr is not 1 or xy went below 0.
  const takeLock = `const xg = xe + ${EntryWord.LOCK}; let xr = 0, xy = ${INLINE_LOCK_TRIES - 1}; ` +
    `do { xr = Atomics.or(a_w, ${lock}, 1) & ${LOCK_BITS}; xy = (xy - 1) | 0; } while ((xr | ((xy >>> 31) << 1)) === 1);`;
  const counted = `a_c.lockAcquisitions++; a_c.lockContended += xy < ${INLINE_LOCK_TRIES - 2} ? 1 : 0;`;
  // The release: one Atomics.and of the lock word, which publishes the critical section. With xk (the op stored) it
  // is an and with 0, which also empties the set: the listed members go first (plain words under the lock), then
  // the and removes every member's bit with the lock's (a join after it reads from it, so sees the store before it;
  // one before it is removed, and its STREX fails). Without xk it clears only the lock's bits. One call site for both,
  // and the emptying's arithmetic runs on every pass (no operation first runs when a store or a failure is first
  // seen, long after V8 optimised the region). xb, the members removed, is what the frame's count falls by
  // (Atomics.add, read by unlocked stores without the lock). A sleeper bit in the old word means a sleeper
  // announced itself, which the op wakes (xz, the lock's word) after its fallback's place, through a_wk: the wake's
  // call is then reached on every path of the op, and a training call (a_xw 1, below) makes it with 0 (no lock)
  // before V8 optimises.
  // `lower` (default: the plain add) is the statement that lowers the frame's count by xb when xb is not 0.
  const release = (xk: string, lower = `Atomics.add(a_w, ${frameCount}, -xb);`): string =>
    `const xn = ${listed}; ${listed} = ${xk} !== 0 ? 0 : xn; ` +
    `let xb = Atomics.and(a_w, ${lock}, ${xk} !== 0 ? 0 : ${~LOCK_BITS}); xz = (xb & ${LOCK_SLEEPER}) !== 0 ? ${lock} : 0; ` +
    `xb = xb >>> ${MEMBER_SHIFT}; xb = xb - ((xb >>> 1) & 0x55555555); xb = (xb & 0x33333333) + ((xb >>> 2) & 0x33333333); ` +
    `xb = ${xk} !== 0 ? (Math.imul((xb + (xb >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) + xn : 0; ` +
    `if (xb !== 0) ${lower}`;
  // A successful STREX in a region that keeps runs (`announced`, the region's ANNOUNCED local) starts the run of
  // the stores after it: its hazard (Atomics.store, this vCPU's word naming the frame) before the count's add,
  // whose result is then the run's count read - the Dekker pair with a LDREX's add and scan, as the run's own
  // check would make it. The count after the add 0: the run is on (xf = frame + 1, one run counted); else the
  // hazard stays up naming no run (xf = -1: the next store makes its own check, a withdrawal clears it). The
  // hazard before the add is the ordering that matters (docs/strategy-aie.md, "A run started by the STREX").
  // xb is not 0 on every success (the STREX's own bit), so no path has an operation of its own.
  const hazard = lit(x.hazardsWord + x.me * HAZARD_STRIDE);
  const startRun = (announced: string): string => `{ Atomics.store(a_w, ${hazard}, (xo >>> ${PAGE_BITS}) + 1); ` +
    `const xu = Atomics.add(a_w, ${frameCount}, -xb) === xb ? 1 : 0; a_c.unlockedStores += xu; ` +
    `${announced} = xu !== 0 ? (xo >>> ${PAGE_BITS}) + 1 : -1; }`;
  const wake = 'if ((xz | a_xw) !== 0) a_wk(xz);';
  // Atomics.load of each other slot's hazard: an unlocked store that read the frame's count before ours (the Dekker
  // pair). One naming the frame sends the LDREX to its helper, which joins again (it is a member already: no
  // change), waits the store out and loads; the fallback's call is the one call site, so no wait of its own.
  const hazardScan = `for (let xs = 0, xl = Atomics.load(a_w, ${Header.SLOT_LIMIT}), xh = (xo >>> ${PAGE_BITS}) + 1; xs < xl; xs++) ` +
    `if (xs !== ${me} && Atomics.load(a_w, ${lit(x.hazardsWord)} + xs * ${HAZARD_STRIDE}) === xh) { xd = 0; break; }`;
  // The chunk's slot in the inline entry table, and whether it holds the chunk.
  const slotOf = `xq = xo >>> ${sh}, xc = (xq & ${INLINE_ENTRIES - 1}) << 1`;
  const entryLookup = `${slotOf}, xe = a_ec[xc + 1]`;
  const entryHit = 'a_ec[xc] === xq';
  // The kuser cmpxchg also takes an entry a SWP or cmpxchg handed out unprepared (aie-vcpu.ts, INLINE_UNPREPARED).
  const entryHitAny = `(a_ec[xc] & ${~INLINE_UNPREPARED}) === xq`;
  const writeHit = (a: string): string => `(TW[xi] === ${wordTag(a)} || TW[xi] === (${wordTag(a)} | ${lit(TLB_EXCL)}))`;
  return {
    ...base,
    bindings: {
      ...base.bindings, a_w: x.words, a_ec: x.entries, a_xw: 0,
      a_wk: (at: number): void => { if (at !== 0) Atomics.notify(x.words, at, 1); },
    },
    ld_excl(lo, hi, addr, memop, pc, sync = '') {
      if (!isWord(memop) || x.me >= MASK_MEMBERS) return base.ld_excl(lo, hi, addr, memop, pc, sync);
      const call = base.ld_excl(lo, hi, 'xa', memop, pc, '');
      return `{ const xa = ${addr}, xi = ${index('xa')}; let xd = 0;\n` +
        `if (TR[xi] === ${wordTag('xa')}) { const xo = (xa + TA[xi]) | 0, ${entryLookup}, xp = R[${s.scratch}];\n` +
        // No reservation, or one on this entry (one comparison on every pass).
        `if (${entryHit} && (xp === 0 ? xe : xp) === xe) { xd = 1;\n` +
        // Still a member since this vCPU's last join (a plain read of its own bit; a stale 1 only makes the STREX
        // fail): nothing to do, and no scan (the join's scan or wait covered every unlocked store that read a 0).
        // Else join without the lock: Atomics.add first (the frame's count is never below its counted members
        // that a store may remove), then Atomics.or (its old value says whether the bit was set: never, by the
        // argument in the doc; the count is then put back). Then the hazard scan.
        `if (xp !== xe || (a_w[${word}] & ${bit}) === 0) { Atomics.add(a_w, ${frameCount}, 1);\n` +
        `if ((Atomics.or(a_w, ${word}, ${bit}) & ${bit}) !== 0) Atomics.add(a_w, ${frameCount}, -1);\n` +
        `${hazardScan} }\n` +
        // A plain load (tear-free): every store it must see happens-before it through an SC pair (docs/strategy-aie.md).
        `if (xd) { a_c.ldrex++; const xv = M32[xo >> 2]; R[${s.scratch}] = xe; R[${s.exclAddr}] = xa; R[${s.exclSize}] = ${MemOp.SIZE_32}; ` +
        `R[${s.helperHi}] = 0; ${lo} = xv; ${hi} = 0; } } }\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
    st_excl(status, addr, lo, hi, memop, pc, sync = '', announced = '') {
      if (!isWord(memop) || x.me >= MASK_MEMBERS) return base.st_excl(status, addr, lo, hi, memop, pc, sync);
      const call = base.st_excl(status, 'xa', lo, hi, memop, pc, '');
      return `{ const xa = ${addr}, xi = ${index('xa')}, xe = R[${s.scratch}]; let xd = 0, xz = 0;\n` +
        `if (R[${s.exclAddr}] === xa && R[${s.exclSize}] === ${MemOp.SIZE_32} && xe !== 0) { const xw = TW[xi], xt = ${wordTag('xa')};\n` +
        `if (xw === xt || xw === (xt | ${lit(TLB_EXCL)})) { const xo = (xa + TA[xi]) | 0, ${slotOf};\n` +
        // The remap check: the table pairs the chunk the address reaches now with the reserved entry only if that
        // entry is the chunk's (the helpers fill it with a key's one entry); any other content goes to the helper.
        `if (${entryHit} && a_ec[xc + 1] === xe) { ${takeLock}\n` +
        // Membership: a plain read of this vCPU's own bit, which under the lock nobody else changes (only lock
        // holders remove, only this vCPU joins).
        `if (xr === 0) { ${counted} const xm = (a_w[${lock}] & ${bit}) !== 0 ? 1 : 0;\n` +
        `R[${s.exclAddr}] = -1; R[${s.scratch}] = 0; a_c.strex++; xd = 1;\n` +
        // A plain store under the entry lock, before the release that empties the set: a LDREX that joins after the
        // release reads from it and so sees the store; one that joined before is removed by it (its STREX fails).
        // The failure is counted without a branch of its own: a lost reservation is first seen long after V8 optimised this.
        `if (xm !== 0) M32[xo >> 2] = ${lo};\n` +
        `${announced ? release('xm', startRun(announced)) : release('xm')}\n` +
        `${status} = xm ^ 1; a_c.strexFailReservation += ${status}; } } } }\n` +
        `${wake}\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
    cmpxchg(ok, addr, expected, replacement, memop, pc, sync = '') {
      if (!isWord(memop)) return base.cmpxchg(ok, addr, expected, replacement, memop, pc, sync);
      const call = base.cmpxchg(ok, 'xa', expected, replacement, memop, pc, '');
      return `{ const xa = ${addr}, xi = ${index('xa')}; let xd = 0, xz = 0;\n` +
        `if (${writeHit('xa')}) { const xo = (xa + TA[xi]) | 0, ${entryLookup};\n` +
        `if (${entryHitAny}) { ${takeLock}\n` +
        `if (xr === 0) { ${counted} a_c.cas++; xd = 1; const xv = ${expected};\n` +
        // Atomics.compareExchange on the word: unlocked plain stores (no reservation on the frame) do not take the entry lock.
        // The stored word cancels every reservation on the chunk (the release empties the set); the frame's count
        // drops with them.
        `const xk = Atomics.compareExchange(M32, xo >> 2, xv, ${replacement}) === xv ? 1 : 0; ${ok} = xk; a_c.casFail += xk ^ 1;\n` +
        `${release('xk')} } } }\n` +
        `${wake}\n` +
        `if (xd === 0) ${slow(sync, call)} }`;
    },
  };
}
