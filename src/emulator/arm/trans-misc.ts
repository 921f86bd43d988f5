// Media and miscellaneous instructions (ARM ARM A5.2.12, A5.4): CLZ, byte
// reversal, extension, bitfields, saturation, packing, SEL, MRS/MSR and hints.

import type { Temp } from '../ir/builder.js';
import { Cond } from '../ir/cond.js';
import { ExitReason } from '../ir/exit-reason.js';
import { Env } from './cpu-state.js';
import type { Fields } from './decodetree.js';
import type { ArmContext } from './translate-context.js';

function unaryReg(ctx: ArmContext, f: Fields<'d' | 'm'>, opc: 'clz' | 'bswap32' | 'bswap16' | 'rbit'): boolean {
  if (f.d === 15 || f.m === 15) return false;
  ctx.setReg(f.d, ctx.b.unary(opc, f.m));
  return true;
}

export const transClz = (ctx: ArmContext, f: Fields<'d' | 'm'>): boolean => unaryReg(ctx, f, 'clz');
export const transRev = (ctx: ArmContext, f: Fields<'d' | 'm'>): boolean => unaryReg(ctx, f, 'bswap32');
export const transRev16 = (ctx: ArmContext, f: Fields<'d' | 'm'>): boolean => unaryReg(ctx, f, 'bswap16');
export const transRbit = (ctx: ArmContext, f: Fields<'d' | 'm'>): boolean => unaryReg(ctx, f, 'rbit');

/** REVSH: byte-reverse the low halfword and sign-extend it. */
export function transRevsh(ctx: ArmContext, f: Fields<'d' | 'm'>): boolean {
  if (f.d === 15 || f.m === 15) return false;
  const b = ctx.b;
  ctx.setReg(f.d, b.unary('ext16s', b.unary('bswap16', f.m)));
  return true;
}

/** Adds the two halfwords of a and b independently (for the *XTAB16 forms). */
function addHalves(ctx: ArmContext, a: Temp, bv: Temp): Temp {
  const b = ctx.b;
  const lo = b.binaryImm('and', b.binary('add', a, bv), 0xffff);
  const hi = b.binary('add', b.binaryImm('and', a, -65536), b.binaryImm('and', bv, -65536));
  return b.binary('or', b.binaryImm('and', hi, -65536), lo);
}

/** SXTB/SXTH/UXTB/UXTH/SXTB16/UXTB16 and their accumulating forms (Rn != PC). f.o: bits 22..20. */
export function transExtend(ctx: ArmContext, f: Fields<'d' | 'm' | 'n' | 'o' | 'r'>): boolean {
  const op = f.o;
  if (op === 0b001 || op === 0b101) return false;
  if (f.d === 15 || f.m === 15) return false;
  const b = ctx.b;
  const v = f.r ? b.binaryImm('rotr', f.m, f.r * 8) : f.m;
  const signed = (op & 0b100) === 0;
  let ext: Temp;
  const size = op & 0b011;
  if (size === 0b00) {
    // *XTB16: bytes 0 and 2 into halfwords.
    const lo = signed ? b.unary('ext16u', b.unary('ext8s', v)) : b.unary('ext8u', v);
    const byte2 = b.extract(v, 16, 8, signed);
    ext = b.binary('or', lo, b.binaryImm('shl', byte2, 16));
    if (f.n !== 15) ext = addHalves(ctx, f.n, ext);
  } else {
    ext = b.unary(size === 0b10 ? (signed ? 'ext8s' : 'ext8u') : signed ? 'ext16s' : 'ext16u', v);
    if (f.n !== 15) ext = b.binary('add', f.n, ext);
  }
  ctx.setReg(f.d, ext);
  return true;
}

/** UBFX / SBFX Rd, Rn, #lsb, #width (f.w holds width-1). */
export function transBitfieldExtract(ctx: ArmContext, f: Fields<'d' | 'l' | 'n' | 'w'>, signed: boolean): boolean {
  const lsb = f.l;
  const width = f.w + 1;
  if (f.d === 15 || f.n === 15 || lsb + width > 32) return false;
  ctx.setReg(f.d, ctx.b.extract(f.n, lsb, width, signed));
  return true;
}

/** BFI Rd, Rn, #lsb, #width / BFC when Rn is PC (f.w holds msb). */
export function transBitfieldInsert(ctx: ArmContext, f: Fields<'d' | 'l' | 'n' | 'w'>): boolean {
  const lsb = f.l;
  const msb = f.w;
  if (f.d === 15 || msb < lsb) return false;
  const src = f.n === 15 ? ctx.b.const(0) : f.n;
  ctx.setReg(f.d, ctx.b.deposit(f.d, src, lsb, msb - lsb + 1));
  return true;
}

/** Clamps a signed value to [lo, hi] and sets Q when it had to. */
function saturate(ctx: ArmContext, v: Temp, lo: number, hi: number): Temp {
  const b = ctx.b;
  const cLo = b.const(lo);
  const cHi = b.const(hi);
  const clampedHigh = b.movcond(Cond.GT, v, cHi, cHi, v);
  const res = b.movcond(Cond.LT, v, cLo, cLo, clampedHigh);
  b.setGlobal(Env.QF, b.binary('or', Env.QF, b.setcond(Cond.NE, res, v)));
  return res;
}

/** USAT / SSAT Rd, #sat, Rn {, LSL|ASR #imm}. */
export function transSat(ctx: ArmContext, f: Fields<'d' | 'h' | 'i' | 'n' | 's'>, unsigned: boolean): boolean {
  if (f.d === 15 || f.n === 15) return false;
  const b = ctx.b;
  let v: Temp = f.n;
  if (f.h) v = b.binaryImm('sar', v, f.s === 0 ? 31 : f.s);
  else if (f.s) v = b.binaryImm('shl', v, f.s);
  const n = unsigned ? f.i : f.i + 1;
  let res: Temp;
  if (unsigned) res = saturate(ctx, v, 0, n === 0 ? 0 : 2 ** n - 1);
  else res = n === 32 ? v : saturate(ctx, v, -(2 ** (n - 1)), 2 ** (n - 1) - 1);
  ctx.setReg(f.d, res);
  return true;
}

/** USAT16 / SSAT16: both halfwords saturated independently. */
export function transSat16(ctx: ArmContext, f: Fields<'d' | 'i' | 'n'>, unsigned: boolean): boolean {
  if (f.d === 15 || f.n === 15) return false;
  const b = ctx.b;
  const n = unsigned ? f.i : f.i + 1;
  const lo = unsigned ? 0 : -(2 ** (n - 1));
  const hi = unsigned ? 2 ** n - 1 : 2 ** (n - 1) - 1;
  const h0 = saturate(ctx, b.extract(f.n, 0, 16, true), lo, hi);
  const h1 = saturate(ctx, b.extract(f.n, 16, 16, true), lo, hi);
  ctx.setReg(f.d, b.binary('or', b.unary('ext16u', h0), b.binaryImm('shl', h1, 16)));
  return true;
}

/** PKHBT / PKHTB Rd, Rn, Rm {, LSL|ASR #imm}. */
export function transPkh(ctx: ArmContext, f: Fields<'d' | 'i' | 'm' | 'n' | 't'>): boolean {
  if (f.d === 15 || f.n === 15 || f.m === 15) return false;
  const b = ctx.b;
  if (f.t) {
    const shifted = b.binaryImm('sar', f.m, f.i === 0 ? 31 : f.i);
    ctx.setReg(f.d, b.binary('or', b.binaryImm('and', f.n, -65536), b.unary('ext16u', shifted)));
  } else {
    const shifted = b.binaryImm('shl', f.m, f.i);
    ctx.setReg(f.d, b.binary('or', b.unary('ext16u', f.n), b.binaryImm('and', shifted, -65536)));
  }
  return true;
}

/** SEL Rd, Rn, Rm: each byte from Rn where its GE flag is set, else from Rm. */
export function transSel(ctx: ArmContext, f: Fields<'d' | 'm' | 'n'>): boolean {
  if (f.d === 15 || f.n === 15 || f.m === 15) return false;
  const b = ctx.b;
  let mask = b.const(0);
  for (let i = 0; i < 4; i++) {
    const byteMask = b.binaryImm('mul', b.extract(Env.GE, i, 1, false), 0xff << (8 * i));
    mask = b.binary('or', mask, byteMask);
  }
  ctx.setReg(f.d, b.binary('or', b.binary('and', f.n, mask), b.binary('andc', f.m, mask)));
  return true;
}

/** MRS Rd, APSR: the flags, with the user-mode bits as qemu-arm reports them. */
export function transMrs(ctx: ArmContext, f: Fields<'d'>): boolean {
  if (f.d === 15) return false;
  const b = ctx.b;
  const n = b.binaryImm('and', Env.NF, 0x80000000);
  const z = b.binaryImm('shl', b.setcond(Cond.EQ, Env.ZF, b.const(0)), 30);
  const c = b.binaryImm('shl', Env.CF, 29);
  const v = b.binaryImm('shl', b.binaryImm('shr', Env.VF, 31), 28);
  const q = b.binaryImm('shl', Env.QF, 27);
  const ge = b.binaryImm('shl', Env.GE, 16);
  let r = b.binary('or', n, z);
  r = b.binary('or', r, c);
  r = b.binary('or', r, v);
  r = b.binary('or', r, q);
  r = b.binary('or', r, ge);
  ctx.setReg(f.d, b.binaryImm('or', r, 0x10));
  return true;
}

function writeApsr(ctx: ArmContext, mask: number, v: Temp): void {
  const b = ctx.b;
  if (mask & 0b10) {
    b.setGlobal(Env.NF, b.binaryImm('and', v, 0x80000000));
    b.setGlobal(Env.ZF, b.binaryImm('xor', b.extract(v, 30, 1, false), 1));
    b.setGlobal(Env.CF, b.extract(v, 29, 1, false));
    b.setGlobal(Env.VF, b.binaryImm('shl', b.extract(v, 28, 1, false), 31));
    b.setGlobal(Env.QF, b.extract(v, 27, 1, false));
  }
  if (mask & 0b01) b.setGlobal(Env.GE, b.extract(v, 16, 4, false));
}

/** MSR APSR_<fields>, Rn. Writes to the control fields are ignored in user mode. */
export function transMsrReg(ctx: ArmContext, f: Fields<'m' | 'n'>): boolean {
  if (f.n === 15) return false;
  writeApsr(ctx, f.m >> 2, f.n);
  return true;
}

/** MSR APSR_<fields>, #imm (mask 0 is the hint space, matched elsewhere). */
export function transMsrImm(ctx: ArmContext, f: Fields<'i' | 'm' | 'r'>): boolean {
  if (f.m === 0) return false;
  const r = f.r * 2;
  const value = r === 0 ? f.i : ((f.i >>> r) | (f.i << (32 - r))) | 0;
  writeApsr(ctx, f.m >> 2, ctx.b.const(value));
  return true;
}

/** NOP, YIELD, WFE, WFI, SEV, DBG and the other hints: no-ops in user mode. */
export function transHint(): boolean {
  return true;
}

/** BKPT: SIGTRAP. */
export function transBkpt(ctx: ArmContext): boolean {
  ctx.exitSpecial(ExitReason.BREAKPOINT, ctx.pc);
  return true;
}
