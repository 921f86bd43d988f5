// The VFPv3-D16 decode table, shared by the A32 and T32 front ends through
// the coprocessor dispatch point (arm/coprocessor.ts), which hands over the
// A32-layout word (T32: hw1 << 16 | hw2, top nibble 0xE). Rows leave the
// condition field (bits 31:28) as don't-care: the front ends have applied
// it (A32 cond field, T32 IT block). Anything in coprocessor 10/11 that no
// row accepts (NEON, VFPv4 fused ops, half precision, d16-d31) is
// UNDEFINED. Sections follow the ARM ARM (DDI 0406C) A7.5, A7.6, A7.8, A7.9.

import { Decoder, type PatternRow } from '../decodetree.js';
import * as dp from './trans-vfp-data.js';
import * as ls from './trans-vfp-load-store.js';
import * as xfer from './trans-vfp-transfer.js';
import type { VfpContext } from './vfp-context.js';

type Row = PatternRow<VfpContext>;

export const VFP_ROWS: readonly Row[] = [
  // ---- A7.5 floating-point data-processing ----
  { name: 'vmla', bits: '---- 1110 0x00 nnnn dddd 101s yoz0 mmmm', trans: dp.transVmla },
  { name: 'vnmla', bits: '---- 1110 0x01 nnnn dddd 101s yoz0 mmmm', trans: dp.transVnmla },
  { name: 'vmul', bits: '---- 1110 0x10 nnnn dddd 101s yoz0 mmmm', trans: dp.transVmul },
  { name: 'vadd', bits: '---- 1110 0x11 nnnn dddd 101s yoz0 mmmm', trans: dp.transVadd },
  { name: 'vdiv', bits: '---- 1110 1x00 nnnn dddd 101s y0z0 mmmm', trans: dp.transVdiv },
  { name: 'vmov_imm', bits: '---- 1110 1x11 iiii dddd 101s 0000 iiii', trans: dp.transVmovImm },
  { name: 'vmov_reg', bits: '---- 1110 1x11 0000 dddd 101s o1z0 mmmm', trans: dp.transVmovAbs },
  { name: 'vneg', bits: '---- 1110 1x11 0001 dddd 101s 01z0 mmmm', trans: dp.transVneg },
  { name: 'vsqrt', bits: '---- 1110 1x11 0001 dddd 101s 11z0 mmmm', trans: dp.transVsqrt },
  { name: 'vcmp', bits: '---- 1110 1x11 0100 dddd 101s e1z0 mmmm', trans: (c, f) => dp.transVcmp(c, f, false) },
  { name: 'vcmp', bits: '---- 1110 1x11 0101 dddd 101s e100 0000', trans: (c, f) => dp.transVcmp(c, f, true) },
  { name: 'vcvt_ff', bits: '---- 1110 1x11 0111 dddd 101s 11z0 mmmm', trans: dp.transVcvtPrecision },
  { name: 'vcvt_if', bits: '---- 1110 1x11 1000 dddd 101s o1z0 mmmm', trans: dp.transVcvtFromInt },
  { name: 'vcvt_fix', bits: '---- 1110 1x11 1t1u dddd 101s w1j0 iiii', trans: dp.transVcvtFixed },
  { name: 'vcvt_fi', bits: '---- 1110 1x11 110u dddd 101s o1z0 mmmm', trans: dp.transVcvtToInt },

  // ---- A7.8 8, 16 and 32-bit transfers between core and extension registers ----
  { name: 'vmov_s', bits: '---- 1110 000L nnnn tttt 1010 y001 0000', trans: xfer.transVmovSingle },
  { name: 'vmsr', bits: '---- 1110 1110 rrrr tttt 1010 0001 0000', trans: xfer.transVmsr },
  { name: 'vmrs', bits: '---- 1110 1111 rrrr tttt 1010 0001 0000', trans: xfer.transVmrs },
  { name: 'vmov_scalar', bits: '---- 1110 00hL nnnn tttt 1011 y001 0000', trans: xfer.transVmovScalar },

  // ---- A7.9 64-bit transfers between core and extension registers ----
  { name: 'vmov_ss', bits: '---- 1100 010L TTTT tttt 1010 00z1 mmmm', trans: xfer.transVmovTwoSingles },
  { name: 'vmov_d', bits: '---- 1100 010L TTTT tttt 1011 00z1 mmmm', trans: xfer.transVmovDouble },

  // ---- A7.6 extension register load/store ----
  { name: 'vldr', bits: '---- 1101 ux0L nnnn dddd 101s iiii iiii', trans: ls.transVldrVstr },
  { name: 'vldm', bits: '---- 110p uxwL nnnn dddd 101s iiii iiii', trans: ls.transVldmVstm },
];

export const VFP_DECODER = new Decoder<VfpContext>(VFP_ROWS);

/**
 * Decodes and translates one VFP instruction for a front end that has
 * already dealt with its condition. Returns the mnemonic, or null when the
 * word is UNDEFINED (then nothing was emitted).
 */
export function decodeVfp(ctx: VfpContext, word: number): string | null {
  const mark = ctx.b.ops.length;
  const row = VFP_DECODER.decode(ctx, word, () => {
    ctx.b.ops.length = mark;
  });
  return row ? row.name : null;
}
