// Spare page-table buffers for new address spaces (fork, execve).
//
// An address space's control buffer (page table, code versions, code
// extents, TLB users) is 16 MiB: four words per guest page. Made afresh for
// every process it costs milliseconds: once Node has freed a few, glibc's
// malloc raises its mmap threshold above 16 MiB and serves the next one from
// its heap, clearing all 16 MiB (measured: 6-9 ms per new space against
// 0.05 ms with MALLOC_MMAP_THRESHOLD_ fixed), and a dead one is only freed
// by a garbage collection. So a run makes SPARE_SPACES of them at its start
// (untouched memory costs nothing until used); they travel with every
// GuestMemoryBuffers, so each worker holds the same ones. A space released
// whole (its process ended, or execve replaced it) hands its buffer back,
// all pages unmapped again; a new space takes a free one, or allocates when
// none is left.
//
// A reused buffer keeps the old space's code versions and code extents.
// Both are safe to start from: a version only has to change when the page's
// code is invalidated (a vCPU entering the new space compares bytes, never
// versions of another space, exec/code-snapshots.ts), and an extent left
// over only makes a write to that page invalidate more than it must. TLB
// users left on unmapped pages only widen a later shootdown.

/** How many spare control buffers a run makes (at most 31: one bit each in one word). */
export const SPARE_SPACES = 16;

export interface SpareSpaceBuffers {
  /** The spare control buffers, the same ones in every worker. */
  readonly buffers: readonly SharedArrayBuffer[];
  /** One word: bit i set while buffers[i] is free. */
  readonly free: SharedArrayBuffer;
}

export class SpareSpaces {
  private readonly free: Int32Array;

  constructor(private readonly spares: SpareSpaceBuffers) {
    this.free = new Int32Array(spares.free);
  }

  /** Makes `count` spares (at most SPARE_SPACES); `mark(buffer, n)` records in each that it is spare number n (n >= 1). */
  static create(count: number, bytes: number, mark: (buffer: SharedArrayBuffer, n: number) => void): SpareSpaceBuffers {
    if (!Number.isInteger(count) || count < 0 || count > SPARE_SPACES) throw new Error(`spare spaces: ${count} is not 0..${SPARE_SPACES}`);
    const buffers: SharedArrayBuffer[] = [];
    for (let i = 0; i < count; i++) {
      const b = new SharedArrayBuffer(bytes);
      mark(b, i + 1);
      buffers.push(b);
    }
    const free = new SharedArrayBuffer(4);
    new Int32Array(free)[0] = (1 << count) - 1;
    return { buffers, free };
  }

  /** A free spare, now taken, or null when every one is in use. */
  take(): SharedArrayBuffer | null {
    for (;;) {
      const bits = Atomics.load(this.free, 0);
      if (bits === 0) return null;
      const i = 31 - Math.clz32(bits & -bits);
      // compareExchange: two workers creating spaces at once cannot take the same spare.
      if (Atomics.compareExchange(this.free, 0, bits, bits & ~(1 << i)) === bits) return this.spares.buffers[i]!;
    }
  }

  /** Hands spare number n (as marked) back; its space must be wholly unmapped and unused from now on. */
  give(n: number): void {
    // Atomics.or: a give racing with a take or another give loses neither bit.
    Atomics.or(this.free, 0, 1 << (n - 1));
  }
}
