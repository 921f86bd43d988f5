// The version monitor's inline path for plain stores to marked frames (the
// lowering's InlineFlaggedStore under `--tlbexcl-monitor version`; the range
// monitor's is inline-stores.ts). A store whose TLB write entry carries
// TLB_EXCL, to a marked frame below the unmark threshold, announces itself on
// its line's version word (one Atomics.add of WRITER); if no commit was under
// way there, it stores with no lock and no other check, later stores of the
// run to the same line (backend/store-announcement.ts, runs keyed by line:
// runKey) ride on the announcement, and the run's withdrawal (one
// Atomics.add of SEQ - WRITER) advances the sequence, which fails every
// monitor kept on the line before. Otherwise (a commit under way) it
// withdraws and takes the SoftMMU slow path (VersionVcpu.flaggedStore),
// which waits out the commit. A run a STREX started (inline-exclusives.ts)
// holds COMMIT instead of WRITER: OWED_COUNT holds the difference, which its
// withdrawal subtracts. The withdrawal that wraps the sequence counts the
// wrap in the word's `wraps` entry and then takes off the COMMIT its carry
// set; one on the word of the vCPU's own open monitor counts there (its
// STREX expects it).
// Under the plain withdrawal (`--tlbexcl-withdraw plain`, x86-64 hosts) no
// store announces on a word whose COMMIT is up: it reads the word and
// compare-and-sets it from that value without COMMIT to + WRITER (a word
// showing COMMIT fails the compare, and the store takes the slow path, which
// waits the commit out before it announces). Then nothing but the commit's
// holder writes the word while COMMIT is up, so the withdrawal of a run a
// STREX started is a plain store of the word the STREX committed from plus
// SEQ (kept in the monitor slots), unless that advance wraps the sequence
// (then the Atomics.add, which counts the wrap).
// docs/strategy-tlbexcl.md ("The version monitor", "The plain withdrawal").

import type { InlineFlaggedStore } from '../emulator/atomics/strategy.js';
import { ANNOUNCED } from '../emulator/backend/store-announcement.js';
import { lit } from '../emulator/backend/js-names.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { MARKED, type ExclusiveState } from './exclusive-state.js';
import type { Withdrawal } from './tlbexcl-options.js';
import { frameSlotExpr } from './frame-slots.js';
import { OWED_COUNT } from './inline-stores.js';
import { MonitorSlot as S } from './monitor-slots.js';
import { COMMIT, LINE_BITS, lineWordExpr, SEQ, SEQS, WRITER } from './version-word.js';

/** What a STREX that starts a run leaves in OWED_COUNT: its withdrawal then takes COMMIT off instead of WRITER. */
export const COMMIT_OWED = COMMIT - WRITER;

/**
 * A withdrawal that advances the sequence of version word `li` (JavaScript
 * expressions): Atomics.add of `delta` (with one SEQ in it); if its result
 * shows the sequence at its last value, the add wrapped it and carried into
 * COMMIT: count the wrap in the word's `wraps` entry (a_xw), then take that
 * COMMIT off (version-word.ts, wrappedBy). `li` is evaluated three times.
 */
export const advanceExpr = (li: string, delta: string): string =>
  `((Atomics.add(a_xl, ${li}, ${delta}) & ${lit(SEQS)}) === ${lit(SEQS)} && ` +
  `(Atomics.add(a_xw, ${li}, 1), Atomics.sub(a_xl, ${li}, ${lit(COMMIT)})))`;

/** The key of a run covering the store at host offset `off` (a JS expression): its line + 1. */
export const versionRunKey = (off: string): string => `((${off} >>> ${LINE_BITS}) + 1)`;

/**
 * The plain withdrawal of a commit on version word `li` (JavaScript expressions) that started from quiet word `from`:
 * the store of from + SEQ, or, where that advance wraps the sequence, advanceExpr's add (from + COMMIT is the word
 * then: nothing else writes it while COMMIT is up). `from` and `li` are evaluated more than once.
 */
export const plainCommitWithdrawal = (li: string, from: string): string =>
  `((${from} & ${lit(SEQS)}) !== ${lit(SEQS)} ? (a_xl[${li}] = (${from} + ${lit(SEQ)}) | 0) : ${advanceExpr(li, lit(SEQ - COMMIT))})`;

/**
 * The bindings, their contended values and the lowering for a vCPU (a_c must be bound to counters with
 * unlockedStores). `withdrawal`: how a run a STREX started is withdrawn, and so how a store announces (above).
 */
export function inlineVersionStores(
  state: ExclusiveState,
  monitor: Int32Array,
  withdrawal: Withdrawal,
): { bindings: Record<string, unknown>; contended: Record<string, unknown>; lowering: InlineFlaggedStore } {
  const frame = (off: string): string => `(${off} >>> ${PAGE_BITS})`;
  const announced = lineWordExpr(`${ANNOUNCED} - 1`);
  // Every run's withdrawal stored (a run begins with a store), so it advances the sequence; the add's result with
  // the sequence at its last value is the wrap, whose carry set COMMIT: the wrap is counted, then COMMIT taken off
  // (version-word.ts, wrappedBy). A run under the word of the vCPU's own open monitor counts there (a_xk:
  // monitor-slots.ts), so that its STREX expects the advance (a run a STREX started has no monitor open).
  const plain = withdrawal === 'plain';
  const atomicAdvance = advanceExpr(announced, `${lit(SEQ - WRITER)} - ${OWED_COUNT}`);
  // Plain: a run a STREX started owes its COMMIT (OWED_COUNT not 0) and writes the word it knows; a store's run adds.
  const advance = plain
    ? `(${OWED_COUNT} !== 0 ? ${plainCommitWithdrawal(announced, `a_xk[${S.COMMIT_WORD}]`)} : ${atomicAdvance})`
    : atomicAdvance;
  const withdraw = `(${advance}, ` +
    `a_xk[${S.OWN_WORD}] === ${announced} + 1 && a_xk[${S.OWN_STORES}]++, ${OWED_COUNT} = 0)`;
  // Every version word showing a commit under way, so every written-out check announces, fails and withdraws there.
  let committing: Int32Array | null = null;
  return {
    bindings: { a_xl: state.live, a_xm: state.marks, a_xi: state.idle, a_xw: state.wraps, a_xk: monitor, a_xo: new Int32Array(1) },
    contended: {
      get a_xl(): Int32Array {
        return (committing ??= new Int32Array(new SharedArrayBuffer(state.live.byteLength)).fill(COMMIT));
      },
    },
    lowering: {
      // The mark is a plain read: it only sends a store behind a stale entry to the slow path, which drops the
      // entry; while the frame is marked every store announces itself, READY or not (docs/strategy-tlbexcl.md).
      begin: (off) => {
        const fs = frameSlotExpr(frame(off));
        const li = lineWordExpr(`(${off} >>> ${LINE_BITS})`);
        const seen = `a_xk[${S.SCRATCH}]`;
        // Plain: announce only on a word without COMMIT (the compare fails on one with it); otherwise add, and take
        // the announcement back if a commit was under way.
        const announce = plain
          ? `(${seen} = Atomics.load(a_xl, ${li}) & ${lit(~COMMIT)}, ` +
            `Atomics.compareExchange(a_xl, ${li}, ${seen}, (${seen} + ${lit(WRITER)}) | 0) === ${seen})`
          : `((Atomics.add(a_xl, ${li}, ${lit(WRITER)}) & ${lit(COMMIT)}) === 0 || ` +
            `(Atomics.sub(a_xl, ${li}, ${lit(WRITER)}), false))`;
        return `((${ANNOUNCED} !== 0 && ${withdraw}), ` +
          `(a_xm[${frame(off)}] & ${MARKED}) !== 0 && a_xi[${fs}] < ${lit(state.unmarkAfter - 1)} && ` +
          `${announce} ? (a_xi[${fs}]++, a_c.unlockedStores++, true) : false)`;
      },
      withdraw,
      runs: true,
      acrossForwardEdges: true,
      strexStartsRuns: true,
      runKey: versionRunKey,
    },
  };
}
