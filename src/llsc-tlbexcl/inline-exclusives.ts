// The range monitor's word LDREX and STREX (`--tlbexcl-monitor ranges`;
// the version monitor's: inline-version-exclusives.ts) inline in translated code on a TLB hit, as
// cmpxchg's are (value-compare/inline-exclusives.ts), but through a call of a
// small lock-free function instead of a host atomic alone: a LDREX whose
// address hits the TLB's read entry calls a_ldx(off), which reserves without
// the lock when the frame is already marked and flushed (READY), and then
// loads inline; a STREX whose write entry is the page plus TLB_EXCL (a
// reserved frame is marked) calls a_stx(off, value), which announces the
// commit, validates, stores and withdraws without the lock when no other
// range is counted and no other store announced on the frame. Neither can fault, so env is not made exact for them.
// Anything else (a miss, a misaligned address, another size, a frame not
// READY, another vCPU's range or store on the frame, a range another store holds)
// makes env exact and calls the strategy's helper, which takes the lock.
// The design and its correctness argument: docs/strategy-tlbexcl.md.

import { hostOffset, isWordOp as isWord, slowCall, tlbProbe } from '../emulator/atomics/inline-probe.js';
import type { AtomicLowering } from '../emulator/atomics/strategy.js';
import { lit } from '../emulator/backend/js-names.js';
import { PAGE_BITS, TLB_EXCL } from '../emulator/softmmu/page-bits.js';
import { OWED_COUNT } from './inline-stores.js';

/** What the inline paths call (TlbExclVcpu's unlocked LDREX and STREX). */
export interface UnlockedExclusives {
  /** Reserves [off, off+4) and waits out announced stores: true, or false with nothing reserved. */
  ldrexUnlocked(off: number): boolean;
  /** STREX of a word: 0 stored, 1 failed (no range), 2 take the helper. */
  strexUnlocked(off: number, value: number): number;
  /** strexUnlocked, but a commit leaves its announcement and its range's count up for the run it starts. */
  strexStartingRun(off: number, value: number): number;
}

/** a_stxr for a region's training calls: every STREX takes its helper (the fallback trained), none starts a run. */
export const CONTENDED_EXCLUSIVES: Readonly<Record<string, unknown>> = { a_stxr: () => 2 };

/**
 * `base` (the helper-call lowering) with word LDREX and STREX inline on a TLB
 * hit. A STREX that starts a run leaves its range's count, 1, in OWED_COUNT
 * for the run's withdrawal; the run's key is its frame + 1.
 */
export function withInlineExclusives(base: AtomicLowering, x: UnlockedExclusives): AtomicLowering {
  return {
    ...base,
    bindings: {
      ...base.bindings,
      a_ldx: (off: number) => x.ldrexUnlocked(off),
      a_stx: (off: number, v: number) => x.strexUnlocked(off, v),
      a_stxr: (off: number, v: number) => x.strexStartingRun(off, v),
    },
    ld_excl(lo, hi, addr, memop, pc, sync = '') {
      if (!isWord(memop)) return base.ld_excl(lo, hi, addr, memop, pc, sync);
      const call = base.ld_excl(lo, hi, 'xa', memop, pc, '');
      const { index, tag } = tlbProbe('xa');
      // A plain load after a_ldx's reservation and its wait: every store that did not see the range happens
      // before it through a pair a_ldx has made (the live word read without the storer's announcement, which
      // it withdrew after storing; READY read in the count's result after the flush).
      return `{ const xa = ${addr}, xi = ${index};\n` +
        `if (TR[xi] === ${tag} && a_ldx(${hostOffset('xa', 'xi')})) { ${lo} = M32[${hostOffset('xa', 'xi')} >> 2]; ${hi} = 0; }\n` +
        `else ${slowCall(sync, call)} }`;
    },
    st_excl(status, addr, lo, hi, memop, pc, sync = '', announced = '') {
      if (!isWord(memop)) return base.st_excl(status, addr, lo, hi, memop, pc, sync);
      const call = base.st_excl(status, 'xa', lo, hi, memop, pc, '');
      const { index, tag } = tlbProbe('xa');
      const off = hostOffset('xa', 'xi');
      const test = `if (TW[xi] !== (${tag} | ${lit(TLB_EXCL)}) || (${status} = ${announced ? 'a_stxr' : 'a_stx'}(${off}, ${lo})) === 2) ` +
        slowCall(sync, call);
      if (!announced) return `{ const xa = ${addr}, xi = ${index};\n${test} }`;
      // In a region that keeps runs, a commit without the lock starts the run of the stores after it: its add's
      // result (one range, its own; no store announced) was the run's check, and its announcement and count stay up
      // until the run's withdrawal, which takes the owed count off with the announcement. The helper starts none.
      return `{ const xa = ${addr}, xi = ${index};\n${test}\n` +
        `else if (${status} === 0) { ${announced} = (${off} >>> ${PAGE_BITS}) + 1; ${OWED_COUNT} = 1; } }`;
    },
  };
}
