// Single loads and stores (ARM ARM A5.3, A5.2.8): LDR/STR/LDRB/STRB with
// immediate and scaled-register offsets, the halfword/signed/doubleword forms,
// and every indexing mode (offset, pre-indexed with writeback, post-indexed).

import type { Temp } from '../ir/builder.js';
import { MemOp } from '../ir/memop.js';
import type { Fields } from './decodetree.js';
import { genShiftImm } from './shifter.js';
import type { ArmContext } from './translate-context.js';

export interface Addressing {
  /** Address of the access. */
  addr: Temp;
  /** New base value to write back, or null. */
  writeback: Temp | null;
}

/** Base register n and the indexing bits: P (pre-index), U (add), W (writeback). */
type AddressingFields = Fields<'n' | 'p' | 'u' | 'w'>;
/** Base register n and transfer register t. */
type TransferFields = Fields<'n' | 't'>;
type LoadStoreFields = AddressingFields & TransferFields;

/** Computes the access address and writeback from P, U, W and an offset. */
function genAddressing(ctx: ArmContext, f: AddressingFields, offset: Temp): Addressing | null {
  return genIndexedAddress(ctx, f.n, f.p, f.u, f.w, offset);
}

/** Rn +/- offset with pre-indexing (p), direction (u) and writeback (w), as both A32 and T32 encode them. */
export function genIndexedAddress(ctx: ArmContext, rn: number, p: number, u: number, w: number, offset: Temp): Addressing | null {
  // Writeback to PC is UNPREDICTABLE.
  if ((!p || w) && rn === 15) return null;
  const b = ctx.b;
  const base = ctx.reg(rn);
  const offAddr = u ? b.binary('add', base, offset) : b.binary('sub', base, offset);
  if (p) return { addr: offAddr, writeback: w ? offAddr : null };
  // Post-indexed (P=0): access at the base, always write back. W=1 is the
  // unprivileged (LDRT/STRT) form, the same thing in user mode.
  return { addr: base, writeback: offAddr };
}

function genLoadStore(ctx: ArmContext, f: TransferFields, am: Addressing | null, memop: number, isLoad: boolean): boolean {
  return genTransfer(ctx, f.t, f.n, am, memop, isLoad);
}

/** One load or store of Rt at `am` (Rn is written back when am says so). A load into PC interworks. */
export function genTransfer(ctx: ArmContext, rt: number, rn: number, am: Addressing | null, memop: number, isLoad: boolean): boolean {
  if (am === null) return false;
  const b = ctx.b;
  if (isLoad) {
    // A load into the written-back base is UNPREDICTABLE.
    if (am.writeback !== null && rt === rn) return false;
    if (rt === 15 && (memop & MemOp.SIZE_MASK) !== MemOp.SIZE_32) return false;
    const v = b.load(am.addr, memop, ctx.pc);
    if (am.writeback !== null) ctx.setReg(rn, am.writeback);
    ctx.setRegOrLoadPc(rt, v);
  } else {
    if (rt === 15 && (memop & MemOp.SIZE_MASK) !== MemOp.SIZE_32) return false;
    b.store(am.addr, ctx.reg(rt), memop, ctx.pc);
    if (am.writeback !== null) ctx.setReg(rn, am.writeback);
  }
  return true;
}

/** LDR/STR/LDRB/STRB Rt, [Rn, #+/-imm12] (all indexing modes). */
export function transLdStImm(ctx: ArmContext, f: LoadStoreFields & Fields<'B' | 'i' | 'L'>): boolean {
  const memop = f.B ? MemOp.SIZE_8 : MemOp.SIZE_32;
  return genLoadStore(ctx, f, genAddressing(ctx, f, ctx.b.const(f.i)), memop, f.L === 1);
}

/** LDR/STR/LDRB/STRB Rt, [Rn, +/-Rm {, shift #imm}] (all indexing modes). */
export function transLdStReg(ctx: ArmContext, f: LoadStoreFields & Fields<'B' | 'i' | 'L' | 'm' | 's'>): boolean {
  if (f.m === 15) return false;
  const offset = genShiftImm(ctx, ctx.reg(f.m), f.s, f.i).value;
  const memop = f.B ? MemOp.SIZE_8 : MemOp.SIZE_32;
  return genLoadStore(ctx, f, genAddressing(ctx, f, offset), memop, f.L === 1);
}

/** The "extra" load/store forms: op is (L << 2) | SH. */
function extraMemop(l: number, sh: number): { memop: number; isLoad: boolean; dual: boolean } | null {
  switch ((l << 2) | sh) {
    case 0b001: return { memop: MemOp.SIZE_16, isLoad: false, dual: false }; // STRH
    case 0b010: return { memop: MemOp.SIZE_32 | MemOp.ALIGN, isLoad: true, dual: true }; // LDRD
    case 0b011: return { memop: MemOp.SIZE_32 | MemOp.ALIGN, isLoad: false, dual: true }; // STRD
    case 0b101: return { memop: MemOp.SIZE_16, isLoad: true, dual: false }; // LDRH
    case 0b110: return { memop: MemOp.SIZE_8 | MemOp.SIGN, isLoad: true, dual: false }; // LDRSB
    case 0b111: return { memop: MemOp.SIZE_16 | MemOp.SIGN, isLoad: true, dual: false }; // LDRSH
    default: return null;
  }
}

function genExtra(ctx: ArmContext, f: LoadStoreFields & Fields<'h' | 'L'>, offset: () => Temp): boolean {
  const kind = extraMemop(f.L, f.h);
  if (kind === null) return false;
  if (!kind.dual) {
    if (f.t === 15) return false;
    return genLoadStore(ctx, f, genAddressing(ctx, f, offset()), kind.memop, kind.isLoad);
  }
  // LDRD / STRD: Rt even, Rt2 = Rt + 1, not LR/PC.
  const rt = f.t;
  if (rt & 1 || rt === 14) return false;
  return genDualTransfer(ctx, rt, rt + 1, f.n, genAddressing(ctx, f, offset()), kind.isLoad);
}

/** LDRD / STRD of Rt, Rt2 at `am` (two word accesses, each word-aligned). */
export function genDualTransfer(ctx: ArmContext, rt: number, rt2: number, rn: number, am: Addressing | null, isLoad: boolean): boolean {
  if (am === null || rt === 15 || rt2 === 15) return false;
  const b = ctx.b;
  const memop = MemOp.SIZE_32 | MemOp.ALIGN;
  const addr2 = b.binaryImm('add', am.addr, 4);
  if (isLoad) {
    if (rt === rt2 || (am.writeback !== null && (rn === rt || rn === rt2))) return false;
    const lo = b.load(am.addr, memop, ctx.pc);
    const hi = b.load(addr2, memop, ctx.pc);
    if (am.writeback !== null) ctx.setReg(rn, am.writeback);
    ctx.setReg(rt, lo);
    ctx.setReg(rt2, hi);
  } else {
    b.store(am.addr, ctx.reg(rt), memop, ctx.pc);
    b.store(addr2, ctx.reg(rt2), memop, ctx.pc);
    if (am.writeback !== null) ctx.setReg(rn, am.writeback);
  }
  return true;
}

/** LDRH/STRH/LDRSB/LDRSH/LDRD/STRD Rt, [Rn, #+/-imm8]. */
export function transLdStExtraImm(ctx: ArmContext, f: LoadStoreFields & Fields<'h' | 'i' | 'L'>): boolean {
  return genExtra(ctx, f, () => ctx.b.const(f.i));
}

/** LDRH/STRH/LDRSB/LDRSH/LDRD/STRD Rt, [Rn, +/-Rm]. */
export function transLdStExtraReg(ctx: ArmContext, f: LoadStoreFields & Fields<'h' | 'L' | 'm'>): boolean {
  if (f.m === 15) return false;
  return genExtra(ctx, f, () => f.m);
}
