// aie's unlocked store written out in translated code (the lowering's
// InlineFlaggedStore): a plain store to a page flagged TLB_EXCL announces its
// frame in the vCPU's hazard word, reads the frame's reservation count, and
// if it is 0 stores; otherwise it clears the hazard and takes the Mmu's slow
// path. The hazard stays up across the block's later stores to the same
// frame (runs: backend/store-announcement.ts), which store with no check, and
// is withdrawn before anything that may block or leave the block. The same
// steps as StoreChecks.store (store-checks.ts) without the call; the protocol
// and why one check covers a run are in frame-reservations.ts and
// docs/strategy-aie.md ("Unlocked stores", "Runs of stores under one hazard").
// A region's training calls read a count of 1 for every frame, so that the
// check's fallback has run before V8 optimises the region.

import { lit } from '../emulator/backend/js-names.js';
import type { InlineFlaggedStore } from '../emulator/atomics/strategy.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { LOCK_SLEEPER } from './entry-lock.js';
import { chunkRunKey } from './inline-version.js';

/**
 * The inline check and clearing; uses the bindings a_w (the shared words), a_wr (the frames' reservation counts,
 * a view of a_w's reserved region: AieShared.reserved) and a_c (the counters).
 */
export function aieInlineUnlockedStore(hazardWord: number): InlineFlaggedStore {
  const hz = lit(hazardWord);
  return {
    // Atomics.store of the hazard before Atomics.load of the count: the Dekker pair with a LDREX's count and hazard scan.
    // The check is counted before the load and uncounted when it fails: the success arm has no operation of its own,
    // since a run's later store first makes its own check (and succeeds) only after its first store's failed, which
    // may be long after V8 optimised the region; training calls (a_wr all reserved) run the failing arm.
    begin: (off) => `(Atomics.store(a_w, ${hz}, (${off} >>> ${PAGE_BITS}) + 1), a_c.unlockedStores++, ` +
      `Atomics.load(a_wr, ${off} >>> ${PAGE_BITS}) === 0 || ` +
      // Cleared before the slow path: it may lock, and a LDREX may be waiting for this word.
      `(a_c.unlockedStores--, Atomics.store(a_w, ${hz}, 0), false))`,
    // Atomics.store after the run's stores: a LDREX that waits for the word to clear then sees them all.
    withdraw: `Atomics.store(a_w, ${hz}, 0)`,
    // One check covers the block's run of stores to the frame: a LDREX counting after it waits for the withdrawal.
    runs: true,
    // The run goes on over the region's forward edges (from the STREX's block into the critical section's), and a
    // STREX's count add is the check of the run it starts (inline-exclusives.ts; docs/strategy-aie.md, "A run
    // started by the STREX").
    acrossForwardEdges: true,
    strexStartsRuns: true,
  };
}

/**
 * a_wr's value for a region's training calls (AtomicLowering.contendedBindings): every frame with a
 * reservation, so that every check takes its fallback (the hazard cleared, the Mmu's slow path) before V8 optimises.
 */
export function everyFrameReserved(frames: number): Int32Array {
  return new Int32Array(frames).fill(1);
}

/**
 * The inline check under the version monitor (version-monitor.ts; docs/strategy-aie.md, "The version monitor").
 * A plain store to a chunk with an entry must advance the chunk's version under the entry's lock, so only a store
 * to a chunk without one runs inline: it announces its frame in the hazard word, then reads the chunk's slot in
 * the frame's leaf of the radix tree (Atomics.load: the Dekker pair with the settling of a new entry, which waits
 * for hazards naming its frame), and stores if the slot is empty. a_wl (AieShared.reserved, which under the
 * version monitor holds each prepared frame's leaf node instead of a count) names the leaf (0: none recorded, or
 * a region's training calls: the slow path). A run is one chunk (runKey): a store to another chunk checks again.
 * A run a STREX started holds the chunk's entry lock (a_h, inline-version.ts): its withdrawal releases the lock,
 * storing the version advanced, and a check for another chunk releases it first.
 */
export function aieVersionStores(hazardWord: number, granuleShift: number): InlineFlaggedStore {
  const hz = lit(hazardWord);
  const leafSlots = (1 << (PAGE_BITS - granuleShift)) - 1;
  // The held lock's release: Atomics.exchange with the advanced version; a sleeper announced is woken (a_wk with 0:
  // none, a call made on every release).
  const releaseHeld = `(a_wk((Atomics.exchange(a_w, a_h[0], a_h[1]) & ${LOCK_SLEEPER}) !== 0 ? a_h[0] : 0), a_h[0] = 0)`;
  return {
    begin: (off) => `((a_h[0] !== 0 && ${releaseHeld}), Atomics.store(a_w, ${hz}, (${off} >>> ${PAGE_BITS}) + 1), a_c.unlockedStores++, ` +
      `(a_wl[${off} >>> ${PAGE_BITS}] !== 0 && Atomics.load(a_w, a_wl[${off} >>> ${PAGE_BITS}] + 1 + ((${off} >>> ${granuleShift}) & ${leafSlots})) === 0) || ` +
      `(a_c.unlockedStores--, Atomics.store(a_w, ${hz}, 0), false))`,
    withdraw: `(a_h[0] !== 0 ? ${releaseHeld} : Atomics.store(a_w, ${hz}, 0))`,
    runs: true,
    acrossForwardEdges: true,
    strexStartsRuns: true,
    runKey: chunkRunKey(granuleShift),
  };
}
