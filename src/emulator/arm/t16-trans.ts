// Handlers of the 16-bit Thumb encodings (ARM ARM A6.2) that have no A32
// twin to reuse directly. Each builds the operands the 16-bit form implies
// (low registers, scaled immediates, flags set only outside an IT block) and
// calls the generator the A32 front end uses for the same operation.

import { MemOp } from '../ir/memop.js';
import { Cond } from '../ir/cond.js';
import type { Fields } from './decodetree.js';
import type { ThumbContext } from './t32-context.js';
import { DpOp, genDataProcessing } from './trans-data-processing.js';
import { genTransfer } from './trans-load-store.js';
import { transLdmStm } from './trans-load-store-multiple.js';
import { genShiftImm, genShiftReg } from './shifter.js';
import { transMul } from './trans-multiply.js';
import { JumpState } from './translate-context.js';

const plain = (ctx: ThumbContext, r: number) => ({ value: ctx.reg(r), carry: null });

/** LSL/LSR/ASR Rd, Rm, #imm5 (f.o: shift type; LSL #0 is MOVS Rd, Rm). */
export function transT16ShiftImm(ctx: ThumbContext, f: Fields<'d' | 'i' | 'm' | 'o'>): boolean {
  return genDataProcessing(ctx, DpOp.MOV, ctx.t16SetFlags, 0, f.d, genShiftImm(ctx, f.m, f.o, f.i));
}

/** ADD/SUB Rd, Rn, Rm (f.o: 0 ADD, 1 SUB). */
export function transT16AddSubReg(ctx: ThumbContext, f: Fields<'d' | 'm' | 'n' | 'o'>): boolean {
  return genDataProcessing(ctx, f.o ? DpOp.SUB : DpOp.ADD, ctx.t16SetFlags, f.n, f.d, plain(ctx, f.m));
}

/** ADD/SUB Rd, Rn, #imm3. */
export function transT16AddSubImm3(ctx: ThumbContext, f: Fields<'d' | 'i' | 'n' | 'o'>): boolean {
  return genDataProcessing(ctx, f.o ? DpOp.SUB : DpOp.ADD, ctx.t16SetFlags, f.n, f.d, { value: ctx.b.const(f.i), carry: null });
}

/** MOV/CMP/ADD/SUB Rdn, #imm8 (f.o: 0 MOV, 1 CMP, 2 ADD, 3 SUB). */
export function transT16Imm8(ctx: ThumbContext, f: Fields<'d' | 'i' | 'o'>): boolean {
  const op = [DpOp.MOV, DpOp.CMP, DpOp.ADD, DpOp.SUB][f.o]!;
  const s = op === DpOp.CMP ? 1 : ctx.t16SetFlags;
  return genDataProcessing(ctx, op, s, f.d, f.d, { value: ctx.b.const(f.i), carry: null });
}

/** The sixteen "data processing (register)" operations on Rdn and Rm (f.o). */
export function transT16DataProcessing(ctx: ThumbContext, f: Fields<'d' | 'm' | 'o'>): boolean {
  const rdn = f.d;
  const rm = f.m;
  const s = ctx.t16SetFlags;
  switch (f.o) {
    case 0: return genDataProcessing(ctx, DpOp.AND, s, rdn, rdn, plain(ctx, rm));
    case 1: return genDataProcessing(ctx, DpOp.EOR, s, rdn, rdn, plain(ctx, rm));
    case 2: case 3: case 4: case 7: {
      // LSL, LSR, ASR, ROR by register: shift type from the opcode.
      const type = { 2: 0, 3: 1, 4: 2, 7: 3 }[f.o]!;
      return genDataProcessing(ctx, DpOp.MOV, s, 0, rdn, genShiftReg(ctx, rdn, type, rm));
    }
    case 5: return genDataProcessing(ctx, DpOp.ADC, s, rdn, rdn, plain(ctx, rm));
    case 6: return genDataProcessing(ctx, DpOp.SBC, s, rdn, rdn, plain(ctx, rm));
    case 8: return genDataProcessing(ctx, DpOp.TST, 1, rdn, 0, plain(ctx, rm));
    case 9: return genDataProcessing(ctx, DpOp.RSB, s, rm, rdn, { value: ctx.b.const(0), carry: null }); // NEG
    case 10: return genDataProcessing(ctx, DpOp.CMP, 1, rdn, 0, plain(ctx, rm));
    case 11: return genDataProcessing(ctx, DpOp.CMN, 1, rdn, 0, plain(ctx, rm));
    case 12: return genDataProcessing(ctx, DpOp.ORR, s, rdn, rdn, plain(ctx, rm));
    case 13: return transMul(ctx, { o: 0, S: s, d: rdn, n: rm, m: rdn, a: 0 });
    case 14: return genDataProcessing(ctx, DpOp.BIC, s, rdn, rdn, plain(ctx, rm));
    default: return genDataProcessing(ctx, DpOp.MVN, s, 0, rdn, plain(ctx, rm));
  }
}

/** ADD/CMP/MOV with high registers (f.o: 0 ADD, 1 CMP, 2 MOV); Rd is D:ddd. No flags but CMP's. */
export function transT16HighReg(ctx: ThumbContext, f: Fields<'d' | 'm' | 'o'>): boolean {
  const rd = f.d;
  const rm = f.m;
  switch (f.o) {
    case 0:
      if (rd === 15 && rm === 15) return false;
      return genDataProcessing(ctx, DpOp.ADD, 0, rd, rd, plain(ctx, rm));
    case 1:
      if ((rd < 8 && rm < 8) || rd === 15 || rm === 15) return false;
      return genDataProcessing(ctx, DpOp.CMP, 1, rd, 0, plain(ctx, rm));
    default:
      return genDataProcessing(ctx, DpOp.MOV, 0, 0, rd, plain(ctx, rm));
  }
}

/** The register-offset forms, by f.o: STR STRH STRB LDRSB LDR LDRH LDRB LDRSH. */
const REG_FORMS: readonly [number, boolean][] = [
  [MemOp.SIZE_32, false], [MemOp.SIZE_16, false], [MemOp.SIZE_8, false], [MemOp.SIZE_8 | MemOp.SIGN, true],
  [MemOp.SIZE_32, true], [MemOp.SIZE_16, true], [MemOp.SIZE_8, true], [MemOp.SIZE_16 | MemOp.SIGN, true],
];

/** LDR, STR and their byte, halfword and signed forms: Rt, [Rn, Rm]. */
export function transT16LdStReg(ctx: ThumbContext, f: Fields<'m' | 'n' | 'o' | 't'>): boolean {
  const [memop, isLoad] = REG_FORMS[f.o]!;
  const addr = ctx.b.binary('add', f.n, f.m);
  return genTransfer(ctx, f.t, f.n, { addr, writeback: null }, memop, isLoad);
}

/** LDR/STR{B,H} Rt, [Rn, #imm5 * size] (f.z: log2 size). */
export function transT16LdStImm(ctx: ThumbContext, f: Fields<'i' | 'L' | 'n' | 't' | 'z'>): boolean {
  const size = f.z;
  const addr = ctx.b.binaryImm('add', f.n, f.i << size);
  return genTransfer(ctx, f.t, f.n, { addr, writeback: null }, size, f.L === 1);
}

/** LDR/STR Rt, [SP, #imm8 * 4]. */
export function transT16LdStSp(ctx: ThumbContext, f: Fields<'i' | 'L' | 't'>): boolean {
  const addr = ctx.b.binaryImm('add', 13, f.i * 4);
  return genTransfer(ctx, f.t, 13, { addr, writeback: null }, MemOp.SIZE_32, f.L === 1);
}

/** LDR Rt, [PC, #imm8 * 4] (literal, from Align(PC, 4)). */
export function transT16LdrLiteral(ctx: ThumbContext, f: Fields<'i' | 't'>): boolean {
  const addr = ctx.b.const(ctx.alignedPc + f.i * 4);
  return genTransfer(ctx, f.t, 15, { addr, writeback: null }, MemOp.SIZE_32, true);
}

/** ADR Rd, label (Align(PC, 4) + imm8 * 4) and ADD Rd, SP, #imm8 * 4 (f.S: 1 for SP). */
export function transT16AddPcSp(ctx: ThumbContext, f: Fields<'d' | 'i' | 'S'>): boolean {
  const b = ctx.b;
  const v = f.S ? b.binaryImm('add', 13, f.i * 4) : b.const(ctx.alignedPc + f.i * 4);
  ctx.setReg(f.d, v);
  return true;
}

/** ADD/SUB SP, SP, #imm7 * 4 (f.o: 1 SUB). */
export function transT16AdjustSp(ctx: ThumbContext, f: Fields<'i' | 'o'>): boolean {
  ctx.setReg(13, ctx.b.binaryImm(f.o ? 'sub' : 'add', 13, f.i * 4));
  return true;
}

/** CBZ/CBNZ Rn, label (f.o: 1 CBNZ): a forward branch when Rn is (not) zero; never in an IT block. */
export function transT16Cbz(ctx: ThumbContext, f: Fields<'i' | 'n' | 'o'>): boolean {
  if (ctx.inItBlock) return false;
  const b = ctx.b;
  // Both exits resume after an IT block this TB may have met: EXEC_STATE must not keep its ITSTATE.
  ctx.beforeExit(true);
  const skip = b.newLabel();
  b.brcond(f.o ? Cond.EQ : Cond.NE, f.n, b.const(0), skip);
  b.emit('goto_tb', 0, (ctx.pc + 4 + f.i * 2) | 0);
  b.setLabel(skip);
  b.emit('goto_tb', 1, ctx.nextPc);
  ctx.state = JumpState.ENDED;
  return true;
}

/** PUSH {list, lr}: STMDB SP!, with LR when M is set. */
export function transT16Push(ctx: ThumbContext, f: Fields<'M' | 'r'>): boolean {
  return transLdmStm(ctx, { p: 1, u: 0, S: 0, w: 1, L: 0, n: 13, r: f.r | (f.M << 14) });
}

/** POP {list, pc}: LDMIA SP!, with PC (an interworking return) when P is set. */
export function transT16Pop(ctx: ThumbContext, f: Fields<'P' | 'r'>): boolean {
  return transLdmStm(ctx, { p: 0, u: 1, S: 0, w: 1, L: 1, n: 13, r: f.r | (f.P << 15) });
}

/** STMIA Rn!, {list} and LDMIA Rn{!}, {list} (no writeback when Rn is in an LDM's list). */
export function transT16LdmStm(ctx: ThumbContext, f: Fields<'L' | 'n' | 'r'>): boolean {
  const inList = (f.r >> f.n) & 1;
  return transLdmStm(ctx, { p: 0, u: 1, S: 0, w: f.L && inList ? 0 : 1, L: f.L, n: f.n, r: f.r });
}

/** B<cond> label (imm8 * 2); conditions AL and NV are UDF and SVC, matched elsewhere. */
export function transT16BCond(ctx: ThumbContext, f: Fields<'c' | 'i'>): boolean {
  if (f.c >= 14 || ctx.inItBlock) return false;
  ctx.condJump(f.c, (ctx.pc + 4 + ((f.i << 24) >> 23)) | 0);
  return true;
}

/** B label (imm11 * 2). */
export function transT16B(ctx: ThumbContext, f: Fields<'i'>): boolean {
  ctx.jumpDirect((ctx.pc + 4 + ((f.i << 21) >> 20)) | 0);
  return true;
}

/** IT{x{y{z}}} firstcond: mask 0 is the hint space (matched first). */
export function transT16It(ctx: ThumbContext, f: Fields<'c' | 'm'>): boolean {
  if (ctx.inItBlock || f.c === 15 || (f.c === 14 && (f.m & (f.m - 1)) !== 0)) return false;
  ctx.newItState = (f.c << 4) | f.m;
  return true;
}
