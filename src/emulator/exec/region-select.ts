// Which TBs a hot region is made of. From the head (a TB that reached the
// hot threshold), follow the direct jumps seen taken (the TBs' chained links,
// calls included) and the address after each TB (where a call returns, where
// a jump table's next entry is) to TBs that are valid and warm: run at least
// `minExecs` times in the interpreter or already part of a compiled region.
// Indirect jumps whose target is one of the blocks stay in the region (a
// return to the caller), others leave it.

import type { TranslationBlock } from './translation-block.js';

export interface RegionShape {
  /** Blocks at most (a bound on compile time and function size). */
  readonly maxBlocks: number;
  /** Guest instructions at most. */
  readonly maxInsns: number;
  /** Interpreted executions a non-head TB needs to be included. */
  readonly minExecs: number;
}

/**
 * The blocks of a region headed by `head`. `afterTb` finds the TB at a TB's
 * end address in the same instruction set state, if translated. `roots` are
 * more places the region's code was seen to go to (a regrown region's exits);
 * they are candidates like the successors of the head.
 */
export function selectRegionBlocks(
  head: TranslationBlock, afterTb: (tb: TranslationBlock) => TranslationBlock | undefined, shape: RegionShape,
  roots: readonly TranslationBlock[] = [],
): TranslationBlock[] {
  const blocks = [head];
  const seen = new Set<TranslationBlock>([head]);
  let insns = head.nInsns;
  // Breadth first, so the blocks closest to the head come first when the bound cuts.
  for (let i = 0; i < blocks.length && blocks.length < shape.maxBlocks; i++) {
    const from = blocks[i]!;
    const next = [...from.links, afterTb(from), ...(i === 0 ? roots : [])];
    for (const tb of next) {
      if (!tb || seen.has(tb)) continue;
      seen.add(tb);
      if (!tb.valid || (tb.code === null && tb.solo === null)) continue;
      if (tb.execs < shape.minExecs && tb.region === null) continue;
      if (insns + tb.nInsns > shape.maxInsns || blocks.length >= shape.maxBlocks) continue;
      blocks.push(tb);
      insns += tb.nInsns;
    }
  }
  return blocks;
}
