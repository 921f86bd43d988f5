// What the cpu loop runs. A TranslationBlock is the translation of one guest
// pc in one instruction set state (QEMU's TB): cold, it runs in the
// interpreter (backend/interp-tb.ts); once hot, it is an entry of a compiled
// Region, one JavaScript function for several TBs. Both are "exec units":
// they return an exit code, and a direct exit through slot k follows
// links[k] (chaining) while the target is valid.

import type { RegionFunction } from '../backend/compile-tb.js';
import type { InterpTb } from '../backend/interp-tb.js';

export type ExecUnit = TranslationBlock | Region;

export class TranslationBlock {
  /**
   * Linked successors for the goto_tb slots 0 and 1 (QEMU's jmp_dest): the
   * TBs those jumps were seen to reach, which is also how regions learn the
   * TB's successors (with their instruction set state).
   */
  readonly links: (TranslationBlock | null)[] = [null, null];
  /** Cleared when invalidated; a chained jump checks it before following a link. */
  valid = true;
  /** Interpreted executions (the hotness counter). */
  execs = 0;
  /**
   * `execs` when the TB last became a block of a compiled region that is not
   * entered there: the runs before it were the region's heat, so only later
   * interpreted runs (control reaching it from outside the region, or after
   * a poll) count towards heading a region of its own.
   */
  heatBase = 0;
  /** TBs its indirect jump was seen to reach while interpreted (a few): a region jumps there inside. */
  readonly indirectTargets: TranslationBlock[] = [];
  /** The compiled region this TB is an entry of, if any. */
  region: Region | null = null;
  /** This TB's block index in `region`. */
  regionEntry = 0;
  /** A region of this TB alone, when it cannot be interpreted (too many temps for the frame). */
  solo: Region | null = null;
  /** Scheduling points in this TB (sched/sched-events.ts bits): memory access, atomic, syscall. */
  schedEvents = 0;

  constructor(
    readonly pc: number,
    /** The cache key: pc plus the instruction set state (arm/exec-state.ts tbKey). */
    readonly key: number,
    /** Env.EXEC_STATE the TB was translated for. */
    readonly execState: number,
    readonly page: number,
    /** codeVersion[page] when translated (or when revalidated in another address space); a different current value means stale. */
    public version: number,
    /** A second code page the TB reads (a Thumb instruction crossing a page), or -1, and its version. */
    readonly page2: number,
    readonly version2: number,
    readonly nInsns: number,
    /** Address after the last instruction: where a call ending the TB returns to. */
    readonly endPc: number,
    /** The cold tier's code; null if the TB only runs compiled (see `solo`). */
    readonly code: InterpTb | null,
  ) {}
}

/** Where a region's direct exit slot comes from: a goto_tb slot of one of its blocks. */
export interface ExitSite {
  readonly block: number;
  readonly slot: number;
}

export class Region {
  /** Linked successors per direct exit slot. */
  readonly links: (TranslationBlock | null)[];
  valid = true;
  /** Exits to code outside the region (polls aside): when frequent, the region is formed again, larger. */
  exits = 0;
  /** Targets of indirect exits seen (a few): more roots for the larger region. */
  readonly indirectTargets: TranslationBlock[] = [];

  constructor(
    /** What the cpu loop calls: the region's function, or for its first calls a training wrapper (exec/region-training.ts). */
    public fn: RegionFunction,
    /** The TBs compiled into the region; blocks[0] is the head it was formed at. */
    readonly blocks: readonly TranslationBlock[],
    /** Indexes of the blocks the region may be entered at. */
    readonly entries: readonly number[],
    /** Per direct exit slot, the goto_tb it stands for (a block index and its goto_tb slot). */
    readonly exitSites: readonly ExitSite[],
    /** Per direct exit slot: true if it jumps to a block of this region (so leaving through it was a poll). */
    readonly internalExit: readonly boolean[],
    /** 0 for a region formed when its head got hot; n for its n-th regrowth. */
    readonly generation: number,
  ) {
    this.links = exitSites.map(() => null);
  }

  /** Where the region was seen to go when it left: linked exits and indirect targets. */
  takenExits(): TranslationBlock[] {
    const direct = this.links.filter((t, i): t is TranslationBlock => t !== null && !this.internalExit[i]);
    return [...direct, ...this.indirectTargets];
  }

  /** Guest pages the region's code comes from. */
  get pages(): number[] {
    const pages = new Set<number>();
    for (const b of this.blocks) {
      pages.add(b.page);
      if (b.page2 >= 0) pages.add(b.page2);
    }
    return [...pages];
  }
}
