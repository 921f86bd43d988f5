// Comparison conditions used by setcond, movcond and brcond (TCG's TCGCond).

export const enum Cond {
  EQ = 0,
  NE = 1,
  LT = 2, // signed
  GE = 3,
  LE = 4,
  GT = 5,
  LTU = 6, // unsigned
  GEU = 7,
  LEU = 8,
  GTU = 9,
}

export const COND_NAMES = ['eq', 'ne', 'lt', 'ge', 'le', 'gt', 'ltu', 'geu', 'leu', 'gtu'] as const;

export function invertCond(c: Cond): Cond {
  switch (c) {
    case Cond.EQ: return Cond.NE;
    case Cond.NE: return Cond.EQ;
    case Cond.LT: return Cond.GE;
    case Cond.GE: return Cond.LT;
    case Cond.LE: return Cond.GT;
    case Cond.GT: return Cond.LE;
    case Cond.LTU: return Cond.GEU;
    case Cond.GEU: return Cond.LTU;
    case Cond.LEU: return Cond.GTU;
    case Cond.GTU: return Cond.LEU;
  }
}

/** Evaluates a condition on two int32 values (used by the constant folder). */
export function evalCond(c: Cond, a: number, b: number): boolean {
  switch (c) {
    case Cond.EQ: return a === b;
    case Cond.NE: return a !== b;
    case Cond.LT: return (a | 0) < (b | 0);
    case Cond.GE: return (a | 0) >= (b | 0);
    case Cond.LE: return (a | 0) <= (b | 0);
    case Cond.GT: return (a | 0) > (b | 0);
    case Cond.LTU: return a >>> 0 < b >>> 0;
    case Cond.GEU: return a >>> 0 >= b >>> 0;
    case Cond.LEU: return a >>> 0 <= b >>> 0;
    case Cond.GTU: return a >>> 0 > b >>> 0;
  }
}
