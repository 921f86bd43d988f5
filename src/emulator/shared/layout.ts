// Layout of the shared kernel SharedArrayBuffer: named regions of 32-bit
// words, each 64-byte aligned (no false sharing between regions), checked at
// start-up for overlap. Every worker builds the same layout from the same sizes.

export interface RegionSpec {
  readonly name: string;
  /** Size in 32-bit words. */
  readonly words: number;
}

export interface Region {
  readonly name: string;
  /** Offset in words from the start of the buffer. */
  readonly offset: number;
  readonly words: number;
}

const ALIGN_WORDS = 16; // 64 bytes, one host cache line

export class SharedLayout {
  readonly regions: ReadonlyMap<string, Region>;
  readonly totalWords: number;

  constructor(specs: readonly RegionSpec[]) {
    const regions = new Map<string, Region>();
    let offset = 0;
    for (const s of specs) {
      if (regions.has(s.name)) throw new Error(`layout: duplicate region ${s.name}`);
      offset = Math.ceil(offset / ALIGN_WORDS) * ALIGN_WORDS;
      regions.set(s.name, { name: s.name, offset, words: s.words });
      offset += s.words;
    }
    this.regions = regions;
    this.totalWords = Math.ceil(offset / ALIGN_WORDS) * ALIGN_WORDS;
    this.selfCheck();
  }

  region(name: string): Region {
    const r = this.regions.get(name);
    if (!r) throw new Error(`layout: no region ${name}`);
    return r;
  }

  view(buffer: SharedArrayBuffer, name: string): Int32Array {
    const r = this.region(name);
    return new Int32Array(buffer, r.offset * 4, r.words);
  }

  /** Start-up check: regions are aligned, inside the buffer and pairwise disjoint. */
  private selfCheck(): void {
    const list = [...this.regions.values()].sort((a, b) => a.offset - b.offset);
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      if (r.offset % ALIGN_WORDS !== 0) throw new Error(`layout: ${r.name} misaligned`);
      if (r.offset + r.words > this.totalWords) throw new Error(`layout: ${r.name} overflows`);
      const next = list[i + 1];
      if (next && r.offset + r.words > next.offset) throw new Error(`layout: ${r.name} overlaps ${next.name}`);
    }
  }
}
