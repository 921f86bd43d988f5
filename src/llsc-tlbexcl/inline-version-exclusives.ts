// The version monitor's word LDREX and STREX written out in translated code
// (`--tlbexcl-monitor version`, version-monitor.ts), as cmpxchg's are
// (value-compare/inline-exclusives.ts): the common case calls nothing. The
// monitor's state is the vCPU's private slots (monitor-slots.ts, bound as
// a_xk), which the helpers read and write too; the shared words are the
// version words (a_xl), their wrap counts (a_xw), the frames' marks (a_xm)
// and idle counts (a_xi).
//
//   LDREX  a read-TLB hit on a frame marked READY (a plain read, a quick
//          refusal): the word's wrap count (plain), then the line's version
//          word (Atomics.load), then the mark again (Atomics.load); the word
//          quiet and the mark READY: keep them in the slots (the frame's idle
//          count reset if it is not 0), then a plain load of the value.
//          Otherwise a_ldx(off) (VersionVcpu.ldrexUnlocked: waits out the
//          stores and commits announced on the word; no fault, so env is not
//          made exact), and if the frame is not READY the helper, which marks
//          and flushes.
//   STREX  a write-TLB hit on the page plus TLB_EXCL, the slots holding a
//          monitor for exactly this word and a kept word (advanced by the
//          vCPU's own stores) that is quiet: close the monitor, then
//          Atomics.compareExchange of the version word from the kept word to
//          kept + COMMIT; the status is computed on every pass. Taken, and the
//          wrap count unchanged: a plain store, then the withdrawal (+ SEQ -
//          COMMIT, counting a wrap it makes) or, in a region that keeps runs,
//          COMMIT left up for the run of stores after it (the word committed
//          from kept in the slots for the run's withdrawal). Under the plain
//          withdrawal (inline-version-stores.ts) the withdrawal is a plain
//          store of that word + SEQ unless it wraps. Taken with the wrap
//          count changed: a_xf(off) withdraws and fails it. Anything else (a
//          miss, no monitor or another one, a kept word whose own stores
//          carried out of the sequence) makes env exact and calls the helper.
//
// The counters stay exact: ldrex, ldrexUnlocked, strex, strexUnlocked and
// strexFailNoRange are added to here as the helpers add to them (a_c), and
// a_ldx counts the LDREXes it makes and their waits. In a region's training
// calls (exec/region-training.ts) a_xl is a copy whose words all show a
// commit under way: the LDREX takes a_ldx (on the real words), and the STREX's
// compare-and-set on the copy fails, so a STREX made in a training call fails
// (spuriously, as the architecture allows) and starts no run on the real words.
// docs/strategy-tlbexcl.md ("The version monitor in translated code"), with
// the step of the correctness argument each line is.

import { isWordOp as isWord, slowCall, tlbProbe } from '../emulator/atomics/inline-probe.js';
import type { AtomicLowering } from '../emulator/atomics/strategy.js';
import { lit } from '../emulator/backend/js-names.js';
import { PAGE_BITS, TLB_EXCL } from '../emulator/softmmu/page-bits.js';
import { MARKED, READY } from './exclusive-state.js';
import { frameSlotExpr } from './frame-slots.js';
import { OWED_COUNT } from './inline-stores.js';
import { advanceExpr, COMMIT_OWED, plainCommitWithdrawal, versionRunKey } from './inline-version-stores.js';
import type { Withdrawal } from './tlbexcl-options.js';
import { MonitorSlot as S } from './monitor-slots.js';
import { COMMIT, LINE_BITS, lineWordExpr, SEQ, WRITERS } from './version-word.js';

/** What the written-out LDREX and STREX call on their rare paths (VersionVcpu). */
export interface VersionExclusives {
  /** Reserves [off, off+4), waiting out stores and commits announced on its word: true, or false (frame not READY). */
  ldrexUnlocked(off: number): boolean;
  /** A commit whose word wrapped since its LDREX: withdrawn, 1. */
  failWrappedCommit(off: number): number;
}

const READY_MARK = lit(MARKED | READY);
const BUSY = lit(WRITERS | COMMIT);
const slot = (i: number): string => `a_xk[${i}]`;

/**
 * `base` (the helper-call lowering) with word LDREX and STREX written out under the version monitor; `withdrawal`:
 * how a commit is withdrawn (tlbexcl-options.ts; the same as the stores' lowering was made with).
 */
export function withVersionExclusives(base: AtomicLowering, x: VersionExclusives, withdrawal: Withdrawal): AtomicLowering {
  const plain = withdrawal === 'plain';
  return {
    ...base,
    bindings: {
      ...base.bindings,
      a_ldx: (off: number): boolean => x.ldrexUnlocked(off),
      a_xf: (off: number): number => x.failWrappedCommit(off),
    },
    ld_excl(lo, hi, addr, memop, pc, sync = '') {
      if (!isWord(memop)) return base.ld_excl(lo, hi, addr, memop, pc, sync);
      const call = base.ld_excl(lo, hi, 'xa', memop, pc, '');
      const { index, tag } = tlbProbe('xa');
      const line = lineWordExpr(`(xo >>> ${LINE_BITS})`);
      // r (the word) after the wrap count, m (the mark) after r: docs/strategy-tlbexcl.md. The value's plain load
      // after m: every store it must see finished before r (r quiet) or before the flush READY was set after.
      return `{ const xa = ${addr}, xi = ${index}; let xd = 0;\n` +
        `if (TR[xi] === ${tag}) { const xo = (xa + TA[xi]) | 0, xp = xo >>> ${PAGE_BITS};\n` +
        `if ((a_xm[xp] & ${READY_MARK}) === ${READY_MARK}) { const xl = ${line}, xs = a_xw[xl], xw = Atomics.load(a_xl, xl);\n` +
        `if ((xw & ${BUSY}) === 0 && (Atomics.load(a_xm, xp) & ${READY_MARK}) === ${READY_MARK}) { const xq = ${frameSlotExpr('xp')};\n` +
        `if (a_xi[xq] !== 0) a_xi[xq] = 0;\n` +
        `${slot(S.START)} = xo; ${slot(S.END)} = (xo + 4) | 0; ${slot(S.WORD)} = xw; ${slot(S.WRAPS_SEEN)} = xs; ` +
        `${slot(S.OWN_WORD)} = (xl + 1) | 0; ${slot(S.OWN_STORES)} = 0; a_c.ldrex++; a_c.ldrexUnlocked++; xd = 1; }\n` +
        `else if (a_ldx(xo)) xd = 1;\n` +
        `if (xd !== 0) { ${lo} = M32[xo >> 2]; ${hi} = 0; } } }\n` +
        `if (xd === 0) ${slowCall(sync, call)} }`;
    },
    st_excl(status, addr, lo, hi, memop, pc, sync = '', announced = '') {
      if (!isWord(memop)) return base.st_excl(status, addr, lo, hi, memop, pc, sync);
      const call = base.st_excl(status, 'xa', lo, hi, memop, pc, '');
      const { index, tag } = tlbProbe('xa');
      const line = lineWordExpr(`(xo >>> ${LINE_BITS})`);
      // Taken: the store, then w (the withdrawal), or, in a region that keeps runs, COMMIT left up for the run: its
      // withdrawal takes COMMIT off (OWED_COUNT, inline-version-stores.ts).
      const after = announced
        ? `${announced} = ${versionRunKey('xo')}; ${OWED_COUNT} = ${lit(COMMIT_OWED)};` +
          (plain ? ` ${slot(S.COMMIT_WORD)} = xw;` : '')
        : plain ? `${plainCommitWithdrawal('xl', 'xw')};` : `${advanceExpr('xl', lit(SEQ - COMMIT))};`;
      return `{ const xa = ${addr}, xi = ${index}; let xd = 0;\n` +
        `if (TW[xi] === (${tag} | ${lit(TLB_EXCL)})) { const xo = (xa + TA[xi]) | 0, ` +
        `xw = (${slot(S.WORD)} + ${slot(S.OWN_STORES)} * ${lit(SEQ)}) | 0;\n` +
        `if (${slot(S.START)} === xo && ${slot(S.END)} === ((xo + 4) | 0) && (xw & ${BUSY}) === 0) { const xl = ${line};\n` +
        // The monitor closes either way; c (the compare-and-set from the kept word) decides.
        `${slot(S.START)} = -1; ${slot(S.OWN_WORD)} = 0; a_c.strex++; xd = 1;\n` +
        `${status} = Atomics.compareExchange(a_xl, xl, xw, (xw + ${lit(COMMIT)}) | 0) === xw ? 0 : 1;\n` +
        `if (${status} === 0) { if (a_xw[xl] === ${slot(S.WRAPS_SEEN)}) { M32[xo >> 2] = ${lo}; a_c.strexUnlocked++; ${after} } ` +
        `else ${status} = a_xf(xo); }\n` +
        `a_c.strexFailNoRange += ${status}; } }\n` +
        `if (xd === 0) ${slowCall(sync, call)} }`;
    },
  };
}
