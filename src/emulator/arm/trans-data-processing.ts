// Data-processing instructions (ARM ARM A5.2): the sixteen ALU opcodes with
// immediate, immediate-shifted register and register-shifted register operands,
// plus MOVW/MOVT.

import type { Temp } from '../ir/builder.js';
import type { Fields } from './decodetree.js';
import { Env } from './cpu-state.js';
import { expandImm, genShiftImm, genShiftReg, type Shifted } from './shifter.js';
import type { ArmContext } from './translate-context.js';

export const enum DpOp {
  AND = 0, EOR = 1, SUB = 2, RSB = 3, ADD = 4, ADC = 5, SBC = 6, RSC = 7,
  TST = 8, TEQ = 9, CMP = 10, CMN = 11, ORR = 12, MOV = 13, BIC = 14, MVN = 15,
}

export const DP_NAMES = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn'];

function isTestOp(op: number): boolean {
  return op >= DpOp.TST && op <= DpOp.CMN;
}

/** Shared body of all three operand forms. Returns false for encodings that are not data processing. */
export function genDataProcessing(ctx: ArmContext, op: number, s: number, rn: number, rd: number, operand: Shifted): boolean {
  // TST/TEQ/CMP/CMN without S live in the miscellaneous space (MRS, BX, ...).
  if (isTestOp(op) && !s) return false;
  // xxxS pc, ... is an exception return: UNPREDICTABLE in user mode.
  if (s && rd === 15 && !isTestOp(op)) return false;
  const b = ctx.b;
  const bv = operand.value;
  const a = op === DpOp.MOV || op === DpOp.MVN ? -1 : ctx.reg(rn);
  let res: Temp;
  let logical = false;
  switch (op as DpOp) {
    case DpOp.AND: case DpOp.TST: res = b.binary('and', a, bv); logical = true; break;
    case DpOp.EOR: case DpOp.TEQ: res = b.binary('xor', a, bv); logical = true; break;
    case DpOp.ORR: res = b.binary('or', a, bv); logical = true; break;
    case DpOp.BIC: res = b.binary('andc', a, bv); logical = true; break;
    case DpOp.MOV: res = bv; logical = true; break;
    case DpOp.MVN: res = b.unary('not', bv); logical = true; break;
    case DpOp.SUB: case DpOp.CMP: res = s ? ctx.subWithFlags(a, bv, null) : b.binary('sub', a, bv); break;
    case DpOp.RSB: res = s ? ctx.subWithFlags(bv, a, null) : b.binary('sub', bv, a); break;
    case DpOp.ADD: case DpOp.CMN: res = s ? ctx.addWithFlags(a, bv, null) : b.binary('add', a, bv); break;
    case DpOp.ADC:
      res = s ? ctx.addWithFlags(a, bv, Env.CF) : b.binary('add', b.binary('add', a, bv), Env.CF);
      break;
    case DpOp.SBC:
      res = s ? ctx.subWithFlags(a, bv, Env.CF) : b.binary('add', b.binary('add', a, b.unary('not', bv)), Env.CF);
      break;
    case DpOp.RSC:
      res = s ? ctx.subWithFlags(bv, a, Env.CF) : b.binary('add', b.binary('add', bv, b.unary('not', a)), Env.CF);
      break;
  }
  if (logical && s) {
    ctx.setNZ(res);
    if (operand.carry !== null) ctx.setCF(operand.carry);
  }
  if (!isTestOp(op)) ctx.setRegOrPc(rd, res);
  return true;
}

/** <op>{S} Rd, Rn, #imm */
export function transDpImm(ctx: ArmContext, f: Fields<'d' | 'i' | 'n' | 'o' | 'r' | 'S'>): boolean {
  const { value, carryBit } = expandImm(f.r, f.i);
  const carry = carryBit === null ? null : ctx.b.const(carryBit);
  return genDataProcessing(ctx, f.o, f.S, f.n, f.d, { value: ctx.b.const(value), carry });
}

/** <op>{S} Rd, Rn, Rm {, <shift> #imm} */
export function transDpRegImmShift(ctx: ArmContext, f: Fields<'d' | 'i' | 'm' | 'n' | 'o' | 'S' | 't'>): boolean {
  const op = f.o;
  if (isTestOp(op) && !f.S) return false;
  return genDataProcessing(ctx, op, f.S, f.n, f.d, genShiftImm(ctx, ctx.reg(f.m), f.t, f.i));
}

/** <op>{S} Rd, Rn, Rm, <shift> Rs */
export function transDpRegRegShift(ctx: ArmContext, f: Fields<'d' | 'm' | 'n' | 'o' | 'S' | 's' | 't'>): boolean {
  const op = f.o;
  if (isTestOp(op) && !f.S) return false;
  // Any of PC as Rd, Rn, Rm or Rs is UNPREDICTABLE here.
  if (f.d === 15 || f.n === 15 || f.m === 15 || f.s === 15) return false;
  return genDataProcessing(ctx, op, f.S, f.n, f.d, genShiftReg(ctx, ctx.reg(f.m), f.t, ctx.reg(f.s)));
}

/** MOVW Rd, #imm16 */
export function transMovw(ctx: ArmContext, f: Fields<'d' | 'i'>): boolean {
  if (f.d === 15) return false;
  ctx.setReg(f.d, ctx.b.const(f.i));
  return true;
}

/** MOVT Rd, #imm16: replaces the top halfword. */
export function transMovt(ctx: ArmContext, f: Fields<'d' | 'i'>): boolean {
  if (f.d === 15) return false;
  const b = ctx.b;
  ctx.setReg(f.d, b.binary('or', b.binaryImm('and', f.d, 0xffff), b.const(f.i << 16)));
  return true;
}
