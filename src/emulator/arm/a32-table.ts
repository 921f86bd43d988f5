// The A32 decode table: one row per encoding, grouped as in the ARM ARM
// (DDI 0406C, chapter A5). Field letters are documented on each handler; each
// row is checked at compile time: its handler may read only letters of its picture.
// Rows are tried in order; a handler that returns false declines (see decodetree.ts).

import { transCoprocessorRow } from './coprocessor.js';
import { Decoder, rowChecker, type PatternRow } from './decodetree.js';
import type { ArmContext } from './translate-context.js';
import * as br from './trans-branch.js';
import * as dp from './trans-data-processing.js';
import * as ls from './trans-load-store.js';
import * as lsm from './trans-load-store-multiple.js';
import * as misc from './trans-misc.js';
import * as mul from './trans-multiply.js';
import { transParallelAddSub, transUsad8 } from './trans-parallel.js';
import * as sync from './trans-synchronization.js';
import * as sys from './trans-system.js';

const row = rowChecker<ArmContext>();

const rows: PatternRow<ArmContext>[] = [
  // ---- A5.7 unconditional instructions (cond = 1111) ----
  row({ name: 'blx', bits: '1111 101h iiii iiii iiii iiii iiii iiii', trans: br.transBlxImm }),
  row({ name: 'clrex', bits: '1111 0101 0111 1111 1111 0000 0001 1111', trans: sync.transClrex }),
  row({ name: 'dsb', bits: '1111 0101 0111 1111 1111 0000 0100 oooo', trans: sync.transDsb }),
  row({ name: 'dmb', bits: '1111 0101 0111 1111 1111 0000 0101 oooo', trans: sync.transDmb }),
  row({ name: 'isb', bits: '1111 0101 0111 1111 1111 0000 0110 oooo', trans: sync.transIsb }),
  row({ name: 'pld', bits: '1111 0101 uR01 nnnn 1111 iiii iiii iiii', trans: sys.transPreload }),
  row({ name: 'pli', bits: '1111 0100 u101 nnnn 1111 iiii iiii iiii', trans: sys.transPreload }),
  row({ name: 'pld', bits: '1111 0111 uR01 nnnn 1111 iiii itt0 mmmm', trans: sys.transPreload }),
  row({ name: 'pli', bits: '1111 0110 u101 nnnn 1111 iiii itt0 mmmm', trans: sys.transPreload }),

  // ---- A5.2.12 miscellaneous ----
  row({ name: 'mrs', bits: 'cccc 0001 0000 1111 dddd 0000 0000 0000', trans: misc.transMrs }),
  row({ name: 'msr', bits: 'cccc 0001 0010 mmmm 1111 0000 0000 nnnn', trans: misc.transMsrReg }),
  row({ name: 'bx', bits: 'cccc 0001 0010 1111 1111 1111 0001 mmmm', trans: br.transBx }),
  row({ name: 'bxj', bits: 'cccc 0001 0010 1111 1111 1111 0010 mmmm', trans: br.transBx }),
  row({ name: 'blx', bits: 'cccc 0001 0010 1111 1111 1111 0011 mmmm', trans: br.transBlxReg }),
  row({ name: 'clz', bits: 'cccc 0001 0110 1111 dddd 1111 0001 mmmm', trans: misc.transClz }),
  row({ name: 'qadd', bits: 'cccc 0001 0oo0 nnnn dddd 0000 0101 mmmm', trans: mul.transQaddsub }),
  row({ name: 'bkpt', bits: 'cccc 0001 0010 iiii iiii iiii 0111 iiii', trans: misc.transBkpt }),
  // ---- A5.2.7 halfword multiply and multiply accumulate ----
  row({ name: 'smlaw', bits: 'cccc 0001 0010 dddd aaaa mmmm 1yu0 nnnn', trans: mul.transSmulWord }),
  row({ name: 'smla', bits: 'cccc 0001 0oo0 dddd aaaa mmmm 1yx0 nnnn', trans: mul.transSmulHalf }),
  // ---- A5.2.5 multiply and multiply accumulate ----
  row({ name: 'mul', bits: 'cccc 0000 0ooS dddd aaaa mmmm 1001 nnnn', trans: mul.transMul }),
  row({ name: 'mull', bits: 'cccc 0000 oooS hhhh llll mmmm 1001 nnnn', trans: mul.transMulLong }),
  // ---- A5.2.10 synchronization primitives ----
  row({ name: 'swp', bits: 'cccc 0001 0B00 nnnn tttt 0000 1001 mmmm', trans: sync.transSwp }),
  row({ name: 'ldrex', bits: 'cccc 0001 1oo1 nnnn tttt 1111 1001 1111', trans: sync.transLdrex }),
  row({ name: 'strex', bits: 'cccc 0001 1oo0 nnnn dddd 1111 1001 tttt', trans: sync.transStrex }),
  // ---- A5.2.8 extra load/store ----
  row({ name: 'ldrh', bits: 'cccc 000p u1wL nnnn tttt iiii 1hh1 iiii', trans: ls.transLdStExtraImm }),
  row({ name: 'ldrh', bits: 'cccc 000p u0wL nnnn tttt 0000 1hh1 mmmm', trans: ls.transLdStExtraReg }),
  // ---- A5.2.1-3 data processing (register, register-shifted register) ----
  row({ name: 'dp', bits: 'cccc 000o oooS nnnn dddd iiii itt0 mmmm', trans: dp.transDpRegImmShift }),
  row({ name: 'dp', bits: 'cccc 000o oooS nnnn dddd ssss 0tt1 mmmm', trans: dp.transDpRegRegShift }),
  // ---- A5.2.3, A5.2.11 immediate forms, MOVW/MOVT, MSR (immediate) and hints ----
  row({ name: 'movw', bits: 'cccc 0011 0000 iiii dddd iiii iiii iiii', trans: dp.transMovw }),
  row({ name: 'movt', bits: 'cccc 0011 0100 iiii dddd iiii iiii iiii', trans: dp.transMovt }),
  row({ name: 'hint', bits: 'cccc 0011 0010 0000 1111 0000 hhhh hhhh', trans: misc.transHint }),
  row({ name: 'msr', bits: 'cccc 0011 0010 mmmm 1111 rrrr iiii iiii', trans: misc.transMsrImm }),
  row({ name: 'dp', bits: 'cccc 001o oooS nnnn dddd rrrr iiii iiii', trans: dp.transDpImm }),

  // ---- A5.3 load/store word and unsigned byte ----
  row({ name: 'ldr', bits: 'cccc 010p uBwL nnnn tttt iiii iiii iiii', trans: ls.transLdStImm }),
  row({ name: 'ldr', bits: 'cccc 011p uBwL nnnn tttt iiii iss0 mmmm', trans: ls.transLdStReg }),

  // ---- A5.4 media instructions ----
  row({ name: 'parallel', bits: 'cccc 0110 0ppp nnnn dddd 1111 ooo1 mmmm', trans: transParallelAddSub }),
  row({ name: 'usad8', bits: 'cccc 0111 1000 dddd aaaa mmmm 0001 nnnn', trans: transUsad8 }),
  row({ name: 'sel', bits: 'cccc 0110 1000 nnnn dddd 1111 1011 mmmm', trans: misc.transSel }),
  row({ name: 'pkh', bits: 'cccc 0110 1000 nnnn dddd iiii it01 mmmm', trans: misc.transPkh }),
  row({ name: 'ssat16', bits: 'cccc 0110 1010 iiii dddd 1111 0011 nnnn', trans: (c, f) => misc.transSat16(c, f, false) }),
  row({ name: 'usat16', bits: 'cccc 0110 1110 iiii dddd 1111 0011 nnnn', trans: (c, f) => misc.transSat16(c, f, true) }),
  row({ name: 'ssat', bits: 'cccc 0110 101i iiii dddd ssss sh01 nnnn', trans: (c, f) => misc.transSat(c, f, false) }),
  row({ name: 'usat', bits: 'cccc 0110 111i iiii dddd ssss sh01 nnnn', trans: (c, f) => misc.transSat(c, f, true) }),
  row({ name: 'rev', bits: 'cccc 0110 1011 1111 dddd 1111 0011 mmmm', trans: misc.transRev }),
  row({ name: 'rev16', bits: 'cccc 0110 1011 1111 dddd 1111 1011 mmmm', trans: misc.transRev16 }),
  row({ name: 'rbit', bits: 'cccc 0110 1111 1111 dddd 1111 0011 mmmm', trans: misc.transRbit }),
  row({ name: 'revsh', bits: 'cccc 0110 1111 1111 dddd 1111 1011 mmmm', trans: misc.transRevsh }),
  row({ name: 'xt', bits: 'cccc 0110 1ooo nnnn dddd rr00 0111 mmmm', trans: misc.transExtend }),
  row({ name: 'smlad', bits: 'cccc 0111 0000 dddd aaaa mmmm 0oX1 nnnn', trans: mul.transSmlad }),
  row({ name: 'smlald', bits: 'cccc 0111 0100 hhhh llll mmmm 0oX1 nnnn', trans: mul.transSmlald }),
  row({ name: 'div', bits: 'cccc 0111 00u1 dddd 1111 mmmm 0001 nnnn', trans: mul.transDiv }),
  row({ name: 'smmul', bits: 'cccc 0111 0101 dddd aaaa mmmm ooR1 nnnn', trans: mul.transSmmul }),
  row({ name: 'sbfx', bits: 'cccc 0111 101w wwww dddd llll l101 nnnn', trans: (c, f) => misc.transBitfieldExtract(c, f, true) }),
  row({ name: 'ubfx', bits: 'cccc 0111 111w wwww dddd llll l101 nnnn', trans: (c, f) => misc.transBitfieldExtract(c, f, false) }),
  row({ name: 'bfi', bits: 'cccc 0111 110w wwww dddd llll l001 nnnn', trans: misc.transBitfieldInsert }),

  // ---- A5.5 branch, branch with link, and block data transfer ----
  row({ name: 'ldm', bits: 'cccc 100p uSwL nnnn rrrr rrrr rrrr rrrr', trans: lsm.transLdmStm }),
  row({ name: 'b', bits: 'cccc 101L iiii iiii iiii iiii iiii iiii', trans: br.transB }),

  // ---- A5.6 coprocessor instructions and supervisor call ----
  row({ name: 'svc', bits: 'cccc 1111 iiii iiii iiii iiii iiii iiii', trans: sys.transSvc }),
  row({ name: 'mrc', bits: 'cccc 1110 oooL nnnn tttt 1111 ppp1 mmmm', trans: sys.transCp15 }),
  row({ name: 'cp', bits: 'cccc 11-- ---- ---- ---- ---- ---- ----', trans: transCoprocessorRow }),
];

export const A32_DECODER = new Decoder<ArmContext>(rows);
