// A small seeded PRNG (xorshift32) so that every worker's sequence of
// operations is reproducible from its seed; the interleaving is not.

export class SeededRandom {
  private s: number;

  constructor(seed: number) {
    this.s = (seed | 0) || 0x9e3779b9;
  }

  /** A uint32. */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x;
    return x >>> 0;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return this.next() % n;
  }

  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** A uint64 below 2^bits (bits <= 64). */
  bigBelow(bits: number): bigint {
    const v = (BigInt(this.next()) << 32n) | BigInt(this.next());
    return v & ((1n << BigInt(bits)) - 1n);
  }
}
