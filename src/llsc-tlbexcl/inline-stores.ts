// tlbexcl's inline path for plain stores to marked frames (the lowering's
// InlineFlaggedStore, emulator/atomics/inline-flagged-store.ts). A store
// whose TLB write entry carries TLB_EXCL names its frame in this vCPU's
// `stores` word and checks that the frame holds no range
// (ExclusiveState.beginUnlockedStore); then the translated code stores and
// clears the word itself. Anything else (another vCPU's range on the frame,
// the idle store that unmarks, a frame no longer marked behind a stale
// entry) returns false and the store takes the SoftMMU slow path to
// flaggedStore, which locks. So a lock holder's stores to its lock's page
// cost no helper chain and no lock once its STREX has consumed its own range.

import { inlineFlaggedStore } from '../emulator/atomics/inline-flagged-store.js';
import type { InlineFlaggedStore } from '../emulator/atomics/strategy.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { storesWord, type ExclusiveState } from './exclusive-state.js';

export interface InlineStoreCounters {
  unlockedStores: number;
}

/** The bindings and the lowering for vCPU `slot`. */
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
  return inlineFlaggedStore(begin, state.stores, storesWord(slot));
}
