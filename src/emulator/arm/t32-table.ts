// The 32-bit Thumb decode table (ARM ARM DDI 0406C, A6.3), one row per
// encoding. A word is hw1 << 16 | hw2, so pictures read as the ARM ARM
// draws them, first halfword first. Rows reuse the A32 handlers where the
// operation and its field letters agree; t32-trans-* map the rest.

import { Decoder, rowChecker, type DecoderIndex, type PatternRow } from './decodetree.js';
import { transCoprocessorRow } from './coprocessor.js';
import type { ThumbContext } from './t32-context.js';
import * as tb from './t32-trans-branch.js';
import * as tdp from './t32-trans-dp.js';
import * as tm from './t32-trans-mem.js';
import * as br from './trans-branch.js';
import * as misc from './trans-misc.js';
import * as mul from './trans-multiply.js';
import { transUsad8 } from './trans-parallel.js';
import * as sync from './trans-synchronization.js';

const row = rowChecker<ThumbContext>();

const rows: PatternRow<ThumbContext>[] = [
  // ---- A6.3.5 load/store multiple ----
  row({ name: 'ldm', bits: '1110 100p u0wL nnnn rrrr rrrr rrrr rrrr', trans: tm.transT32LdmStm }),
  // ---- A6.3.6 load/store dual, exclusive, table branch ----
  row({ name: 'strex', bits: '1110 1000 0100 nnnn tttt dddd iiii iiii', trans: tm.transT32Strex }),
  row({ name: 'ldrex', bits: '1110 1000 0101 nnnn tttt 1111 iiii iiii', trans: tm.transT32Ldrex }),
  row({ name: 'strex', bits: '1110 1000 1100 nnnn tttt TTTT 01oo dddd', trans: tm.transT32StrexSized }),
  row({ name: 'tbb', bits: '1110 1000 1101 nnnn 1111 0000 000h mmmm', trans: tm.transT32TableBranch }),
  row({ name: 'ldrex', bits: '1110 1000 1101 nnnn tttt TTTT 01oo 1111', trans: tm.transT32LdrexSized }),
  row({ name: 'ldrd', bits: '1110 100p u1wL nnnn tttt TTTT iiii iiii', trans: tm.transT32LdStDual }),
  // ---- A6.3.11 data processing (shifted register) ----
  row({ name: 'pkh', bits: '1110 1010 1100 nnnn 0iii dddd iit0 mmmm', trans: misc.transPkh }),
  row({ name: 'dp', bits: '1110 101o oooS nnnn 0iii dddd iitt mmmm', trans: tdp.transT32DpShiftedReg }),
  // ---- A6.3.18 coprocessor, VFP and Advanced SIMD: the single dispatch point ----
  row({ name: 'cp', bits: '1110 11-- ---- ---- ---- ---- ---- ----', trans: transCoprocessorRow }),
  row({ name: 'cp', bits: '1111 11-- ---- ---- ---- ---- ---- ----', trans: transCoprocessorRow }),
  // ---- A6.3.4 branches and miscellaneous control (hw2 bit 15 set) ----
  row({ name: 'hint', bits: '1111 0011 1010 1111 1000 0000 hhhh hhhh', trans: misc.transHint }),
  row({ name: 'clrex', bits: '1111 0011 1011 1111 1000 1111 0010 1111', trans: sync.transClrex }),
  row({ name: 'dsb', bits: '1111 0011 1011 1111 1000 1111 0100 oooo', trans: sync.transDsb }),
  row({ name: 'dmb', bits: '1111 0011 1011 1111 1000 1111 0101 oooo', trans: sync.transDmb }),
  row({ name: 'isb', bits: '1111 0011 1011 1111 1000 1111 0110 oooo', trans: sync.transIsb }),
  row({ name: 'msr', bits: '1111 0011 100R nnnn 1000 mm00 0000 0000', trans: tb.transT32Msr }),
  row({ name: 'bxj', bits: '1111 0011 1100 mmmm 1000 1111 0000 0000', trans: br.transBx }),
  row({ name: 'mrs', bits: '1111 0011 111R 1111 1000 dddd 0000 0000', trans: tb.transT32Mrs }),
  row({ name: 'bcond', bits: '1111 0scc cchh hhhh 10J0 Kkkk kkkk kkkk', trans: tb.transT32BCond }),
  row({ name: 'b', bits: '1111 0shh hhhh hhhh 10J1 Kkkk kkkk kkkk', trans: tb.transT32B }),
  row({ name: 'bl', bits: '1111 0shh hhhh hhhh 11J1 Kkkk kkkk kkkk', trans: tb.transT32Bl }),
  row({ name: 'blx', bits: '1111 0shh hhhh hhhh 11J0 Kkkk kkkk kkkk', trans: tb.transT32BlxImm }),
  // ---- A6.3.1 data processing (modified immediate) ----
  row({ name: 'dp', bits: '1111 0i0o oooS nnnn 0iii dddd iiii iiii', trans: tdp.transT32DpImm }),
  // ---- A6.3.3 data processing (plain binary immediate) ----
  row({ name: 'addw', bits: '1111 0i10 0000 nnnn 0iii dddd iiii iiii', trans: tdp.transT32AddSubWide, fixed: { o: 0 } }),
  row({ name: 'subw', bits: '1111 0i10 1010 nnnn 0iii dddd iiii iiii', trans: tdp.transT32AddSubWide, fixed: { o: 1 } }),
  row({ name: 'movw', bits: '1111 0i10 0100 jjjj 0iii dddd iiii iiii', trans: tdp.transT32MovWide, fixed: { o: 0 } }),
  row({ name: 'movt', bits: '1111 0i10 1100 jjjj 0iii dddd iiii iiii', trans: tdp.transT32MovWide, fixed: { o: 1 } }),
  row({ name: 'ssat', bits: '1111 0011 00h0 nnnn 0sss dddd ss0i iiii', trans: tdp.transT32Sat, fixed: { u: 0 } }),
  row({ name: 'sbfx', bits: '1111 0011 0100 nnnn 0lll dddd ll0w wwww', trans: (c, f) => misc.transBitfieldExtract(c, f, true) }),
  row({ name: 'bfi', bits: '1111 0011 0110 nnnn 0lll dddd ll0w wwww', trans: misc.transBitfieldInsert }),
  row({ name: 'usat', bits: '1111 0011 10h0 nnnn 0sss dddd ss0i iiii', trans: tdp.transT32Sat, fixed: { u: 1 } }),
  row({ name: 'ubfx', bits: '1111 0011 1100 nnnn 0lll dddd ll0w wwww', trans: (c, f) => misc.transBitfieldExtract(c, f, false) }),
  // ---- A6.3.7-10 load/store single data item and memory hints ----
  row({ name: 'ldr', bits: '1111 100S uzz1 1111 tttt iiii iiii iiii', trans: tm.transT32LdrLiteral }),
  row({ name: 'ldr', bits: '1111 100S 1zzL nnnn tttt iiii iiii iiii', trans: tm.transT32LdStImm12 }),
  row({ name: 'ldr', bits: '1111 100S 0zzL nnnn tttt 1puw iiii iiii', trans: tm.transT32LdStImm8 }),
  row({ name: 'ldr', bits: '1111 100S 0zzL nnnn tttt 0000 00ii mmmm', trans: tm.transT32LdStReg }),
  // ---- A6.3.12 data processing (register) ----
  row({ name: 'shift', bits: '1111 1010 0ttS nnnn 1111 dddd 0000 mmmm', trans: tdp.transT32ShiftReg }),
  row({ name: 'xt', bits: '1111 1010 0ooo nnnn 1111 dddd 10rr mmmm', trans: tdp.transT32Extend }),
  row({ name: 'parallel', bits: '1111 1010 1ooo nnnn 1111 dddd 0ppp mmmm', trans: tdp.transT32Parallel }),
  row({ name: 'qadd', bits: '1111 1010 1000 nnnn 1111 dddd 10pp mmmm', trans: tdp.transT32Qadd }),
  row({ name: 'rev', bits: '1111 1010 1001 xxxx 1111 dddd 1000 mmmm', trans: misc.transRev }),
  row({ name: 'rev16', bits: '1111 1010 1001 xxxx 1111 dddd 1001 mmmm', trans: misc.transRev16 }),
  row({ name: 'rbit', bits: '1111 1010 1001 xxxx 1111 dddd 1010 mmmm', trans: misc.transRbit }),
  row({ name: 'revsh', bits: '1111 1010 1001 xxxx 1111 dddd 1011 mmmm', trans: misc.transRevsh }),
  row({ name: 'sel', bits: '1111 1010 1010 nnnn 1111 dddd 1000 mmmm', trans: misc.transSel }),
  row({ name: 'clz', bits: '1111 1010 1011 xxxx 1111 dddd 1000 mmmm', trans: misc.transClz }),
  // ---- A6.3.16 multiply, multiply accumulate, absolute difference ----
  row({ name: 'mla', bits: '1111 1011 0000 nnnn aaaa dddd 000o mmmm', trans: tdp.transT32Mul }),
  row({ name: 'smla', bits: '1111 1011 0001 nnnn aaaa dddd 00xy mmmm', trans: tdp.transT32SmulHalf }),
  row({ name: 'smlad', bits: '1111 1011 0010 nnnn aaaa dddd 000X mmmm', trans: mul.transSmlad, fixed: { o: 0 } }),
  row({ name: 'smlaw', bits: '1111 1011 0011 nnnn aaaa dddd 000y mmmm', trans: tdp.transT32SmulWord }),
  row({ name: 'smlsd', bits: '1111 1011 0100 nnnn aaaa dddd 000X mmmm', trans: mul.transSmlad, fixed: { o: 1 } }),
  row({ name: 'smmla', bits: '1111 1011 0101 nnnn aaaa dddd 000R mmmm', trans: mul.transSmmul, fixed: { o: 0 } }),
  row({ name: 'smmls', bits: '1111 1011 0110 nnnn aaaa dddd 000R mmmm', trans: mul.transSmmul, fixed: { o: 3 } }),
  row({ name: 'usad8', bits: '1111 1011 0111 nnnn aaaa dddd 0000 mmmm', trans: transUsad8 }),
  // ---- A6.3.17 long multiply, long multiply accumulate, divide ----
  row({ name: 'mull', bits: '1111 1011 1ooo nnnn llll hhhh pppp mmmm', trans: tdp.transT32LongMultiply }),
];
// UDF.W (1111 0111 1111 .... 1010 ...) and every other unallocated word match no row: UNDEFINED.

/** Index on hw1 bits 15..4: the op1/op2 fields every A6.3 group is chosen by. */
const T32_INDEX: DecoderIndex = { bits: 12, of: (w) => w >>> 20 };

export const T32_DECODER = new Decoder<ThumbContext>(rows, T32_INDEX);
