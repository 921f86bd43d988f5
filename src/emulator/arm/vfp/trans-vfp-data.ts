// VFP data-processing instructions (ARM ARM A7.5): the arithmetic, compare
// and convert instructions become one `vfp` IR op each; the bit-level ones
// (VMOV register/immediate, VABS, VNEG) become integer ops on the register
// words, so a NaN's bits pass unchanged. Field letters: x:dddd = D:Vd,
// y:nnnn = N:Vn, z:mmmm = M:Vm, s = sz (1 for double).

import type { Fields } from '../decodetree.js';
import { ConvFlag, VfpKind } from '../../fpu/fp-op.js';
import { dreg, genVfp, regWord, sreg, type VfpContext } from './vfp-context.js';
import { dregSlot, sregSlot } from './vfp-state.js';

interface Regs {
  readonly dp: boolean;
  readonly d: number;
  readonly n: number;
  readonly m: number;
}

/** Operand registers in the instruction's precision; null if one is d16-d31. */
function regs(f: Fields): Regs | null {
  if (f.s) {
    const d = dreg(f, 'd', 'x');
    const n = f.n === undefined ? 0 : dreg(f, 'n', 'y');
    const m = f.m === undefined ? 0 : dreg(f, 'm', 'z');
    return d < 0 || n < 0 || m < 0 ? null : { dp: true, d, n, m };
  }
  return {
    dp: false,
    d: sreg(f, 'd', 'x'),
    n: f.n === undefined ? 0 : sreg(f, 'n', 'y'),
    m: f.m === undefined ? 0 : sreg(f, 'm', 'z'),
  };
}

/** The three-register arithmetic rows; `o` is the row's op bit (bit 6). */
function threeOp(kindWhen0: VfpKind, kindWhen1: VfpKind) {
  return (ctx: VfpContext, f: Fields): boolean => {
    const r = regs(f);
    if (r === null) return false;
    genVfp(ctx, f.o ? kindWhen1 : kindWhen0, r.dp, regWord(r.d, r.dp), regWord(r.n, r.dp), regWord(r.m, r.dp));
    return true;
  };
}

/** VMLA / VMLS */
export const transVmla = threeOp(VfpKind.MLA, VfpKind.MLS);
/** VNMLS / VNMLA */
export const transVnmla = threeOp(VfpKind.NMLS, VfpKind.NMLA);
/** VMUL / VNMUL */
export const transVmul = threeOp(VfpKind.MUL, VfpKind.NMUL);
/** VADD / VSUB */
export const transVadd = threeOp(VfpKind.ADD, VfpKind.SUB);
/** VDIV */
export const transVdiv = threeOp(VfpKind.DIV, VfpKind.DIV);

/** VSQRT */
export function transVsqrt(ctx: VfpContext, f: Fields): boolean {
  const r = regs(f);
  if (r === null) return false;
  genVfp(ctx, VfpKind.SQRT, r.dp, regWord(r.d, r.dp), 0, regWord(r.m, r.dp));
  return true;
}

/** VFPExpandImm: the bits of VMOV's 8-bit immediate as [low word, high word]. */
export function vfpExpandImm(imm8: number, dp: boolean): [number, number] {
  const sign = (imm8 >> 7) & 1;
  const b6 = (imm8 >> 6) & 1;
  const low6 = imm8 & 0x3f;
  if (dp) {
    const top16 = (sign << 15) | (b6 ? 0x3fc0 : 0x4000) | low6;
    return [0, top16 << 16];
  }
  const top16 = (sign << 15) | (b6 ? 0x3e00 : 0x4000) | (low6 << 3);
  return [top16 << 16, 0];
}

/** VMOV (immediate). Fields: i (imm4H:imm4L). */
export function transVmovImm(ctx: VfpContext, f: Fields): boolean {
  const r = regs(f);
  if (r === null) return false;
  const [lo, hi] = vfpExpandImm(f.i!, r.dp);
  const b = ctx.b;
  if (r.dp) {
    b.stEnv(dregSlot(r.d), b.const(lo));
    b.stEnv(dregSlot(r.d) + 1, b.const(hi));
  } else {
    b.stEnv(sregSlot(r.d), b.const(lo));
  }
  return true;
}

const enum SignOp {
  KEEP = 0,
  CLEAR = 1,
  FLIP = 2,
}

/** A copy of Vm to Vd with the sign bit kept, cleared or flipped: bits only, no flags. */
function genSignOp(ctx: VfpContext, f: Fields, op: SignOp): boolean {
  const r = regs(f);
  if (r === null) return false;
  const b = ctx.b;
  const apply = (t: number): number => op === SignOp.KEEP ? t
    : op === SignOp.CLEAR ? b.binaryImm('and', t, 0x7fffffff) : b.binaryImm('xor', t, 0x80000000);
  if (r.dp) {
    const lo = b.ldEnv(dregSlot(r.m));
    const hi = b.ldEnv(dregSlot(r.m) + 1);
    b.stEnv(dregSlot(r.d), lo);
    b.stEnv(dregSlot(r.d) + 1, apply(hi));
  } else {
    b.stEnv(sregSlot(r.d), apply(b.ldEnv(sregSlot(r.m))));
  }
  return true;
}

/** VMOV (register) / VABS (o = 1). */
export function transVmovAbs(ctx: VfpContext, f: Fields): boolean {
  return genSignOp(ctx, f, f.o ? SignOp.CLEAR : SignOp.KEEP);
}

/** VNEG */
export function transVneg(ctx: VfpContext, f: Fields): boolean {
  return genSignOp(ctx, f, SignOp.FLIP);
}

/** VCMP / VCMPE (e = 1), against Vm or (zero row) against +0. */
export function transVcmp(ctx: VfpContext, f: Fields, withZero: boolean): boolean {
  const r = regs(f);
  if (r === null) return false;
  genVfp(ctx, VfpKind.CMP, r.dp, regWord(r.d, r.dp), f.e!, withZero ? -1 : regWord(r.m, r.dp));
  return true;
}

/** VCVT between double and single: s = 1 converts Dm to Sd, s = 0 converts Sm to Dd. */
export function transVcvtPrecision(ctx: VfpContext, f: Fields): boolean {
  if (f.s) {
    const m = dreg(f, 'm', 'z');
    if (m < 0) return false;
    genVfp(ctx, VfpKind.CVT_FF, false, sregSlot(sreg(f, 'd', 'x')), 0, dregSlot(m));
  } else {
    const d = dreg(f, 'd', 'x');
    if (d < 0) return false;
    genVfp(ctx, VfpKind.CVT_FF, true, dregSlot(d), 0, sregSlot(sreg(f, 'm', 'z')));
  }
  return true;
}

/** VCVT.F32/F64.S32/U32 Sm: o = 1 for a signed source. */
export function transVcvtFromInt(ctx: VfpContext, f: Fields): boolean {
  const d = f.s ? dreg(f, 'd', 'x') : sreg(f, 'd', 'x');
  if (d < 0) return false;
  genVfp(ctx, VfpKind.CVT_IF, f.s === 1, regWord(d, f.s === 1), f.o ? ConvFlag.SIGNED : 0, sregSlot(sreg(f, 'm', 'z')));
  return true;
}

/** VCVT{R}.S32/U32.F32/F64 Sd: u = 1 for signed (opc2<0>), o = 1 rounds toward zero (VCVT), 0 uses FPSCR (VCVTR). */
export function transVcvtToInt(ctx: VfpContext, f: Fields): boolean {
  const m = f.s ? dreg(f, 'm', 'z') : sreg(f, 'm', 'z');
  if (m < 0) return false;
  const flags = (f.u ? ConvFlag.SIGNED : 0) | (f.o ? ConvFlag.ROUND_ZERO : 0);
  genVfp(ctx, VfpKind.CVT_FI, f.s === 1, sregSlot(sreg(f, 'd', 'x')), flags, regWord(m, f.s === 1));
  return true;
}

/**
 * VCVT between floating point and fixed point, in place on Vd. Fields:
 * t = op (1: to fixed), u = U (1: unsigned), w = sx (1: 32-bit), i = imm4, j = i.
 */
export function transVcvtFixed(ctx: VfpContext, f: Fields): boolean {
  const d = f.s ? dreg(f, 'd', 'x') : sreg(f, 'd', 'x');
  if (d < 0) return false;
  const width = f.w ? 32 : 16;
  // frac_bits = size - imm4:i (negative values are UNPREDICTABLE; scaled as qemu-arm does).
  const fracBits = width - ((f.i! << 1) | f.j!);
  const flags = (f.u ? 0 : ConvFlag.SIGNED) | (f.w ? ConvFlag.WIDTH32 : 0);
  genVfp(ctx, f.t ? VfpKind.CVT_FX : VfpKind.CVT_XF, f.s === 1, regWord(d, f.s === 1), flags, fracBits);
  return true;
}
