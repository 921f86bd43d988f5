// Synchronization primitives (ARM ARM A5.2.10, A8.8.4x): LDREX*/STREX*/CLREX,
// SWP/SWPB and the DMB/DSB/ISB barriers. They become IR atomic ops; the
// backend asks the active strategy how to lower each one.

import { MemOp } from '../ir/memop.js';
import { BarrierKind } from '../ir/barrier-kind.js';
import type { Fields } from './decodetree.js';
import type { A32Context } from './translate-context.js';

/** op field (bits 22..21): 0 word, 1 doubleword, 2 byte, 3 halfword. */
const EXCL_MEMOP = [MemOp.SIZE_32, MemOp.SIZE_64, MemOp.SIZE_8, MemOp.SIZE_16];

/** LDREX{B,H,D} Rt, [Rn] */
export function transLdrex(ctx: A32Context, f: Fields<'n' | 'o' | 't'>): boolean {
  const op = f.o;
  const rt = f.t;
  if (f.n === 15 || rt === 15) return false;
  if (op === 1 && (rt & 1 || rt === 14)) return false;
  const b = ctx.b;
  const lo = b.newTemp();
  const hi = b.newTemp();
  b.emit('ld_excl', lo, hi, f.n, EXCL_MEMOP[op]! | MemOp.ALIGN, ctx.pc);
  ctx.setReg(rt, lo);
  if (op === 1) ctx.setReg(rt + 1, hi);
  return true;
}

/** STREX{B,H,D} Rd, Rt, [Rn]: Rd = 0 on success, 1 on failure. */
export function transStrex(ctx: A32Context, f: Fields<'d' | 'n' | 'o' | 't'>): boolean {
  const op = f.o;
  const rd = f.d;
  const rt = f.t;
  if (rd === 15 || rt === 15 || f.n === 15) return false;
  if (rd === f.n || rd === rt || (op === 1 && (rt & 1 || rt === 14 || rd === rt + 1))) return false;
  const b = ctx.b;
  const status = b.newTemp();
  const hi = op === 1 ? rt + 1 : b.const(0);
  b.emit('st_excl', status, f.n, rt, hi, EXCL_MEMOP[op]! | MemOp.ALIGN, ctx.pc);
  ctx.setReg(rd, status);
  return true;
}

export function transClrex(ctx: A32Context): boolean {
  ctx.b.emit('clrex');
  return true;
}

/** SWP{B} Rt, Rt2, [Rn]: Rt = [Rn]; [Rn] = Rt2, atomically. */
export function transSwp(ctx: A32Context, f: Fields<'B' | 'm' | 'n' | 't'>): boolean {
  if (f.t === 15 || f.m === 15 || f.n === 15 || f.n === f.t || f.n === f.m) return false;
  const b = ctx.b;
  const old = b.newTemp();
  b.emit('swap', old, f.n, f.m, f.B ? MemOp.SIZE_8 : MemOp.SIZE_32 | MemOp.ALIGN, ctx.pc);
  ctx.setReg(f.t, old);
  return true;
}

export function transDmb(ctx: A32Context): boolean {
  ctx.b.emit('mb', BarrierKind.DMB);
  return true;
}

export function transDsb(ctx: A32Context): boolean {
  ctx.b.emit('mb', BarrierKind.DSB);
  return true;
}

/** ISB also ends the TB, so that code invalidated by other vCPUs is seen next. */
export function transIsb(ctx: A32Context): boolean {
  ctx.b.emit('mb', BarrierKind.ISB);
  ctx.jumpDirect(ctx.pc + 4);
  return true;
}
