// 32-bit Thumb memory instructions (ARM ARM A6.3.7-A6.3.10, A6.3.5, A6.3.6):
// single loads and stores in every T32 addressing form, literal loads from
// Align(PC, 4), the preload hints, LDRD/STRD, LDM/STM, the exclusives with
// their T32 word offset, and the table branches TBB/TBH.

import { MemOp } from '../ir/memop.js';
import type { Fields } from './decodetree.js';
import type { ArmContext } from './translate-context.js';
import { JumpState } from './translate-context.js';
import { transLdmStm } from './trans-load-store-multiple.js';
import { genDualTransfer, genIndexedAddress, genTransfer } from './trans-load-store.js';
import { ExclSize, genLdrex, genStrex } from './trans-synchronization.js';

/** MemOp of S (bit 24, sign) and size (bits 22..21); null for the unallocated S=1 word form. */
function singleMemop(sign: number, size: number): number | null {
  if (size === 3 || (sign && size === 2)) return null;
  return size | (sign ? MemOp.SIGN : 0);
}

/** A byte or halfword load into PC is a preload or memory hint: no effect. */
function isHint(f: Fields<'L' | 't'>, memop: number): boolean {
  return f.L === 1 && f.t === 15 && (memop & MemOp.SIZE_MASK) !== MemOp.SIZE_32;
}

/** Loads and stores: Rt, [Rn, #imm12] (positive offset, no writeback). */
export function transT32LdStImm12(ctx: ArmContext, f: Fields<'i' | 'L' | 'n' | 'S' | 't' | 'z'>): boolean {
  const memop = singleMemop(f.S, f.z);
  if (memop === null || (!f.L && (f.S || f.n === 15))) return false;
  if (isHint(f, memop)) return true;
  const addr = ctx.b.binaryImm('add', f.n, f.i);
  return genTransfer(ctx, f.t, f.n, { addr, writeback: null }, memop, f.L === 1);
}

/** Loads and stores: Rt, [Rn, #+/-imm8] with pre/post-indexing and writeback (P U W in bits 10..8). */
export function transT32LdStImm8(ctx: ArmContext, f: Fields<'i' | 'L' | 'n' | 'p' | 'S' | 't' | 'u' | 'w' | 'z'>): boolean {
  const memop = singleMemop(f.S, f.z);
  if (memop === null || (!f.L && (f.S || f.n === 15)) || (!f.p && !f.w)) return false;
  if (isHint(f, memop)) return true;
  const am = genIndexedAddress(ctx, f.n, f.p, f.u, f.w, ctx.b.const(f.i));
  return genTransfer(ctx, f.t, f.n, am, memop, f.L === 1);
}

/** Loads and stores: Rt, [Rn, Rm {, LSL #imm2}]. */
export function transT32LdStReg(ctx: ArmContext, f: Fields<'i' | 'L' | 'm' | 'n' | 'S' | 't' | 'z'>): boolean {
  const memop = singleMemop(f.S, f.z);
  if (memop === null || (!f.L && (f.S || f.n === 15)) || f.m === 13 || f.m === 15) return false;
  if (isHint(f, memop)) return true;
  const b = ctx.b;
  const addr = b.binary('add', f.n, f.i ? b.binaryImm('shl', f.m, f.i) : f.m);
  return genTransfer(ctx, f.t, f.n, { addr, writeback: null }, memop, f.L === 1);
}

/** Loads: Rt, [PC, #+/-imm12]: a literal load from Align(PC, 4). */
export function transT32LdrLiteral(ctx: ArmContext, f: Fields<'i' | 'S' | 't' | 'u' | 'z'>): boolean {
  const memop = singleMemop(f.S, f.z);
  if (memop === null) return false;
  if (isHint({ L: 1, t: f.t }, memop)) return true;
  const addr = ctx.b.const(f.u ? ctx.alignedPc + f.i : ctx.alignedPc - f.i);
  return genTransfer(ctx, f.t, 15, { addr, writeback: null }, memop, true);
}

/** LDRD/STRD Rt, Rt2, [Rn, #+/-imm8*4] (P=0 W=0 is the exclusive space, matched before). */
export function transT32LdStDual(ctx: ArmContext, f: Fields<'i' | 'L' | 'n' | 'p' | 't' | 'T' | 'u' | 'w'>): boolean {
  if (!f.p && !f.w) return false;
  const b = ctx.b;
  const offset = f.i * 4;
  if (f.n === 15) {
    if (f.w || !f.L) return false;
    const addr = b.const(f.u ? ctx.alignedPc + offset : ctx.alignedPc - offset);
    return genDualTransfer(ctx, f.t, f.T, 15, { addr, writeback: null }, true);
  }
  return genDualTransfer(ctx, f.t, f.T, f.n, genIndexedAddress(ctx, f.n, f.p, f.u, f.w, b.const(offset)), f.L === 1);
}

/** LDM/STM (IA) and LDMDB/STMDB Rn{!}, {list}; the other P/U pairs are RFE/SRS. */
export function transT32LdmStm(ctx: ArmContext, f: Fields<'L' | 'n' | 'p' | 'r' | 'u' | 'w'>): boolean {
  if (f.p === f.u) return false;
  return transLdmStm(ctx, { ...f, S: 0 });
}

/** LDREX Rt, [Rn, #imm8*4] */
export function transT32Ldrex(ctx: ArmContext, f: Fields<'i' | 'n' | 't'>): boolean {
  return genLdrex(ctx, ExclSize.WORD, f.t, 15, f.n, f.i * 4);
}

/** STREX Rd, Rt, [Rn, #imm8*4] */
export function transT32Strex(ctx: ArmContext, f: Fields<'d' | 'i' | 'n' | 't'>): boolean {
  return genStrex(ctx, ExclSize.WORD, f.d, f.t, 15, f.n, f.i * 4);
}

/** T32 op (bits 5..4) of LDREXB/H/D to the exclusive size. */
const EXCL_SIZES = [ExclSize.BYTE, ExclSize.HALF, -1, ExclSize.DOUBLE];

/** LDREXB/LDREXH Rt, [Rn] and LDREXD Rt, Rt2, [Rn]. */
export function transT32LdrexSized(ctx: ArmContext, f: Fields<'n' | 'o' | 't' | 'T'>): boolean {
  const size = EXCL_SIZES[f.o]!;
  if (size < 0 || (size !== ExclSize.DOUBLE && f.T !== 15)) return false;
  return genLdrex(ctx, size, f.t, f.T, f.n, null);
}

/** STREXB/STREXH Rd, Rt, [Rn] and STREXD Rd, Rt, Rt2, [Rn]. */
export function transT32StrexSized(ctx: ArmContext, f: Fields<'d' | 'n' | 'o' | 't' | 'T'>): boolean {
  const size = EXCL_SIZES[f.o]!;
  if (size < 0 || (size !== ExclSize.DOUBLE && f.T !== 15)) return false;
  return genStrex(ctx, size, f.d, f.t, f.T, f.n, null);
}

/** TBB [Rn, Rm] / TBH [Rn, Rm, LSL #1] (f.h): PC + 2 * the table entry; never leaves Thumb state. */
export function transT32TableBranch(ctx: ArmContext, f: Fields<'h' | 'm' | 'n'>): boolean {
  if (f.m === 13 || f.m === 15 || f.n === 13) return false;
  const b = ctx.b;
  const index = f.h ? b.binaryImm('shl', f.m, 1) : f.m;
  const entry = b.load(b.binary('add', ctx.reg(f.n), index), f.h ? MemOp.SIZE_16 : MemOp.SIZE_8, ctx.pc);
  ctx.beforeExit(true);
  b.emit('exit_indirect', b.binaryImm('add', b.binaryImm('shl', entry, 1), ctx.pc + 4));
  ctx.state = JumpState.ENDED;
  return true;
}
