// The cold tier's steps for two-input ALU ops and comparisons. A TB's first
// build (backend/interp-tb.ts) uses one closure for every ALU op, which
// switches on the op: V8 meets one function, not one per op, in the short
// programs whose TBs run a few times, and optimises one. A TB rewritten
// because it runs often gets each op's own closures: one over two frame
// slots and one over a slot and an immediate (the second input was a temp
// set once by a movi, see backend/interp-peephole.ts), each monomorphic and
// free of calls. (A step shared by several ops through an inner call,
// `F[d] = f(F[a], F[b])`, made that call megamorphic: all closures of one
// function literal share V8's feedback.)

import { Cond, evalCond } from '../ir/cond.js';
import { STEP_NEXT, type Step } from './interp-step.js';

/** A step over frame F writing slot d from slot a and `b` (a slot, or an immediate for the `imm` form). */
type BinaryStep = (F: Int32Array, d: number, a: number, b: number) => Step;

export interface AluForms {
  readonly reg: BinaryStep;
  /** The second input is the immediate b (absent: the op takes no immediate). */
  readonly imm?: BinaryStep;
  /** The op is commutative: an immediate first input may be swapped into the second. */
  readonly commutes?: boolean;
}

export type AluOpcode = 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'andc' | 'shl' | 'shr' | 'sar' | 'rotr' | 'divs' | 'divu';

export const ALU: { readonly [K in AluOpcode]: AluForms } = {
  add: {
    reg: (F, d, a, b) => () => { F[d] = F[a]! + F[b]!; return STEP_NEXT; },
    imm: (F, d, a, k) => () => { F[d] = F[a]! + k; return STEP_NEXT; },
    commutes: true,
  },
  sub: {
    reg: (F, d, a, b) => () => { F[d] = F[a]! - F[b]!; return STEP_NEXT; },
    imm: (F, d, a, k) => () => { F[d] = F[a]! - k; return STEP_NEXT; },
  },
  mul: {
    reg: (F, d, a, b) => () => { F[d] = Math.imul(F[a]!, F[b]!); return STEP_NEXT; },
    imm: (F, d, a, k) => () => { F[d] = Math.imul(F[a]!, k); return STEP_NEXT; },
    commutes: true,
  },
  and: {
    reg: (F, d, a, b) => () => { F[d] = F[a]! & F[b]!; return STEP_NEXT; },
    imm: (F, d, a, k) => () => { F[d] = F[a]! & k; return STEP_NEXT; },
    commutes: true,
  },
  or: {
    reg: (F, d, a, b) => () => { F[d] = F[a]! | F[b]!; return STEP_NEXT; },
    imm: (F, d, a, k) => () => { F[d] = F[a]! | k; return STEP_NEXT; },
    commutes: true,
  },
  xor: {
    reg: (F, d, a, b) => () => { F[d] = F[a]! ^ F[b]!; return STEP_NEXT; },
    imm: (F, d, a, k) => () => { F[d] = F[a]! ^ k; return STEP_NEXT; },
    commutes: true,
  },
  andc: {
    reg: (F, d, a, b) => () => { F[d] = F[a]! & ~F[b]!; return STEP_NEXT; },
    imm: (F, d, a, k) => { const m = ~k; return () => { F[d] = F[a]! & m; return STEP_NEXT; }; },
  },
  shl: {
    reg: (F, d, a, b) => () => { F[d] = F[a]! << F[b]!; return STEP_NEXT; },
    imm: (F, d, a, k) => { const s = k & 31; return () => { F[d] = F[a]! << s; return STEP_NEXT; }; },
  },
  shr: {
    reg: (F, d, a, b) => () => { F[d] = F[a]! >>> F[b]!; return STEP_NEXT; },
    imm: (F, d, a, k) => { const s = k & 31; return () => { F[d] = F[a]! >>> s; return STEP_NEXT; }; },
  },
  sar: {
    reg: (F, d, a, b) => () => { F[d] = F[a]! >> F[b]!; return STEP_NEXT; },
    imm: (F, d, a, k) => { const s = k & 31; return () => { F[d] = F[a]! >> s; return STEP_NEXT; }; },
  },
  rotr: {
    reg: (F, d, a, b) => () => {
      const x = F[a]!, s = F[b]!;
      F[d] = (x >>> s) | (x << (32 - (s & 31)));
      return STEP_NEXT;
    },
  },
  divs: { reg: (F, d, a, b) => () => { const y = F[b]!; F[d] = y === 0 ? 0 : (F[a]! / y) | 0; return STEP_NEXT; } },
  divu: { reg: (F, d, a, b) => () => { const y = F[b]! >>> 0; F[d] = y === 0 ? 0 : ((F[a]! >>> 0) / y) | 0; return STEP_NEXT; } },
};

const ALU_INDEX: { readonly [K in AluOpcode]: number } = {
  add: 0, sub: 1, mul: 2, and: 3, or: 4, xor: 5, andc: 6, shl: 7, shr: 8, sar: 9, rotr: 10, divs: 11, divu: 12,
};

/** The one closure of a TB's first build for every two-input ALU op, over two slots. */
export function anyAluStep(opc: AluOpcode, F: Int32Array, d: number, a: number, b: number): Step {
  const k = ALU_INDEX[opc];
  return () => {
    const x = F[a]!, y = F[b]!;
    switch (k) {
      case 0: F[d] = x + y; break;
      case 1: F[d] = x - y; break;
      case 2: F[d] = Math.imul(x, y); break;
      case 3: F[d] = x & y; break;
      case 4: F[d] = x | y; break;
      case 5: F[d] = x ^ y; break;
      case 6: F[d] = x & ~y; break;
      case 7: F[d] = x << y; break;
      case 8: F[d] = x >>> y; break;
      case 9: F[d] = x >> y; break;
      case 10: F[d] = (x >>> y) | (x << (32 - (y & 31))); break;
      case 11: F[d] = y === 0 ? 0 : (x / y) | 0; break;
      default: F[d] = y === 0 ? 0 : ((x >>> 0) / (y >>> 0)) | 0;
    }
    return STEP_NEXT;
  };
}

/** A conditional branch's step: jumps (returns `jump`) when the condition holds. */
export function brcondStep(F: Int32Array, a: number, b: number, imm: boolean, c: Cond, jump: number, fast: boolean): Step {
  if (!fast) return () => (evalCond(c, F[a]!, F[b]!) ? jump : STEP_NEXT);
  // EQ and NE (flag tests) are most of them: their own closures; the rest through evalCond's switch.
  if (imm) {
    if (c === Cond.EQ) return () => (F[a] === b ? jump : STEP_NEXT);
    if (c === Cond.NE) return () => (F[a] !== b ? jump : STEP_NEXT);
    return () => (evalCond(c, F[a]!, b) ? jump : STEP_NEXT);
  }
  if (c === Cond.EQ) return () => (F[a] === F[b] ? jump : STEP_NEXT);
  if (c === Cond.NE) return () => (F[a] !== F[b] ? jump : STEP_NEXT);
  return () => (evalCond(c, F[a]!, F[b]!) ? jump : STEP_NEXT);
}

/** A setcond's step: slot d = 1 if the condition holds, else 0. */
export function setcondStep(F: Int32Array, d: number, a: number, b: number, imm: boolean, c: Cond): Step {
  if (imm) return () => { F[d] = evalCond(c, F[a]!, b) ? 1 : 0; return STEP_NEXT; };
  return () => { F[d] = evalCond(c, F[a]!, F[b]!) ? 1 : 0; return STEP_NEXT; };
}
