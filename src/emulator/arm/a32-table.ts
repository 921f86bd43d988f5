// The A32 decode table: one row per encoding, grouped as in the ARM ARM
// (DDI 0406C, chapter A5). Field letters are documented on each handler.
// Rows are tried in order; a handler that returns false declines (see decodetree.ts).

import { Decoder, type PatternRow } from './decodetree.js';
import type { A32Context } from './translate-context.js';
import * as br from './trans-branch.js';
import * as dp from './trans-data-processing.js';
import * as ls from './trans-load-store.js';
import * as lsm from './trans-load-store-multiple.js';
import * as misc from './trans-misc.js';
import * as mul from './trans-multiply.js';
import { transParallelAddSub, transUsad8 } from './trans-parallel.js';
import * as sync from './trans-synchronization.js';
import * as sys from './trans-system.js';

type Row = PatternRow<A32Context>;

const rows: Row[] = [
  // ---- A5.7 unconditional instructions (cond = 1111) ----
  { name: 'blx', bits: '1111 101h iiii iiii iiii iiii iiii iiii', trans: br.transBlxImm },
  { name: 'clrex', bits: '1111 0101 0111 1111 1111 0000 0001 1111', trans: sync.transClrex },
  { name: 'dsb', bits: '1111 0101 0111 1111 1111 0000 0100 oooo', trans: sync.transDsb },
  { name: 'dmb', bits: '1111 0101 0111 1111 1111 0000 0101 oooo', trans: sync.transDmb },
  { name: 'isb', bits: '1111 0101 0111 1111 1111 0000 0110 oooo', trans: sync.transIsb },
  { name: 'pld', bits: '1111 0101 uR01 nnnn 1111 iiii iiii iiii', trans: sys.transPreload },
  { name: 'pli', bits: '1111 0100 u101 nnnn 1111 iiii iiii iiii', trans: sys.transPreload },
  { name: 'pld', bits: '1111 0111 uR01 nnnn 1111 iiii itt0 mmmm', trans: sys.transPreload },
  { name: 'pli', bits: '1111 0110 u101 nnnn 1111 iiii itt0 mmmm', trans: sys.transPreload },

  // ---- A5.2.12 miscellaneous ----
  { name: 'mrs', bits: 'cccc 0001 0000 1111 dddd 0000 0000 0000', trans: misc.transMrs },
  { name: 'msr', bits: 'cccc 0001 0010 mmmm 1111 0000 0000 nnnn', trans: misc.transMsrReg },
  { name: 'bx', bits: 'cccc 0001 0010 1111 1111 1111 0001 mmmm', trans: br.transBx },
  { name: 'bxj', bits: 'cccc 0001 0010 1111 1111 1111 0010 mmmm', trans: br.transBx },
  { name: 'blx', bits: 'cccc 0001 0010 1111 1111 1111 0011 mmmm', trans: br.transBlxReg },
  { name: 'clz', bits: 'cccc 0001 0110 1111 dddd 1111 0001 mmmm', trans: misc.transClz },
  { name: 'qadd', bits: 'cccc 0001 0oo0 nnnn dddd 0000 0101 mmmm', trans: mul.transQaddsub },
  { name: 'bkpt', bits: 'cccc 0001 0010 iiii iiii iiii 0111 iiii', trans: misc.transBkpt },
  // ---- A5.2.7 halfword multiply and multiply accumulate ----
  { name: 'smlaw', bits: 'cccc 0001 0010 dddd aaaa mmmm 1yu0 nnnn', trans: mul.transSmulWord },
  { name: 'smla', bits: 'cccc 0001 0oo0 dddd aaaa mmmm 1yx0 nnnn', trans: mul.transSmulHalf },
  // ---- A5.2.5 multiply and multiply accumulate ----
  { name: 'mul', bits: 'cccc 0000 0ooS dddd aaaa mmmm 1001 nnnn', trans: mul.transMul },
  { name: 'mull', bits: 'cccc 0000 oooS hhhh llll mmmm 1001 nnnn', trans: mul.transMulLong },
  // ---- A5.2.10 synchronization primitives ----
  { name: 'swp', bits: 'cccc 0001 0B00 nnnn tttt 0000 1001 mmmm', trans: sync.transSwp },
  { name: 'ldrex', bits: 'cccc 0001 1oo1 nnnn tttt 1111 1001 1111', trans: sync.transLdrex },
  { name: 'strex', bits: 'cccc 0001 1oo0 nnnn dddd 1111 1001 tttt', trans: sync.transStrex },
  // ---- A5.2.8 extra load/store ----
  { name: 'ldrh', bits: 'cccc 000p u1wL nnnn tttt iiii 1hh1 iiii', trans: ls.transLdStExtraImm },
  { name: 'ldrh', bits: 'cccc 000p u0wL nnnn tttt 0000 1hh1 mmmm', trans: ls.transLdStExtraReg },
  // ---- A5.2.1-3 data processing (register, register-shifted register) ----
  { name: 'dp', bits: 'cccc 000o oooS nnnn dddd iiii itt0 mmmm', trans: dp.transDpRegImmShift },
  { name: 'dp', bits: 'cccc 000o oooS nnnn dddd ssss 0tt1 mmmm', trans: dp.transDpRegRegShift },
  // ---- A5.2.3, A5.2.11 immediate forms, MOVW/MOVT, MSR (immediate) and hints ----
  { name: 'movw', bits: 'cccc 0011 0000 iiii dddd iiii iiii iiii', trans: dp.transMovw },
  { name: 'movt', bits: 'cccc 0011 0100 iiii dddd iiii iiii iiii', trans: dp.transMovt },
  { name: 'hint', bits: 'cccc 0011 0010 0000 1111 0000 hhhh hhhh', trans: misc.transHint },
  { name: 'msr', bits: 'cccc 0011 0010 mmmm 1111 rrrr iiii iiii', trans: misc.transMsrImm },
  { name: 'dp', bits: 'cccc 001o oooS nnnn dddd rrrr iiii iiii', trans: dp.transDpImm },

  // ---- A5.3 load/store word and unsigned byte ----
  { name: 'ldr', bits: 'cccc 010p uBwL nnnn tttt iiii iiii iiii', trans: ls.transLdStImm },
  { name: 'ldr', bits: 'cccc 011p uBwL nnnn tttt iiii iss0 mmmm', trans: ls.transLdStReg },

  // ---- A5.4 media instructions ----
  { name: 'parallel', bits: 'cccc 0110 0ppp nnnn dddd 1111 ooo1 mmmm', trans: transParallelAddSub },
  { name: 'usad8', bits: 'cccc 0111 1000 dddd aaaa mmmm 0001 nnnn', trans: transUsad8 },
  { name: 'sel', bits: 'cccc 0110 1000 nnnn dddd 1111 1011 mmmm', trans: misc.transSel },
  { name: 'pkh', bits: 'cccc 0110 1000 nnnn dddd iiii it01 mmmm', trans: misc.transPkh },
  { name: 'ssat16', bits: 'cccc 0110 1010 iiii dddd 1111 0011 nnnn', trans: (c, f) => misc.transSat16(c, f, false) },
  { name: 'usat16', bits: 'cccc 0110 1110 iiii dddd 1111 0011 nnnn', trans: (c, f) => misc.transSat16(c, f, true) },
  { name: 'ssat', bits: 'cccc 0110 101i iiii dddd ssss sh01 nnnn', trans: (c, f) => misc.transSat(c, f, false) },
  { name: 'usat', bits: 'cccc 0110 111i iiii dddd ssss sh01 nnnn', trans: (c, f) => misc.transSat(c, f, true) },
  { name: 'rev', bits: 'cccc 0110 1011 1111 dddd 1111 0011 mmmm', trans: misc.transRev },
  { name: 'rev16', bits: 'cccc 0110 1011 1111 dddd 1111 1011 mmmm', trans: misc.transRev16 },
  { name: 'rbit', bits: 'cccc 0110 1111 1111 dddd 1111 0011 mmmm', trans: misc.transRbit },
  { name: 'revsh', bits: 'cccc 0110 1111 1111 dddd 1111 1011 mmmm', trans: misc.transRevsh },
  { name: 'xt', bits: 'cccc 0110 1ooo nnnn dddd rr00 0111 mmmm', trans: misc.transExtend },
  { name: 'smlad', bits: 'cccc 0111 0000 dddd aaaa mmmm 0oX1 nnnn', trans: mul.transSmlad },
  { name: 'smlald', bits: 'cccc 0111 0100 hhhh llll mmmm 0oX1 nnnn', trans: mul.transSmlald },
  { name: 'div', bits: 'cccc 0111 00u1 dddd 1111 mmmm 0001 nnnn', trans: mul.transDiv },
  { name: 'smmul', bits: 'cccc 0111 0101 dddd aaaa mmmm ooR1 nnnn', trans: mul.transSmmul },
  { name: 'sbfx', bits: 'cccc 0111 101w wwww dddd llll l101 nnnn', trans: (c, f) => misc.transBitfieldExtract(c, f, true) },
  { name: 'ubfx', bits: 'cccc 0111 111w wwww dddd llll l101 nnnn', trans: (c, f) => misc.transBitfieldExtract(c, f, false) },
  { name: 'bfi', bits: 'cccc 0111 110w wwww dddd llll l001 nnnn', trans: misc.transBitfieldInsert },

  // ---- A5.5 branch, branch with link, and block data transfer ----
  { name: 'ldm', bits: 'cccc 100p uSwL nnnn rrrr rrrr rrrr rrrr', trans: lsm.transLdmStm },
  { name: 'b', bits: 'cccc 101L iiii iiii iiii iiii iiii iiii', trans: br.transB },

  // ---- A5.6 coprocessor instructions and supervisor call ----
  { name: 'svc', bits: 'cccc 1111 iiii iiii iiii iiii iiii iiii', trans: sys.transSvc },
  { name: 'mrc', bits: 'cccc 1110 oooL nnnn tttt 1111 ppp1 mmmm', trans: sys.transCp15 },
];

export const A32_DECODER = new Decoder<A32Context>(rows);
