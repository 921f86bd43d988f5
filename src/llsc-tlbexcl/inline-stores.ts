// tlbexcl's inline path for plain stores to marked frames (the lowering's
// InlineFlaggedStore, emulator/atomics/inline-flagged-store.ts). A store
// whose TLB write entry carries TLB_EXCL names its frame in this vCPU's
// `stores` word and checks that the frame holds no range
// (ExclusiveState.beginUnlockedStore); then the translated code stores and
// clears the word itself. The common case - the frame marked, no range on it
// at all, the idle count below the unmark threshold - is written out in the
// translated code (announce, the mark read plainly, the live count, the idle count);
// anything else withdraws the announcement and calls a_xs_begin, which runs
// the whole check (a range of the storer's own is allowed there). When that
// says no (another vCPU's range on the frame, the idle store that unmarks, a
// frame no longer marked behind a stale entry), the store takes the SoftMMU
// slow path to flaggedStore, which locks. So a lock holder's stores to its
// lock's page cost no call and no lock once its STREX has consumed its range.
// The announcement stays up across the block's later stores to the frame,
// which then store with no check (runs: backend/store-announcement.ts); the
// live count read by the run's first store covers them all, because a LDREX
// counted after that read waits for the withdrawal before it loads.

import { inlineFlaggedStore } from '../emulator/atomics/inline-flagged-store.js';
import type { InlineFlaggedStore } from '../emulator/atomics/strategy.js';
import { lit } from '../emulator/backend/js-names.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { MARKED, storesWord, type ExclusiveState } from './exclusive-state.js';
import { frameSlotExpr } from './frame-slots.js';

export interface InlineStoreCounters {
  unlockedStores: number;
}

/** The bindings and the lowering for vCPU `slot` (a_c must be bound to `c`). */
export function inlineUnlockedStores(
  state: ExclusiveState, slot: number, c: InlineStoreCounters,
): { bindings: Record<string, unknown>; lowering: InlineFlaggedStore } {
  const begin = (off: number): boolean => {
    const frame = off >>> PAGE_BITS;
    // An unmarked frame behind a stale TLB_EXCL entry: the slow path drops the entry.
    if (!state.isMarked(frame) || !state.beginUnlockedStore(slot, frame)) return false;
    c.unlockedStores++;
    return true;
  };
  const shape = inlineFlaggedStore(begin, state.stores, storesWord(slot), true);
  const word = lit(storesWord(slot));
  const frame = (off: string): string => `(${off} >>> ${PAGE_BITS})`;
  return {
    bindings: { ...shape.bindings, a_xl: state.live, a_xm: state.marks, a_xi: state.idle },
    lowering: {
      // Atomics.store of the word before Atomics.load of the count: the Dekker pair with a LDREX's count and wait.
      // The mark is a plain read: it only sends a store behind a stale entry to the slow path, which drops the
      // entry; a stale MARKED read leaves the store to the count check, which alone decides (docs/strategy-tlbexcl.md).
      begin: (off) => {
        const fs = frameSlotExpr(frame(off));
        return `(Atomics.store(a_xs, ${word}, ${frame(off)} + 1), ` +
          `(a_xm[${frame(off)}] & ${MARKED}) !== 0 && Atomics.load(a_xl, ${fs}) === 0 && a_xi[${fs}] < ${lit(state.unmarkAfter - 1)} ` +
          `? (a_xi[${fs}]++, a_c.unlockedStores++, true) : (Atomics.store(a_xs, ${word}, 0), ${shape.lowering.begin(off)}))`;
      },
      withdraw: shape.lowering.withdraw,
      runs: true,
    },
  };
}
