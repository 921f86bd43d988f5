// The LDREX side of every strategy's inline flagged-store path (the
// lowering's InlineFlaggedStore): a store that runs inline has first
// published a word naming its frame in shared memory, which the translated
// code clears after this store or (runs) after the block's run of stores
// (backend/store-announcement.ts). A LDREX on the frame, having counted its
// reservation first, waits for those words (awaitAnnouncedStores) before it
// loads.

import { WINDOW_WAIT_LIMIT_MS, awaitWindow } from './window-wait.js';

/**
 * The LDREX side of the pair: after counting its reservation in a frame,
 * waits until no other slot's announcement word (words[base + s * stride]
 * for slots below `slots`) names the frame (`want` = frame + 1), so its load
 * comes after every unlocked store that missed the count. Returns whether it
 * waited; throws when a word stays set for `limitMs` (window-wait.ts).
 */
export function awaitAnnouncedStores(
  words: Int32Array, base: number, stride: number, slots: number, self: number, want: number,
  limitMs: number = WINDOW_WAIT_LIMIT_MS,
): boolean {
  let waited = false;
  for (let s = 0; s < slots; s++) {
    if (s === self) continue;
    const w = base + s * stride;
    if (Atomics.load(words, w) !== want) continue;
    // The storer never blocks inside its window; the wait sleeps briefly if it was descheduled.
    waited = true;
    awaitWindow(words, w, () => Atomics.load(words, w) === want, () => want,
      () => `vCPU slot ${s}'s store announcement on guest frame 0x${(want - 1).toString(16)}`, limitMs);
  }
  return waited;
}
