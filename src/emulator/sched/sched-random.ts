// The scheduler's random numbers: sfc32 (Chris Doty-Humphrey's small fast
// counting generator), whose state is four 32-bit words kept in the shared
// board, so that whichever vCPU holds the baton draws the next number of one
// sequence. Integer arithmetic only: the same seed gives the same numbers on
// every host.

/** Seeds the four state words at `at` from a 32-bit seed (and a stream number). */
export function seedRandom(words: Int32Array, at: number, seed: number, stream = 0): void {
  words[at] = 0x9e3779b9 ^ stream;
  words[at + 1] = seed | 0;
  words[at + 2] = 0x6a09e667 ^ (seed >>> 16);
  words[at + 3] = 1;
  for (let i = 0; i < 15; i++) nextRandom(words, at);
}

/** The next 32-bit unsigned number. */
export function nextRandom(words: Int32Array, at: number): number {
  const a = words[at]!;
  const b = words[at + 1]!;
  const c = words[at + 2]!;
  const d = words[at + 3]!;
  const t = (((a + b) | 0) + d) | 0;
  words[at + 3] = (d + 1) | 0;
  words[at] = b ^ (b >>> 9);
  words[at + 1] = (c + (c << 3)) | 0;
  words[at + 2] = ((c << 21) | (c >>> 11)) + t | 0;
  return t >>> 0;
}

/** A uniform integer in [0, n) (n <= 2^32; the bias of the modulo is below 2^-20 for n < 2^12). */
export function randomBelow(words: Int32Array, at: number, n: number): number {
  // Two draws make 52 bits: uniform enough for any n a schedule uses.
  const hi = nextRandom(words, at) >>> 12;
  const lo = nextRandom(words, at);
  return Math.floor(((hi * 2 ** 32 + lo) / 2 ** 52) * n);
}
