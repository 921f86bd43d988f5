// 32-bit Thumb branches and miscellaneous control (ARM ARM A6.3.4): B with
// and without a condition, BL, BLX to ARM code, and the status register
// moves MRS/MSR in their T32 layout.

import type { Fields } from './decodetree.js';
import type { ThumbContext } from './t32-context.js';
import * as misc from './trans-misc.js';

/** S:I1:I2:imm10:imm11:'0' with I1 = NOT(J1 XOR S), I2 = NOT(J2 XOR S), sign-extended (B T4, BL, BLX). */
function branchOffset24(f: Fields<'h' | 'J' | 'K' | 'k' | 's'>): number {
  const s = f.s;
  const i1 = 1 ^ f.J ^ s;
  const i2 = 1 ^ f.K ^ s;
  const v = (s << 24) | (i1 << 23) | (i2 << 22) | (f.h << 12) | (f.k << 1);
  return (v << 7) >> 7;
}

/** B<cond>.W label: S:J2:J1:imm6:imm11:'0' (B T3; conditions 111x are the control space). */
export function transT32BCond(ctx: ThumbContext, f: Fields<'c' | 'h' | 'J' | 'K' | 'k' | 's'>): boolean {
  if (f.c >= 14 || ctx.inItBlock) return false;
  const v = (f.s << 20) | (f.K << 19) | (f.J << 18) | (f.h << 12) | (f.k << 1);
  ctx.condJump(f.c, (ctx.pc + 4 + ((v << 11) >> 11)) | 0);
  return true;
}

/** B.W label (B T4). */
export function transT32B(ctx: ThumbContext, f: Fields<'h' | 'J' | 'K' | 'k' | 's'>): boolean {
  ctx.jumpDirect((ctx.pc + 4 + branchOffset24(f)) | 0);
  return true;
}

/** BL label: LR = the next instruction | 1. */
export function transT32Bl(ctx: ThumbContext, f: Fields<'h' | 'J' | 'K' | 'k' | 's'>): boolean {
  ctx.setReg(14, ctx.b.const(ctx.linkValue));
  ctx.jumpDirect((ctx.pc + 4 + branchOffset24(f)) | 0);
  return true;
}

/** BLX label: a call into ARM code at Align(PC, 4) + offset (bit 0 of imm11 must be 0). */
export function transT32BlxImm(ctx: ThumbContext, f: Fields<'h' | 'J' | 'K' | 'k' | 's'>): boolean {
  if (f.k & 1) return false;
  ctx.setReg(14, ctx.b.const(ctx.linkValue));
  ctx.jumpDirectInterworking((ctx.alignedPc + branchOffset24(f)) | 0, false);
  return true;
}

/** MRS Rd, APSR (R = 1, the SPSR, is UNPREDICTABLE in user mode). */
export function transT32Mrs(ctx: ThumbContext, f: Fields<'d' | 'R'>): boolean {
  if (f.R || f.d === 13 || f.d === 15) return false;
  return misc.transMrs(ctx, f);
}

/** MSR APSR_<nzcvq|g>, Rn: the T32 mask has the two APSR bits only. */
export function transT32Msr(ctx: ThumbContext, f: Fields<'m' | 'n' | 'R'>): boolean {
  if (f.R || f.m === 0 || f.n === 13 || f.n === 15) return false;
  return misc.transMsrReg(ctx, { n: f.n, m: f.m << 2 });
}
