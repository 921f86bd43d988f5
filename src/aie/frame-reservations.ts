// The reservations of each host frame, for AIE's unlocked stores. A plain
// store to a flagged page (store checks on) that finds no reservation on its
// frame stores without looking up or locking an entry; this is what makes a
// lock holder's stores beside its lock word cheap once its STREX has emptied
// the set. The protocol is the hazard word's (store-checks.ts, point 3):
//
//   store:  hazard := frame + 1; if reserved[frame] == 0: store; hazard := 0
//   LDREX:  under the entry lock, join the set and reserved[frame] += 1;
//           unlock; wait until no other slot's hazard is frame + 1; load
//
// Both pairs are sequentially consistent Atomics, so either the store reads
// the new count (and takes the entry's lock, emptying the set) or the LDREX
// sees the hazard (or its clearing) and loads after the store. In translated
// code one check covers a block's run of stores to the frame, the hazard
// staying up until the run ends (docs/strategy-aie.md). Every change
// to a set changes its frame's count by the same amount, under the entry's
// lock; the count is only read without one.

import type { AieShared } from './aie-shared.js';
import { Header, HAZARD_STRIDE } from './aie-shared.js';
import { EntryWord, KEY_MASK } from './aie-entry.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { awaitAnnouncedStores } from '../emulator/atomics/inline-flagged-store.js';

export class FrameReservations {
  private readonly words: Int32Array;
  private readonly base: number;
  private readonly keyToFrame: number;

  constructor(private readonly shared: AieShared, private readonly slot: number) {
    this.words = shared.words;
    this.base = shared.reservedWord;
    this.keyToFrame = PAGE_BITS - shared.words[Header.GRANULE_SHIFT]!;
    let limit = Atomics.load(this.words, Header.SLOT_LIMIT);
    // A compare-and-swap loop: two vCPUs attaching at once must both end up below the limit.
    while (limit < slot + 1) {
      const seen = Atomics.compareExchange(this.words, Header.SLOT_LIMIT, limit, slot + 1);
      if (seen === limit) break;
      limit = seen;
    }
  }

  /** The host frame of entry e's chunk. */
  frameOf(e: number): number {
    return (Atomics.load(this.words, e + EntryWord.KEY) & KEY_MASK) >>> this.keyToFrame;
  }

  /** Entry e's set changed by `delta` members (caller holds its lock). */
  changed(e: number, delta: number): void {
    // Sequentially consistent: an unlocked store reads the count without the entry lock.
    if (delta !== 0) Atomics.add(this.words, this.base + this.frameOf(e), delta);
  }

  /** Whether frame f holds no reservation now (the unlocked store's check, after its hazard is set). */
  none(frame: number): boolean {
    // Read after the hazard store: the Dekker pair with a LDREX's count increment and hazard scan.
    return Atomics.load(this.words, this.base + frame) === 0;
  }

  /** After joining a set in `frame`, before the load: waits out every other slot's unlocked store there. Returns whether it waited. */
  awaitStores(frame: number): boolean {
    const slots = Atomics.load(this.words, Header.SLOT_LIMIT);
    return awaitAnnouncedStores(this.words, this.shared.hazardsWord, HAZARD_STRIDE, slots, this.slot, frame + 1);
  }
}
