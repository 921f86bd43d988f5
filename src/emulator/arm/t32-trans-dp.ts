// 32-bit Thumb data processing (ARM ARM A6.3.1-A6.3.4, A6.3.11-A6.3.18):
// modified and plain immediates, shifted and register-shifted registers,
// extends, parallel add/subtract, the miscellaneous register operations and
// the multiplies. The operations are the A32 front end's; these handlers map
// T32 opcode numbering and field layouts onto them.

import type { Fields } from './decodetree.js';
import type { ArmContext } from './translate-context.js';
import { genShiftImm, genShiftReg, type Shifted } from './shifter.js';
import { DpOp, genDataProcessing } from './trans-data-processing.js';
import * as misc from './trans-misc.js';
import * as mul from './trans-multiply.js';
import { transParallelAddSub } from './trans-parallel.js';

/** ThumbExpandImm_C: the 32-bit value of imm12 and its carry bit (null: C unchanged). */
export function thumbExpandImm(imm12: number): { value: number; carryBit: number | null } | null {
  const imm8 = imm12 & 0xff;
  if ((imm12 >>> 10) === 0) {
    switch ((imm12 >>> 8) & 3) {
      case 0: return { value: imm8, carryBit: null };
      case 1: return imm8 === 0 ? null : { value: (imm8 << 16) | imm8, carryBit: null };
      case 2: return imm8 === 0 ? null : { value: ((imm8 << 24) | (imm8 << 8)) | 0, carryBit: null };
      default: return imm8 === 0 ? null : { value: (imm8 * 0x01010101) | 0, carryBit: null };
    }
  }
  const unrotated = 0x80 | (imm12 & 0x7f);
  const rot = imm12 >>> 7;
  const value = ((unrotated >>> rot) | (unrotated << (32 - rot))) | 0;
  return { value, carryBit: value >>> 31 };
}

/**
 * Maps a T32 data-processing opcode (bits 24..21) with its Rn/Rd/S to the A32
 * operation: TST/TEQ/CMN/CMP are AND/EOR/ADD/SUB with Rd = PC and S, MOV/MVN
 * are ORR/ORN with Rn = PC, ORN is ORR of the inverted operand.
 */
function genT32DataProcessing(ctx: ArmContext, op: number, s: number, rn: number, rd: number, operand: Shifted): boolean {
  const b = ctx.b;
  const test = rd === 15 && s === 1;
  const not = (o: Shifted): Shifted => ({ value: b.unary('not', o.value), carry: o.carry });
  let a32: DpOp;
  switch (op) {
    case 0b0000: a32 = test ? DpOp.TST : DpOp.AND; break;
    case 0b0001: a32 = DpOp.BIC; break;
    case 0b0010: a32 = rn === 15 ? DpOp.MOV : DpOp.ORR; break;
    case 0b0011:
      if (rn === 15) return rd !== 15 && genDataProcessing(ctx, DpOp.MVN, s, 0, rd, operand);
      return rd !== 15 && genDataProcessing(ctx, DpOp.ORR, s, rn, rd, not(operand));
    case 0b0100: a32 = test ? DpOp.TEQ : DpOp.EOR; break;
    case 0b1000: a32 = test ? DpOp.CMN : DpOp.ADD; break;
    case 0b1010: a32 = DpOp.ADC; break;
    case 0b1011: a32 = DpOp.SBC; break;
    case 0b1101: a32 = test ? DpOp.CMP : DpOp.SUB; break;
    case 0b1110: a32 = DpOp.RSB; break;
    default: return false;
  }
  // Writing PC from data processing is UNPREDICTABLE in T32 (only the 16-bit ADD/MOV may).
  if (rd === 15 && !test) return false;
  return genDataProcessing(ctx, a32, s, rn, test ? 0 : rd, operand);
}

/** <op>{S}.W Rd, Rn, #ThumbExpandImm(i:imm3:imm8). */
export function transT32DpImm(ctx: ArmContext, f: Fields<'d' | 'i' | 'n' | 'o' | 'S'>): boolean {
  const imm = thumbExpandImm(f.i);
  if (imm === null) return false;
  const carry = imm.carryBit === null ? null : ctx.b.const(imm.carryBit);
  return genT32DataProcessing(ctx, f.o, f.S, f.n, f.d, { value: ctx.b.const(imm.value), carry });
}

/** <op>{S}.W Rd, Rn, Rm {, <shift> #imm5}. */
export function transT32DpShiftedReg(ctx: ArmContext, f: Fields<'d' | 'i' | 'm' | 'n' | 'o' | 'S' | 't'>): boolean {
  if (f.m === 15) return false;
  return genT32DataProcessing(ctx, f.o, f.S, f.n, f.d, genShiftImm(ctx, f.m, f.t, f.i));
}

/** LSL/LSR/ASR/ROR{S}.W Rd, Rn, Rm: Rn shifted by the bottom byte of Rm. */
export function transT32ShiftReg(ctx: ArmContext, f: Fields<'d' | 'm' | 'n' | 'S' | 't'>): boolean {
  if ([f.d, f.n, f.m].some((r) => r === 13 || r === 15)) return false;
  return genDataProcessing(ctx, DpOp.MOV, f.S, 0, f.d, genShiftReg(ctx, f.n, f.t, f.m));
}

/** ADDW/SUBW Rd, Rn, #imm12 (f.o: 1 SUBW); with Rn = PC it is ADR from Align(PC, 4). */
export function transT32AddSubWide(ctx: ArmContext, f: Fields<'d' | 'i' | 'n' | 'o'>): boolean {
  if (f.d === 15) return false;
  const b = ctx.b;
  const imm = f.i;
  if (f.n === 15) {
    ctx.setReg(f.d, b.const(f.o ? ctx.alignedPc - imm : ctx.alignedPc + imm));
    return true;
  }
  ctx.setReg(f.d, b.binaryImm(f.o ? 'sub' : 'add', f.n, imm));
  return true;
}

/** MOVW / MOVT Rd, #imm16 (imm4:i:imm3:imm8; f.o: 1 MOVT). */
export function transT32MovWide(ctx: ArmContext, f: Fields<'d' | 'i' | 'j' | 'o'>): boolean {
  if (f.d === 15 || f.d === 13) return false;
  const imm16 = (f.j << 12) | f.i;
  const b = ctx.b;
  if (f.o) ctx.setReg(f.d, b.binary('or', b.binaryImm('and', f.d, 0xffff), b.const(imm16 << 16)));
  else ctx.setReg(f.d, b.const(imm16));
  return true;
}

/** SSAT/USAT Rd, #sat, Rn {, LSL|ASR #imm}; ASR #0 is SSAT16/USAT16 (f.u: unsigned). */
export function transT32Sat(ctx: ArmContext, f: Fields<'d' | 'h' | 'i' | 'n' | 's' | 'u'>): boolean {
  const unsigned = f.u === 1;
  if (f.h && f.s === 0) {
    if (f.i & 0x10) return false;
    return misc.transSat16(ctx, f, unsigned);
  }
  return misc.transSat(ctx, f, unsigned);
}

/** T32 extend op (bits 22..20) to the A32 op field: SXTAH UXTAH SXTAB16 UXTAB16 SXTAB UXTAB. */
const EXTEND_OPS = [0b011, 0b111, 0b000, 0b100, 0b010, 0b110];

/** SXTAB, UXTAH and the other extends: Rd, Rn, Rm {, ROR #rot*8}; Rn = PC is the non-accumulating form. */
export function transT32Extend(ctx: ArmContext, f: Fields<'d' | 'm' | 'n' | 'o' | 'r'>): boolean {
  const op = EXTEND_OPS[f.o];
  if (op === undefined) return false;
  return misc.transExtend(ctx, { o: op, n: f.n, d: f.d, m: f.m, r: f.r });
}

/** T32 parallel op1 (bits 22..20) to the A32 op2 field: ADD8 ADD16 ASX - SUB8 SUB16 SAX. */
const PARALLEL_OPS = [4, 0, 1, -1, 7, 3, 2, -1];

/** {S,Q,SH,U,UQ,UH}{ADD16,ASX,SAX,SUB16,ADD8,SUB8} Rd, Rn, Rm (f.p: prefix, bits 6..4). */
export function transT32Parallel(ctx: ArmContext, f: Fields<'d' | 'm' | 'n' | 'o' | 'p'>): boolean {
  const op = PARALLEL_OPS[f.o]!;
  if (op < 0 || f.p === 3 || f.p === 7) return false;
  return transParallelAddSub(ctx, { p: f.p + 1, o: op, d: f.d, n: f.n, m: f.m });
}

/** QADD/QDADD/QSUB/QDSUB (f.p: op2) as the A32 op field (QADD QSUB QDADD QDSUB). */
export function transT32Qadd(ctx: ArmContext, f: Fields<'d' | 'm' | 'n' | 'p'>): boolean {
  const op = ((f.p & 1) << 1) | (f.p >> 1);
  return mul.transQaddsub(ctx, { o: op, d: f.d, n: f.n, m: f.m });
}

/** MUL/MLA/MLS (f.o: 1 MLS); MLA with Ra = PC is MUL. */
export function transT32Mul(ctx: ArmContext, f: Fields<'a' | 'd' | 'm' | 'n' | 'o'>): boolean {
  const op = f.o ? 3 : f.a === 15 ? 0 : 1;
  return mul.transMul(ctx, { o: op, S: 0, d: f.d, n: f.n, m: f.m, a: f.a });
}

/** SMLA<x><y> / SMUL<x><y> (Ra = PC). */
export function transT32SmulHalf(ctx: ArmContext, f: Fields<'a' | 'd' | 'm' | 'n' | 'x' | 'y'>): boolean {
  return mul.transSmulHalf(ctx, { ...f, o: f.a === 15 ? 3 : 0 });
}

/** SMLAW<y> / SMULW<y> (Ra = PC). */
export function transT32SmulWord(ctx: ArmContext, f: Fields<'a' | 'd' | 'm' | 'n' | 'y'>): boolean {
  return mul.transSmulWord(ctx, { ...f, u: f.a === 15 ? 1 : 0 });
}

/** The long multiplies, divides and 64-bit accumulating DSP multiplies (f.o: op1, f.p: op2). */
export function transT32LongMultiply(ctx: ArmContext, f: Fields<'h' | 'l' | 'm' | 'n' | 'o' | 'p'>): boolean {
  const { n, m, l, h } = f;
  const long = (a32op: number): boolean => mul.transMulLong(ctx, { o: a32op, S: 0, l, h, n, m });
  const op2 = f.p;
  switch (f.o) {
    case 0b000: return op2 === 0 && long(0b110); // SMULL
    case 0b001: return op2 === 0xf && l === 15 && mul.transDiv(ctx, { u: 0, d: h, n, m }); // SDIV
    case 0b010: return op2 === 0 && long(0b100); // UMULL
    case 0b011: return op2 === 0xf && l === 15 && mul.transDiv(ctx, { u: 1, d: h, n, m }); // UDIV
    case 0b100:
      if (op2 === 0) return long(0b111); // SMLAL
      if ((op2 & 0b1100) === 0b1000) return mul.transSmulHalf(ctx, { o: 2, x: (op2 >> 1) & 1, y: op2 & 1, a: l, d: h, n, m });
      if ((op2 & 0b1110) === 0b1100) return mul.transSmlald(ctx, { o: 0, X: op2 & 1, l, h, n, m });
      return false;
    case 0b101: return (op2 & 0b1110) === 0b1100 && mul.transSmlald(ctx, { o: 1, X: op2 & 1, l, h, n, m });
    case 0b110:
      if (op2 === 0) return long(0b101); // UMLAL
      return op2 === 0b0110 && long(0b010); // UMAAL
    default: return false;
  }
}
