// tlbexcl's inline path for plain stores to marked frames (the lowering's
// InlineFlaggedStore). A store whose TLB write entry carries TLB_EXCL
// announces itself in its frame's live word and checks, as
// FrameStores.beginUnlockedStore does, that the frame holds no range:
// the common case - the frame marked, the idle count below the unmark
// threshold, no range counted on it at all - is written out in the
// translated code (the mark read plainly, the idle count, then one
// Atomics.add that announces the store and returns the ranges counted
// before it); then the translated code stores and withdraws (Atomics.sub)
// itself. Anything else withdraws the announcement (if it made one) and the
// store takes the SoftMMU slow path to
// flaggedStore, which runs the whole check again (a range of the storer's
// own allowed there, then no lock) and otherwise locks: another vCPU's range
// on the frame, the idle store that unmarks, a frame no longer marked behind
// a stale entry. So a lock holder's stores to its lock's page cost no call
// and no lock once its STREX has consumed its range.
// The announcement stays up across the block's later stores to the frame,
// which then store with no check (runs: backend/store-announcement.ts, whose
// local `xf` names the announced frame + 1, so that a withdrawal knows the
// word; a store to another frame withdraws there before its own check); the
// count read by the run's first store covers them all, because a LDREX
// counted after that add finds the announcement and waits for the
// withdrawal before it loads.
// The fallback has no call of its own: a region's training calls reach it
// through every test of the check with a copy of the live words all showing
// a range (contended), so that V8 has seen every store's whole check,
// announcement and withdrawal run before it optimises the region
// (exec/region-training.ts).

import type { InlineFlaggedStore } from '../emulator/atomics/strategy.js';
import { lit } from '../emulator/backend/js-names.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { MARKED, type ExclusiveState } from './exclusive-state.js';
import { ANNOUNCED as ANNOUNCED_STORE, LIVE_RANGES } from './live-word.js';
import { ANNOUNCED } from '../emulator/backend/store-announcement.js';
import { frameSlotExpr } from './frame-slots.js';

/**
 * The range count the announced run owes (1 for a run a STREX started, whose
 * commit left its count and announcement up; 0 for a run a store started): a
 * private word of the vCPU, bound as a_xo, which the withdrawal takes off
 * the live word with the announcement and clears.
 */
export const OWED_COUNT = 'a_xo[0]';

/** The bindings, their contended values and the lowering for a vCPU (a_c must be bound to counters with unlockedStores). */
export function inlineUnlockedStores(
  state: ExclusiveState,
): { bindings: Record<string, unknown>; contended: Record<string, unknown>; lowering: InlineFlaggedStore } {
  const frame = (off: string): string => `(${off} >>> ${PAGE_BITS})`;
  // The run's announcement is in the live word of the frame the region local names (its frame + 1); a run a
  // STREX started (inline-exclusives.ts) also owes that STREX's range count, in OWED_COUNT, taken off with it.
  const withdraw = `(Atomics.sub(a_xl, ${frameSlotExpr(`${ANNOUNCED} - 1`)}, ${lit(ANNOUNCED_STORE)} + ${OWED_COUNT}), ` +
    `${OWED_COUNT} = 0)`;
  // Every frame's live word with a range counted, so every written-out check announces, fails and withdraws
  // (made at the first region's compilation: 2 MB, shared like the real one).
  let rangeEverywhere: Int32Array | null = null;
  return {
    bindings: { a_xl: state.live, a_xm: state.marks, a_xi: state.idle, a_xo: new Int32Array(1) },
    contended: {
      get a_xl(): Int32Array {
        return (rangeEverywhere ??= new Int32Array(new SharedArrayBuffer(state.live.byteLength)).fill(1));
      },
    },
    lowering: {
      // Atomics.store of the word before Atomics.load of the count: the Dekker pair with a LDREX's count and wait.
      // The mark is a plain read: it only sends a store behind a stale entry to the slow path, which drops the
      // entry; a stale MARKED read leaves the store to the count check, which alone decides (docs/strategy-tlbexcl.md).
      begin: (off) => {
        const fs = frameSlotExpr(frame(off));
        // Another frame's announcement (a run moving on) is withdrawn first; then announce and read the count in one step.
        return `((${ANNOUNCED} !== 0 && ${withdraw}), ` +
          `(a_xm[${frame(off)}] & ${MARKED}) !== 0 && a_xi[${fs}] < ${lit(state.unmarkAfter - 1)} && ` +
          `((Atomics.add(a_xl, ${fs}, ${lit(ANNOUNCED_STORE)}) & ${lit(LIVE_RANGES)}) === 0 || (Atomics.sub(a_xl, ${fs}, ${lit(ANNOUNCED_STORE)}), false)) ` +
          `? (a_xi[${fs}]++, a_c.unlockedStores++, true) : false)`;
      },
      // Atomics.store after the store(s): whoever waits for the word to clear (a LDREX on the frame) then sees them.
      withdraw,
      runs: true,
      // The run goes on over the region's forward edges (from the STREX's block into the critical section's), and a
      // STREX that commits without the lock starts it: its commit's announcement and count stay up as the run's
      // (inline-exclusives.ts; docs/strategy-tlbexcl.md, "A run started by the STREX").
      acrossForwardEdges: true,
      strexStartsRuns: true,
    },
  };
}
