// ARMv6 parallel add/subtract (ARM ARM A5.4.1, A5.4.2): {S,Q,SH,U,UQ,UH} x
// {ADD16, ASX, SAX, SUB16, ADD8, SUB8}, built lane by lane from extract,
// add/sub, saturation or halving, and deposit. The S and U forms set GE.

import { Cond } from '../ir/cond.js';
import type { Temp } from '../ir/builder.js';
import { Env } from './cpu-state.js';
import type { Fields } from './decodetree.js';
import type { ArmContext } from './translate-context.js';

const enum Kind { S = 1, Q = 2, SH = 3, U = 5, UQ = 6, UH = 7 }

interface Lane {
  readonly nPos: number;
  readonly mPos: number;
  readonly sub: boolean;
}

/** Lanes per op2 (bits 7..5): ADD16, ASX, SAX, SUB16, -, -, ADD8?, SUB8 at 4 and 7. */
function lanesFor(op: number): { size: number; lanes: Lane[] } | null {
  switch (op) {
    case 0: return { size: 16, lanes: [{ nPos: 0, mPos: 0, sub: false }, { nPos: 16, mPos: 16, sub: false }] };
    case 1: return { size: 16, lanes: [{ nPos: 0, mPos: 16, sub: true }, { nPos: 16, mPos: 0, sub: false }] };
    case 2: return { size: 16, lanes: [{ nPos: 0, mPos: 16, sub: false }, { nPos: 16, mPos: 0, sub: true }] };
    case 3: return { size: 16, lanes: [{ nPos: 0, mPos: 0, sub: true }, { nPos: 16, mPos: 16, sub: true }] };
    case 4:
    case 7:
      return { size: 8, lanes: [0, 8, 16, 24].map((p) => ({ nPos: p, mPos: p, sub: op === 7 })) };
    default:
      return null;
  }
}

function clamp(ctx: ArmContext, v: Temp, lo: number, hi: number): Temp {
  const b = ctx.b;
  const loT = b.const(lo);
  const hiT = b.const(hi);
  const low = b.movcond(Cond.LT, v, loT, loT, v);
  return b.movcond(Cond.GT, low, hiT, hiT, low);
}

export function transParallelAddSub(ctx: ArmContext, f: Fields<'d' | 'm' | 'n' | 'o' | 'p'>): boolean {
  const shape = lanesFor(f.o);
  if (shape === null || f.p === 0 || f.p === 4 || f.d === 15 || f.n === 15 || f.m === 15) return false;
  const kind = f.p as Kind;
  const b = ctx.b;
  const signed = kind < 4;
  const { size, lanes } = shape;
  let result = b.const(0);
  let ge = b.const(0);
  lanes.forEach((lane, i) => {
    const x = b.extract(f.n, lane.nPos, size, signed);
    const y = b.extract(f.m, lane.mPos, size, signed);
    let r = b.binary(lane.sub ? 'sub' : 'add', x, y);
    if (kind === Kind.S || kind === Kind.U) {
      // GE: signed result >= 0; unsigned: carry out of an add, no borrow in a sub.
      const limit = kind === Kind.U && !lane.sub ? 1 << size : 0;
      const bit = b.setcond(Cond.GE, r, b.const(limit));
      const geBits = size === 16 ? b.binaryImm('mul', bit, 3) : bit;
      ge = b.binary('or', ge, b.binaryImm('shl', geBits, size === 16 ? 2 * i : i));
    } else if (kind === Kind.Q) {
      r = clamp(ctx, r, -(1 << (size - 1)), (1 << (size - 1)) - 1);
    } else if (kind === Kind.UQ) {
      r = clamp(ctx, r, 0, (1 << size) - 1);
    } else {
      r = b.binaryImm('sar', r, 1);
    }
    result = b.deposit(result, r, lane.nPos, size);
  });
  ctx.setReg(f.d, result);
  if (kind === Kind.S || kind === Kind.U) b.setGlobal(Env.GE, ge);
  return true;
}

/** USAD8 / USADA8: sum of absolute byte differences (plus Ra unless Ra is 15). */
export function transUsad8(ctx: ArmContext, f: Fields<'a' | 'd' | 'm' | 'n'>): boolean {
  if (f.d === 15 || f.n === 15 || f.m === 15) return false;
  const b = ctx.b;
  let sum = f.a === 15 ? b.const(0) : b.copy(f.a);
  for (let p = 0; p < 32; p += 8) {
    const d = b.binary('sub', b.extract(f.n, p, 8, false), b.extract(f.m, p, 8, false));
    const abs = b.movcond(Cond.LT, d, b.const(0), b.unary('neg', d), d);
    sum = b.binary('add', sum, abs);
  }
  ctx.setReg(f.d, sum);
  return true;
}
