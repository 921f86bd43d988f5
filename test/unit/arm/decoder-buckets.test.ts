// The decoder's index (arm/decodetree.ts) fills each key's candidate rows at
// the key's first word. Whatever order words arrive in, candidates(word)
// must be exactly the rows whose fixed bits match it, in table order, minus
// conditional rows for cond=0b1111: checked against a scan of every row for
// random words and for a word of every index key, under A32, T32 and T16.

import t from 'tap';
import { A32_DECODER } from '../../../src/emulator/arm/a32-table.js';
import { T32_DECODER } from '../../../src/emulator/arm/t32-table.js';
import { T16_DECODER } from '../../../src/emulator/arm/t16-table.js';
import type { Decoder } from '../../../src/emulator/arm/decodetree.js';

function scan<C>(d: Decoder<C>, word: number): string[] {
  const uncond = word >>> 28 === 0xf;
  return d.patterns.filter((p) => ((word & p.mask) >>> 0) === p.value && !(p.conditional && uncond)).map((p) => p.name);
}

/** A small deterministic generator (xorshift32). */
function words(seed: number, n: number): number[] {
  let x = seed | 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out.push(x >>> 0);
  }
  return out;
}

const DECODERS: readonly [string, Decoder<never>, number][] = [
  ['A32', A32_DECODER as Decoder<never>, 0xffffffff],
  ['T32', T32_DECODER as Decoder<never>, 0xffffffff],
  ['T16', T16_DECODER as Decoder<never>, 0xffff],
];

for (const [name, d, width] of DECODERS) {
  t.test(`${name}: candidates are the rows a full scan finds`, async (t) => {
    let bad = 0;
    const sample = words(0x9e3779b9, 20000).map((w) => (w & width) >>> 0);
    // Words whose fixed bits follow each row's pattern too, so that every row is a candidate somewhere.
    for (const p of d.patterns) for (const w of words(p.value ^ p.mask, 4)) sample.push((((w & ~p.mask) | p.value) & width) >>> 0);
    for (const w of sample) {
      const got = d.candidates(w).map((p) => p.name);
      const want = scan(d, w);
      if (got.join() !== want.join() && bad++ < 3) t.same(got, want, `word 0x${w.toString(16)}`);
    }
    t.equal(bad, 0, `${sample.length} words, every candidate list as the scan's`);
  });
}
