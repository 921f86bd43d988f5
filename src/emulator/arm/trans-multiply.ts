// Multiplies and divides (ARM ARM A5.2.5, A5.2.7, A5.4.4): MUL/MLA/MLS,
// the 64-bit long forms, the halfword DSP multiplies, SMMUL and SDIV/UDIV.

import type { Temp } from '../ir/builder.js';
import { Cond } from '../ir/cond.js';
import { Env } from './cpu-state.js';
import type { Fields } from './decodetree.js';
import type { ArmContext } from './translate-context.js';

// No rest parameters, callbacks or array destructuring in this file's handlers: a new vCPU worker runs
// them unoptimised, where those allocate and call V8's iterator protocol per element.
function anyPc(a: number, b: number, c: number, d = 0): boolean {
  return a === 15 || b === 15 || c === 15 || d === 15;
}

/** MUL / MLA / MLS (Rd = Rn*Rm [+/- Ra]); f.o: 0 MUL, 1 MLA, 3 MLS. */
export function transMul(ctx: ArmContext, f: Fields<'a' | 'd' | 'm' | 'n' | 'o' | 'S'>): boolean {
  const op = f.o;
  if (op === 2) return false; // UMAAL: see transMulLong
  if (anyPc(f.d, f.n, f.m) || (op !== 0 && f.a === 15)) return false;
  const b = ctx.b;
  let res = b.binary('mul', f.n, f.m);
  if (op === 1) res = b.binary('add', res, f.a);
  else if (op === 3) res = b.binary('sub', f.a, res);
  if (f.S) {
    if (op === 3) return false; // MLS has no flag-setting form
    ctx.setNZ(res);
  }
  ctx.setReg(f.d, res);
  return true;
}

/** UMULL / UMLAL / SMULL / SMLAL / UMAAL: f.o is bits 23..21. */
export function transMulLong(ctx: ArmContext, f: Fields<'h' | 'l' | 'm' | 'n' | 'o' | 'S'>): boolean {
  const op = f.o;
  const lo = f.l;
  const hi = f.h;
  if (anyPc(lo, hi, f.n, f.m) || lo === hi) return false;
  const b = ctx.b;
  const umaal = op === 0b010;
  if (!umaal && (op & 0b100) === 0) return false;
  if (umaal && f.S) return false;
  const signed = (op & 0b010) !== 0 && !umaal;
  const accumulate = (op & 0b001) !== 0;
  let r = b.mul2(signed, f.n, f.m);
  if (umaal) {
    const zero = b.const(0);
    r = b.add2(r[0], r[1], lo, zero);
    r = b.add2(r[0], r[1], hi, zero);
  } else if (accumulate) {
    r = b.add2(r[0], r[1], lo, hi);
  }
  const rlo = r[0];
  const rhi = r[1];
  if (f.S) {
    b.setGlobal(Env.NF, rhi);
    b.setGlobal(Env.ZF, b.binary('or', rlo, rhi));
  }
  ctx.setReg(lo, rlo);
  ctx.setReg(hi, rhi);
  return true;
}

/** Sets Q when the signed 32-bit addition a + b overflowed into `sum`. */
function setQOnAddOverflow(ctx: ArmContext, a: Temp, bv: Temp, sum: Temp): void {
  const b = ctx.b;
  const ov = b.binary('andc', b.binary('xor', sum, a), b.binary('xor', a, bv));
  b.setGlobal(Env.QF, b.binary('or', Env.QF, b.binaryImm('shr', ov, 31)));
}

function half(ctx: ArmContext, r: Temp, top: number): Temp {
  return ctx.b.extract(r, top ? 16 : 0, 16, true);
}

/** SMLA<x><y> / SMUL<x><y> / SMLAL<x><y>: f.o is bits 22..21 (0 SMLA, 2 SMLAL, 3 SMUL). */
export function transSmulHalf(ctx: ArmContext, f: Fields<'a' | 'd' | 'm' | 'n' | 'o' | 'x' | 'y'>): boolean {
  const b = ctx.b;
  const op = f.o;
  const prod = b.binary('mul', half(ctx, f.n, f.x), half(ctx, f.m, f.y));
  if (op === 0) {
    if (anyPc(f.d, f.n, f.m, f.a)) return false;
    const sum = b.binary('add', prod, f.a);
    setQOnAddOverflow(ctx, prod, f.a, sum);
    ctx.setReg(f.d, sum);
  } else if (op === 3) {
    if (anyPc(f.d, f.n, f.m)) return false;
    ctx.setReg(f.d, prod);
  } else if (op === 2) {
    const lo = f.a;
    const hi = f.d;
    if (anyPc(lo, hi, f.n, f.m) || lo === hi) return false;
    const r = b.add2(lo, hi, prod, b.binaryImm('sar', prod, 31));
    ctx.setReg(lo, r[0]);
    ctx.setReg(hi, r[1]);
  } else {
    return false;
  }
  return true;
}

/** SMLAW<y> / SMULW<y>: (Rn * Rm.y) >> 16 [+ Ra]. f.u selects SMULW (1) or SMLAW (0). */
export function transSmulWord(ctx: ArmContext, f: Fields<'a' | 'd' | 'm' | 'n' | 'u' | 'y'>): boolean {
  if (anyPc(f.d, f.n, f.m) || (!f.u && f.a === 15)) return false;
  const b = ctx.b;
  const p = b.mul2(true, f.n, half(ctx, f.m, f.y));
  // Bits 47..16 of the 48-bit product.
  const prod = b.binary('or', b.binaryImm('shr', p[0], 16), b.binaryImm('shl', p[1], 16));
  if (f.u) {
    ctx.setReg(f.d, prod);
  } else {
    const sum = b.binary('add', prod, f.a);
    setQOnAddOverflow(ctx, prod, f.a, sum);
    ctx.setReg(f.d, sum);
  }
  return true;
}

/** SMMUL / SMMLA / SMMLS {R}: the top word of a 64-bit signed product. */
export function transSmmul(ctx: ArmContext, f: Fields<'a' | 'd' | 'm' | 'n' | 'o' | 'R'>): boolean {
  if (f.o === 1 || f.o === 2) return false;
  const sub = f.o === 3;
  const acc = f.a !== 15;
  if (anyPc(f.d, f.n, f.m) || (sub && !acc)) return false;
  const b = ctx.b;
  const zero = b.const(0);
  let r = b.mul2(true, f.n, f.m);
  if (acc) {
    r = sub ? b.sub2(zero, f.a, r[0], r[1]) : b.add2(r[0], r[1], zero, f.a);
  }
  if (f.R) r = b.add2(r[0], r[1], b.const(0x80000000), zero);
  ctx.setReg(f.d, r[1]);
  return true;
}

/** SMUAD / SMUSD / SMLAD / SMLSD {X}: dual signed 16-bit multiplies. */
export function transSmlad(ctx: ArmContext, f: Fields<'a' | 'd' | 'm' | 'n' | 'o' | 'X'>): boolean {
  if (anyPc(f.d, f.n, f.m)) return false;
  const b = ctx.b;
  const m = f.X ? b.binaryImm('rotr', f.m, 16) : f.m;
  const p1 = b.binary('mul', half(ctx, f.n, 0), half(ctx, m, 0));
  const p2 = b.binary('mul', half(ctx, f.n, 1), half(ctx, m, 1));
  let res: Temp;
  if (f.o === 1) {
    res = b.binary('sub', p1, p2); // cannot overflow
  } else {
    res = b.binary('add', p1, p2);
    setQOnAddOverflow(ctx, p1, p2, res);
  }
  if (f.a !== 15) {
    const sum = b.binary('add', res, f.a);
    setQOnAddOverflow(ctx, res, f.a, sum);
    res = sum;
  }
  ctx.setReg(f.d, res);
  return true;
}

/** SMLALD / SMLSLD {X}: RdHi:RdLo += (n.lo * m.lo) +/- (n.hi * m.hi), 64-bit, no Q. */
export function transSmlald(ctx: ArmContext, f: Fields<'h' | 'l' | 'm' | 'n' | 'o' | 'X'>): boolean {
  if (anyPc(f.h, f.l, f.n, f.m) || f.h === f.l) return false;
  const b = ctx.b;
  const m = f.X ? b.binaryImm('rotr', f.m, 16) : f.m;
  const p1 = b.binary('mul', half(ctx, f.n, 0), half(ctx, m, 0));
  const p2 = b.binary('mul', half(ctx, f.n, 1), half(ctx, m, 1));
  const p1hi = b.binaryImm('sar', p1, 31);
  const p2hi = b.binaryImm('sar', p2, 31);
  const dp = f.o === 1 ? b.sub2(p1, p1hi, p2, p2hi) : b.add2(p1, p1hi, p2, p2hi);
  const r = b.add2(f.l, f.h, dp[0], dp[1]);
  ctx.setReg(f.l, r[0]);
  ctx.setReg(f.h, r[1]);
  return true;
}

/** SDIV / UDIV (f.u = 1 for UDIV). Division by zero gives 0, as Linux configures. */
export function transDiv(ctx: ArmContext, f: Fields<'d' | 'm' | 'n' | 'u'>): boolean {
  if (anyPc(f.d, f.n, f.m)) return false;
  ctx.setReg(f.d, ctx.b.binary(f.u ? 'divu' : 'divs', f.n, f.m));
  return true;
}

/** QADD / QSUB / QDADD / QDSUB: f.o is bits 22..21. */
export function transQaddsub(ctx: ArmContext, f: Fields<'d' | 'm' | 'n' | 'o'>): boolean {
  if (anyPc(f.d, f.n, f.m)) return false;
  let n: Temp = f.n;
  if (f.o & 2) n = saturatingAdd(ctx, n, n, false);
  ctx.setReg(f.d, saturatingAdd(ctx, f.m, n, (f.o & 1) === 1));
  return true;
}

/** Signed saturating a + b (or a - b), setting Q on saturation. */
function saturatingAdd(ctx: ArmContext, a: Temp, bv: Temp, subtract: boolean): Temp {
  const b = ctx.b;
  const res = b.binary(subtract ? 'sub' : 'add', a, bv);
  const ov = subtract
    ? b.binary('and', b.binary('xor', a, bv), b.binary('xor', a, res))
    : b.binary('andc', b.binary('xor', res, a), b.binary('xor', a, bv));
  const zero = b.const(0);
  // On overflow the result saturates towards the sign of a.
  const sat = b.binary('xor', b.binaryImm('sar', a, 31), b.const(0x7fffffff));
  b.setGlobal(Env.QF, b.binary('or', Env.QF, b.binaryImm('shr', ov, 31)));
  return b.movcond(Cond.LT, ov, zero, sat, res);
}
