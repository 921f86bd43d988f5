// A32 branches (ARM ARM A5.5, A5.2.12): B, BL, BX, BLX (register), BXJ, and
// BLX (immediate), which always switches to Thumb state.

import type { Fields } from './decodetree.js';
import type { ArmContext } from './translate-context.js';

function branchTarget(ctx: ArmContext, imm24: number): number {
  // SignExtend(imm24:'00', 32) + PC, where PC reads as the instruction + 8.
  return (ctx.pc + 8 + ((imm24 << 8) >> 6)) | 0;
}

/** B / BL <label> */
export function transB(ctx: ArmContext, f: Fields<'i' | 'L'>): boolean {
  if (f.L) ctx.setReg(14, ctx.b.const(ctx.linkValue));
  ctx.jumpDirect(branchTarget(ctx, f.i));
  return true;
}

/** BLX <label>: a call into Thumb code at PC + SignExtend(imm24:H:'0'). */
export function transBlxImm(ctx: ArmContext, f: Fields<'h' | 'i'>): boolean {
  ctx.setReg(14, ctx.b.const(ctx.linkValue));
  ctx.jumpDirectInterworking((branchTarget(ctx, f.i) + 2 * f.h) | 0, true);
  return true;
}

/** BX Rm / BXJ Rm (BXJ is BX without Jazelle). */
export function transBx(ctx: ArmContext, f: Fields<'m'>): boolean {
  ctx.bxWritePc(ctx.reg(f.m));
  return true;
}

/** BLX Rm */
export function transBlxReg(ctx: ArmContext, f: Fields<'m'>): boolean {
  if (f.m === 15) return false;
  // Read Rm before LR is written: BLX LR must jump to the old LR.
  const target = ctx.b.copy(f.m);
  ctx.setReg(14, ctx.b.const(ctx.linkValue));
  ctx.bxWritePc(target);
  return true;
}
