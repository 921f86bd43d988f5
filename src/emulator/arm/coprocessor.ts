// The coprocessor instruction space of both instruction sets: A32 words with
// bits 27..26 = 11 and T32 words with hw1 = 111x 11xx. Linux gives a user
// program CP15's thread registers and barriers (trans-system.ts) and, with
// VFP, CP10/CP11. Everything decodes through transCoprocessor, the single
// dispatch point: a T32 word (hw1 << 16 | hw2) whose top nibble is 0xE is
// the A32 encoding of the same instruction with condition AL; the front ends
// apply the condition (A32 cond field, or the IT block) themselves.

import type { Fields } from './decodetree.js';
import type { ArmContext } from './translate-context.js';
import { transCp15 } from './trans-system.js';
import { decodeVfp } from './vfp/vfp-decode.js';

/**
 * VFP/Advanced SIMD space (coprocessors 10 and 11, and T32 0xEF/0xFF data
 * processing): a VFP decoder takes the A32-layout word, ignoring bits
 * 31..28, and returns false for encodings it does not emulate (UNDEFINED).
 */
export type VfpDecoder = (ctx: ArmContext, word: number) => boolean;

/**
 * VFPv3-D16 (arm/vfp/): the rows ignore bits 31..28, so a T32 word must have
 * the top nibble 0xE (0xF is Advanced SIMD or the unconditional space, both
 * UNDEFINED here); an A32 word's condition is never 1111 on this path.
 */
const vfpDecoder: VfpDecoder = (ctx, word) => (!ctx.thumb || word >>> 28 === 0xe) && decodeVfp(ctx, word) !== null;

/** MRC/MCR fields of an A32-layout coprocessor word, as transCp15 reads them. */
function cp15Fields(word: number): Fields<'L' | 'm' | 'n' | 'o' | 'p' | 't'> {
  return {
    o: (word >>> 21) & 7, L: (word >>> 20) & 1, n: (word >>> 16) & 0xf, t: (word >>> 12) & 0xf,
    p: (word >>> 5) & 7, m: word & 0xf,
  };
}

/** Decodes one coprocessor-space word (A32 layout; T32 words as hw1:hw2). */
export function transCoprocessor(ctx: ArmContext, word: number): boolean {
  const coproc = (word >>> 8) & 0xf;
  const isMrcMcr = ((word >>> 24) & 0xf) === 0xe && (word & 0x10) !== 0;
  if (coproc === 15) return isMrcMcr && transCp15(ctx, cp15Fields(word));
  // A T32 word with top nibble 0xF is the Advanced SIMD data-processing space.
  if (coproc === 10 || coproc === 11 || (ctx.thumb && word >>> 28 === 0xf)) return vfpDecoder(ctx, word);
  return false;
}

/** Decoder row handler for the whole coprocessor space (the word is ctx.insn). */
export function transCoprocessorRow(ctx: ArmContext): boolean {
  return transCoprocessor(ctx, ctx.insn);
}
