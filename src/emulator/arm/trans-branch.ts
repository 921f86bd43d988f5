// Branches (ARM ARM A5.5, A5.2.12): B, BL, BX, BLX (register), BXJ, and BLX
// (immediate), which always switches to Thumb and is reported as unsupported.

import { ExitReason } from '../ir/exit-reason.js';
import type { Fields } from './decodetree.js';
import type { A32Context } from './translate-context.js';

function branchTarget(ctx: A32Context, imm24: number): number {
  // SignExtend(imm24:'00', 32) + PC, where PC reads as the instruction + 8.
  return (ctx.pc + 8 + ((imm24 << 8) >> 6)) | 0;
}

/** B / BL <label> */
export function transB(ctx: A32Context, f: Fields<'i' | 'L'>): boolean {
  if (f.L) ctx.setReg(14, ctx.b.const(ctx.pc + 4));
  ctx.jumpDirect(branchTarget(ctx, f.i));
  return true;
}

/** BLX <label>: ARM to Thumb, which mttcg-lab does not emulate. */
export function transBlxImm(ctx: A32Context): boolean {
  ctx.exitSpecial(ExitReason.UNSUPPORTED, ctx.pc);
  return true;
}

/** BX Rm / BXJ Rm (BXJ is BX without Jazelle). */
export function transBx(ctx: A32Context, f: Fields<'m'>): boolean {
  ctx.writePc(ctx.reg(f.m));
  return true;
}

/** BLX Rm */
export function transBlxReg(ctx: A32Context, f: Fields<'m'>): boolean {
  if (f.m === 15) return false;
  // Read Rm before LR is written: BLX LR must jump to the old LR.
  const target = ctx.b.copy(f.m);
  ctx.setReg(14, ctx.b.const(ctx.pc + 4));
  ctx.writePc(target);
  return true;
}
