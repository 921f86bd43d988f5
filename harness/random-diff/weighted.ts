// Weighted random choice among a generator's instruction families.

import type { SeededRandom } from '../seeded-random.js';

export type Weighted<T> = readonly [weight: number, value: T];

export function pickWeighted<T>(rng: SeededRandom, table: readonly Weighted<T>[]): T {
  const total = table.reduce((n, [w]) => n + w, 0);
  let x = rng.below(total);
  for (const [w, v] of table) {
    if (x < w) return v;
    x -= w;
  }
  throw new Error('pickWeighted: empty table');
}
