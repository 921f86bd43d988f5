// The 16-bit Thumb decode table (ARM ARM DDI 0406C, A6.2), one row per
// encoding. Pictures are 16 bits; the halfword sits in the low half of the
// decoded word. Rows reuse the A32 handlers where the operation and its field
// letters agree (`fixed` supplies the fields a 16-bit form implies).

import { Decoder, rowChecker, type DecoderIndex, type PatternRow } from './decodetree.js';
import * as t16 from './t16-trans.js';
import type { ThumbContext } from './t32-context.js';
import * as br from './trans-branch.js';
import * as misc from './trans-misc.js';
import * as sys from './trans-system.js';

const row = rowChecker<ThumbContext>();

const rows: PatternRow<ThumbContext>[] = [
  // ---- A6.2.1 shift (immediate), add, subtract, move, and compare ----
  row({ name: 'addsub', bits: '0001 10om mmnn nddd', trans: t16.transT16AddSubReg }),
  row({ name: 'addsub', bits: '0001 11oi iinn nddd', trans: t16.transT16AddSubImm3 }),
  row({ name: 'shift', bits: '000o oiii iimm mddd', trans: t16.transT16ShiftImm }),
  row({ name: 'imm8', bits: '001o oddd iiii iiii', trans: t16.transT16Imm8 }),
  // ---- A6.2.2 data processing (register) ----
  row({ name: 'dp', bits: '0100 00oo oomm mddd', trans: t16.transT16DataProcessing }),
  // ---- A6.2.3 special data instructions and branch and exchange ----
  row({ name: 'bx', bits: '0100 0111 0mmm m000', trans: br.transBx }),
  row({ name: 'blx', bits: '0100 0111 1mmm m000', trans: br.transBlxReg }),
  row({ name: 'add', bits: '0100 0100 dmmm mddd', trans: t16.transT16HighReg, fixed: { o: 0 } }),
  row({ name: 'cmp', bits: '0100 0101 dmmm mddd', trans: t16.transT16HighReg, fixed: { o: 1 } }),
  row({ name: 'mov', bits: '0100 0110 dmmm mddd', trans: t16.transT16HighReg, fixed: { o: 2 } }),
  // ---- A6.2.4 load/store single data item ----
  row({ name: 'ldr', bits: '0100 1ttt iiii iiii', trans: t16.transT16LdrLiteral }),
  row({ name: 'ldr', bits: '0101 ooom mmnn nttt', trans: t16.transT16LdStReg }),
  row({ name: 'ldr', bits: '0110 Liii iinn nttt', trans: t16.transT16LdStImm, fixed: { z: 2 } }),
  row({ name: 'ldrb', bits: '0111 Liii iinn nttt', trans: t16.transT16LdStImm, fixed: { z: 0 } }),
  row({ name: 'ldrh', bits: '1000 Liii iinn nttt', trans: t16.transT16LdStImm, fixed: { z: 1 } }),
  row({ name: 'ldr', bits: '1001 Lttt iiii iiii', trans: t16.transT16LdStSp }),
  // ---- ADR, ADD (SP plus immediate) ----
  row({ name: 'adr', bits: '1010 Sddd iiii iiii', trans: t16.transT16AddPcSp }),
  // ---- A6.2.5 miscellaneous 16-bit instructions ----
  row({ name: 'addsp', bits: '1011 0000 oiii iiii', trans: t16.transT16AdjustSp }),
  row({ name: 'cbz', bits: '1011 o0i1 iiii innn', trans: t16.transT16Cbz }),
  row({ name: 'sxth', bits: '1011 0010 00mm mddd', trans: misc.transExtend, fixed: { o: 0b011, n: 15, r: 0 } }),
  row({ name: 'sxtb', bits: '1011 0010 01mm mddd', trans: misc.transExtend, fixed: { o: 0b010, n: 15, r: 0 } }),
  row({ name: 'uxth', bits: '1011 0010 10mm mddd', trans: misc.transExtend, fixed: { o: 0b111, n: 15, r: 0 } }),
  row({ name: 'uxtb', bits: '1011 0010 11mm mddd', trans: misc.transExtend, fixed: { o: 0b110, n: 15, r: 0 } }),
  row({ name: 'push', bits: '1011 010M rrrr rrrr', trans: t16.transT16Push }),
  row({ name: 'rev', bits: '1011 1010 00mm mddd', trans: misc.transRev }),
  row({ name: 'rev16', bits: '1011 1010 01mm mddd', trans: misc.transRev16 }),
  row({ name: 'revsh', bits: '1011 1010 11mm mddd', trans: misc.transRevsh }),
  row({ name: 'pop', bits: '1011 110P rrrr rrrr', trans: t16.transT16Pop }),
  row({ name: 'bkpt', bits: '1011 1110 iiii iiii', trans: misc.transBkpt }),
  row({ name: 'hint', bits: '1011 1111 hhhh 0000', trans: misc.transHint }),
  row({ name: 'it', bits: '1011 1111 cccc mmmm', trans: t16.transT16It }),
  // ---- A6.2.6-8 load/store multiple, conditional branch and supervisor call, branch ----
  row({ name: 'stm', bits: '1100 Lnnn rrrr rrrr', trans: t16.transT16LdmStm }),
  row({ name: 'svc', bits: '1101 1111 iiii iiii', trans: sys.transSvc }),
  row({ name: 'bcond', bits: '1101 cccc iiii iiii', trans: t16.transT16BCond }),
  row({ name: 'b', bits: '1110 0iii iiii iiii', trans: t16.transT16B }),
];

/** Index on halfword bits 15..6 (the opcode bits of every A6.2 group). */
const T16_INDEX: DecoderIndex = { bits: 10, of: (w) => (w >>> 6) & 0x3ff };

export const T16_DECODER = new Decoder<ThumbContext>(rows, T16_INDEX);
