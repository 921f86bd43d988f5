// aie's unlocked store written out in translated code (the lowering's
// InlineFlaggedStore): a plain store to a page flagged TLB_EXCL announces its
// frame in the vCPU's hazard word, reads the frame's reservation count, and
// if it is 0 stores and clears the hazard; otherwise it clears the hazard and
// takes the Mmu's slow path. The same steps as StoreChecks.beginUnlocked
// (store-checks.ts) without the call; the protocol and why it is right are in
// frame-reservations.ts and docs/strategy-aie.md ("Unlocked stores").

import { lit } from '../emulator/backend/js-names.js';
import type { InlineFlaggedStore } from '../emulator/atomics/strategy.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';

/** The inline check and clearing; uses the bindings a_w (the shared words) and a_c (the counters). */
export function aieInlineUnlockedStore(hazardWord: number, reservedWord: number): InlineFlaggedStore {
  const hz = lit(hazardWord);
  return {
    // Atomics.store of the hazard before Atomics.load of the count: the Dekker pair with a LDREX's count and hazard scan.
    begin: (off) => `(Atomics.store(a_w, ${hz}, (${off} >>> ${PAGE_BITS}) + 1), ` +
      `Atomics.load(a_w, ${lit(reservedWord)} + (${off} >>> ${PAGE_BITS})) === 0 ? (a_c.unlockedStores++, true) : ` +
      // Cleared before the slow path: it may lock, and a LDREX may be waiting for this word.
      `(Atomics.store(a_w, ${hz}, 0), false))`,
    // Atomics.store after the store: a LDREX that waits for the word to clear then sees the store.
    withdraw: `Atomics.store(a_w, ${hz}, 0)`,
    // One check per store until aie's argument covers runs (backend/store-announcement.ts).
    runs: false,
  };
}
