// Synchronization primitives (ARM ARM A5.2.10, A8.8.4x): LDREX*/STREX*/CLREX,
// SWP/SWPB and the DMB/DSB/ISB barriers. They become IR atomic ops; the
// backend asks the active strategy how to lower each one.

import { MemOp } from '../ir/memop.js';
import { BarrierKind } from '../ir/barrier-kind.js';
import type { Fields } from './decodetree.js';
import type { ArmContext } from './translate-context.js';

/** Exclusive access size, numbered as the A32 op field (bits 22..21) does. */
export const enum ExclSize { WORD = 0, DOUBLE = 1, BYTE = 2, HALF = 3 }

const EXCL_MEMOP = [MemOp.SIZE_32, MemOp.SIZE_64, MemOp.SIZE_8, MemOp.SIZE_16];

/** LDREX{B,H,D} Rt, [Rn] */
export function transLdrex(ctx: ArmContext, f: Fields<'n' | 'o' | 't'>): boolean {
  const rt = f.t;
  if (f.o === ExclSize.DOUBLE && (rt & 1 || rt === 14)) return false;
  return genLdrex(ctx, f.o, rt, rt + 1, f.n, null);
}

/** STREX{B,H,D} Rd, Rt, [Rn]: Rd = 0 on success, 1 on failure. */
export function transStrex(ctx: ArmContext, f: Fields<'d' | 'n' | 'o' | 't'>): boolean {
  const rt = f.t;
  if (f.o === ExclSize.DOUBLE && (rt & 1 || rt === 14)) return false;
  return genStrex(ctx, f.o, f.d, rt, rt + 1, f.n, null);
}

/**
 * LDREX of `size` from Rn (+ `offset` bytes when not null: T32's LDREX has
 * one) into Rt, and Rt2 for a doubleword. UNPREDICTABLE register uses decline.
 */
export function genLdrex(ctx: ArmContext, size: ExclSize, rt: number, rt2: number, rn: number, offset: number | null): boolean {
  const dual = size === ExclSize.DOUBLE;
  if (rn === 15 || rt === 15 || (dual && (rt2 === 15 || rt2 === rt))) return false;
  const b = ctx.b;
  const lo = b.newTemp();
  const hi = b.newTemp();
  const addr = offset ? b.binaryImm('add', rn, offset) : rn;
  b.emit('ld_excl', lo, hi, addr, EXCL_MEMOP[size]! | MemOp.ALIGN, ctx.pc);
  ctx.setReg(rt, lo);
  if (dual) ctx.setReg(rt2, hi);
  return true;
}

/** STREX of Rt (and Rt2 for a doubleword) to Rn (+ `offset`): Rd = 0 on success, 1 on failure. */
export function genStrex(ctx: ArmContext, size: ExclSize, rd: number, rt: number, rt2: number, rn: number, offset: number | null): boolean {
  const dual = size === ExclSize.DOUBLE;
  if (rd === 15 || rt === 15 || rn === 15 || (dual && rt2 === 15)) return false;
  if (rd === rn || rd === rt || (dual && rd === rt2)) return false;
  const b = ctx.b;
  const status = b.newTemp();
  const hi = dual ? rt2 : b.const(0);
  const addr = offset ? b.binaryImm('add', rn, offset) : rn;
  b.emit('st_excl', status, addr, rt, hi, EXCL_MEMOP[size]! | MemOp.ALIGN, ctx.pc);
  ctx.setReg(rd, status);
  return true;
}

export function transClrex(ctx: ArmContext): boolean {
  ctx.b.emit('clrex');
  return true;
}

/** SWP{B} Rt, Rt2, [Rn]: Rt = [Rn]; [Rn] = Rt2, atomically. */
export function transSwp(ctx: ArmContext, f: Fields<'B' | 'm' | 'n' | 't'>): boolean {
  if (f.t === 15 || f.m === 15 || f.n === 15 || f.n === f.t || f.n === f.m) return false;
  const b = ctx.b;
  const old = b.newTemp();
  b.emit('swap', old, f.n, f.m, f.B ? MemOp.SIZE_8 : MemOp.SIZE_32 | MemOp.ALIGN, ctx.pc);
  ctx.setReg(f.t, old);
  return true;
}

export function transDmb(ctx: ArmContext): boolean {
  ctx.b.emit('mb', BarrierKind.DMB);
  return true;
}

export function transDsb(ctx: ArmContext): boolean {
  ctx.b.emit('mb', BarrierKind.DSB);
  return true;
}

/** ISB also ends the TB, so that code invalidated by other vCPUs is seen next. */
export function transIsb(ctx: ArmContext): boolean {
  ctx.b.emit('mb', BarrierKind.ISB);
  ctx.jumpDirect(ctx.nextPc);
  return true;
}
