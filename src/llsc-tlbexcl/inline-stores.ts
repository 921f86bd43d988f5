// tlbexcl's inline path for plain stores to marked frames (the lowering's
// InlineFlaggedStore). A store whose TLB write entry carries TLB_EXCL names
// its frame in this vCPU's `stores` word and checks, as
// ExclusiveState.beginUnlockedStore does, that the frame holds no range:
// the common case - the frame marked, no range on it at all, the idle count
// below the unmark threshold - is written out in the translated code
// (announce, the mark read plainly, the live count, the idle count); then
// the translated code stores and clears the word itself. Anything else
// withdraws the announcement and the store takes the SoftMMU slow path to
// flaggedStore, which runs the whole check again (a range of the storer's
// own allowed there, then no lock) and otherwise locks: another vCPU's range
// on the frame, the idle store that unmarks, a frame no longer marked behind
// a stale entry. So a lock holder's stores to its lock's page cost no call
// and no lock once its STREX has consumed its range.
// The announcement stays up across the block's later stores to the frame,
// which then store with no check (runs: backend/store-announcement.ts); the
// live count read by the run's first store covers them all, because a LDREX
// counted after that read waits for the withdrawal before it loads.
// The fallback has no call of its own: a region's training calls reach it
// through every test of the check with a copy of the idle counts all at the
// unmark threshold (contended), so that V8 has seen every store's whole
// check and fallback run before it optimises the region
// (exec/region-training.ts).

import type { InlineFlaggedStore } from '../emulator/atomics/strategy.js';
import { lit } from '../emulator/backend/js-names.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { MARKED, storesWord, type ExclusiveState } from './exclusive-state.js';
import { frameSlotExpr } from './frame-slots.js';

/** The bindings, their contended values and the lowering for vCPU `slot` (a_c must be bound to counters with unlockedStores). */
export function inlineUnlockedStores(
  state: ExclusiveState, slot: number,
): { bindings: Record<string, unknown>; contended: Record<string, unknown>; lowering: InlineFlaggedStore } {
  const word = lit(storesWord(slot));
  const frame = (off: string): string => `(${off} >>> ${PAGE_BITS})`;
  const withdraw = `Atomics.store(a_xs, ${word}, 0)`;
  // Every frame's idle count at the unmark threshold, so every written-out check fails at its last test (made at the first region's compilation: 2 MB).
  let idleAtLimit: Int32Array | null = null;
  return {
    bindings: { a_xs: state.stores, a_xl: state.live, a_xm: state.marks, a_xi: state.idle },
    contended: {
      get a_xi(): Int32Array {
        return (idleAtLimit ??= new Int32Array(state.idle.length).fill(state.unmarkAfter));
      },
    },
    lowering: {
      // Atomics.store of the word before Atomics.load of the count: the Dekker pair with a LDREX's count and wait.
      // The mark is a plain read: it only sends a store behind a stale entry to the slow path, which drops the
      // entry; a stale MARKED read leaves the store to the count check, which alone decides (docs/strategy-tlbexcl.md).
      begin: (off) => {
        const fs = frameSlotExpr(frame(off));
        return `(Atomics.store(a_xs, ${word}, ${frame(off)} + 1), ` +
          `(a_xm[${frame(off)}] & ${MARKED}) !== 0 && Atomics.load(a_xl, ${fs}) === 0 && a_xi[${fs}] < ${lit(state.unmarkAfter - 1)} ` +
          // Cleared before the slow path: it may lock, and a LDREX may be waiting for this word.
          `? (a_xi[${fs}]++, a_c.unlockedStores++, true) : (${withdraw}, false))`;
      },
      // Atomics.store after the store(s): whoever waits for the word to clear (a LDREX on the frame) then sees them.
      withdraw,
      runs: true,
    },
  };
}
