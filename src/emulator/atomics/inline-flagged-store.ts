// The shape every strategy's inline flagged-store path takes (the lowering's
// InlineFlaggedStore): translated code calls one small binding, a_xs_begin,
// with the store's host offset; it returns true when the strategy lets the
// store run without its slow path, having published whatever the store
// needs (a word naming the store's frame in shared memory); the translated
// code then stores and clears that word itself, after this store or (runs)
// after the block's run of stores (backend/store-announcement.ts). False means nothing was
// left published: the store takes the SoftMMU slow path. A LDREX on the
// frame, having counted its reservation first, waits for those words
// (awaitAnnouncedStores) before it loads.

import type { InlineFlaggedStore } from './strategy.js';
import { WINDOW_WAIT_LIMIT_MS, awaitWindow } from './window-wait.js';

/** The bindings (a_xs_begin, a_xs) and lowering: `begin`, and withdrawing is words[word] = 0. */
export function inlineFlaggedStore(
  begin: (off: number) => boolean, words: Int32Array, word: number, runs: boolean,
): { bindings: Record<string, unknown>; lowering: InlineFlaggedStore } {
  return {
    bindings: { a_xs_begin: begin, a_xs: words },
    lowering: {
      begin: (off) => `a_xs_begin(${off})`,
      // Atomics.store after the store(s): whoever waits for the word to clear (a LDREX on the frame) then sees them.
      withdraw: `Atomics.store(a_xs, ${word}, 0)`,
      runs,
    },
  };
}

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
