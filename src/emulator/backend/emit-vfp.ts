// JavaScript for the IR op `vfp` (one VFP data-processing instruction; its
// operands are env words, see fpu/fp-op.ts).
//
// Generated code, in either tier, calls a per-vCPU function for the op's
// variant (vfp-fast-ops.ts): `VF[k](d, n, m, s)`. The variant k is the kind,
// the precision and the constant flags; d, n, m, s are the env words. One
// call instead of the whole check inline keeps regions small enough for the
// optimising JIT (a region of n-body's inner loop grew past V8's limit on
// the bytecode it optimises, so it ran unoptimised), and the interpreter
// gets the same fast path as compiled code.
//
// The function body (emitVfpFunction) is the fast path: the operation on JS
// doubles read through Float64Array / Float32Array views of env (VD / VS),
// stored only when the result is provably what the ARM softfloat gives. That
// needs the status word to say round to nearest and IXC already set (then
// IEEE double arithmetic is the ARM result and only IXC, already set, could
// have been raised), a result that is finite and normal (no NaN rules, no
// overflow, no underflow; add/sub may also give zero, which is then exact),
// and under FZ operands that are normal or zero (nothing to flush; programs
// built with -ffast-math run with FZ set). binary32 is computed in double
// and rounded once with Math.fround: for + - * / sqrt the double rounding is
// innocuous (53 >= 2*24 + 2).
//
// Exact path: anything else calls vh (fpu/fpu-helper.ts), which redoes the
// instruction from the unchanged operand bits.

import { ConvFlag, Fpscr, VfpKind } from '../fpu/fp-op.js';
import { lit } from './js-names.js';

const MIN_NORMAL_64 = '2.2250738585072014e-308';
const MIN_NORMAL_32 = '1.1754943508222875e-38';

/** Number of variants: (kind, dp, flags 0..7, compare-with-zero). */
export const VFP_VARIANTS = 16 * 2 * 8 * 2;

export interface VfpVariant {
  readonly kind: VfpKind;
  readonly dp: number;
  /** The constant n of the kinds that take flags there (CMP, the VCVTs), else 0. */
  readonly flags: number;
  /** CMP with m < 0: compare with +0. */
  readonly zero: boolean;
}

function hasFlags(kind: VfpKind): boolean {
  return kind === VfpKind.CMP || kind >= VfpKind.CVT_IF;
}

/** The variant index of a `vfp` op's constants (kind, dp, d, n, m, status). */
export function vfpVariantIndex(args: readonly number[]): number {
  const [kind, dp, , n, m] = args as [VfpKind, number, number, number, number];
  const flags = hasFlags(kind) ? n & 7 : 0;
  const zero = kind === VfpKind.CMP && m < 0 ? 1 : 0;
  return ((((kind & 15) << 1) | (dp & 1)) << 4) | (flags << 1) | zero;
}

export function vfpVariantOf(index: number): VfpVariant {
  return { kind: (index >> 5) as VfpKind, dp: (index >> 4) & 1, flags: (index >> 1) & 7, zero: (index & 1) === 1 };
}

/** The statement generated code runs for a `vfp` op: a call of its variant's function. */
export function emitVfp(args: readonly number[]): string {
  const [, , d, n, m, status] = args as [number, number, number, number, number, number];
  return `VF[${vfpVariantIndex(args)}](${lit(d)}, ${lit(n)}, ${lit(m)}, ${lit(status)});`;
}

interface Precision {
  /** The register in env word w (a JS expression) as a JS number. */
  reg(w: string): string;
  /** Rounds a double expression to the format. */
  round(e: string): string;
  readonly minNormal: string;
}

const P64: Precision = { reg: (w) => `VD[${w} >> 1]`, round: (e) => e, minNormal: MIN_NORMAL_64 };
const P32: Precision = { reg: (w) => `VS[${w}]`, round: (e) => `Math.fround(${e})`, minNormal: MIN_NORMAL_32 };

/** `x` is finite and normal (|x| in (min normal, max]); strict at the bottom, see below. */
function normal(x: string, p: Precision): string {
  // A result equal to the smallest normal may come from a tiny value rounded
  // up, which ARM (tininess before rounding) flags as underflow: exact path.
  return `(Math.abs(${x}) > ${p.minNormal} && Math.abs(${x}) < Infinity)`;
}

function normalOrZero(x: string, p: Precision): string {
  return `(${normal(x, p)} || ${x} === 0)`;
}

/** Under FZ, operands that FZ would flush (subnormals) take the exact path. */
function fzInputsOk(S: string, operands: readonly string[], p: Precision): string {
  const ok = operands.map((v) => `(${v} === 0 || Math.abs(${v}) >= ${p.minNormal})`).join(' && ');
  return `((${S} & ${Fpscr.FZ}) === 0 || ${ok})`;
}

const BINARY: Partial<Record<VfpKind, (n: string, m: string) => string>> = {
  [VfpKind.ADD]: (n, m) => `${n} + ${m}`,
  [VfpKind.SUB]: (n, m) => `${n} - ${m}`,
  [VfpKind.MUL]: (n, m) => `${n} * ${m}`,
  [VfpKind.DIV]: (n, m) => `${n} / ${m}`,
};

/** Accumulation after the rounded product p: d + p, d - p, -d - p, -d + p. */
const ACCUMULATE: Partial<Record<VfpKind, (d: string) => string>> = {
  [VfpKind.MLA]: (d) => `${d} + p`,
  [VfpKind.MLS]: (d) => `${d} - p`,
  [VfpKind.NMLA]: (d) => `-${d} - p`,
  [VfpKind.NMLS]: (d) => `-${d} + p`,
};

/**
 * The body of the variant's function over the parameters d, n, m (env words,
 * or flags and fraction bits where the kind says) and s (the status word),
 * with the bindings R (env), VD, VS and vh.
 */
export function emitVfpFunction(v: VfpVariant): string {
  const { kind, dp, flags } = v;
  const p = dp ? P64 : P32;
  const call = `vh(${lit(kind)}, ${lit(dp)}, d, n, m, s)`;
  const S = 'R[s]';
  const fast = `(${S} & ${Fpscr.FAST_MASK}) === ${Fpscr.FAST_VALUE}`;
  const bin = BINARY[kind];
  if (bin) {
    const zeroOk = kind === VfpKind.ADD || kind === VfpKind.SUB;
    const ok = zeroOk ? normalOrZero('x', p) : normal('x', p);
    return `const a = ${p.reg('n')}, b = ${p.reg('m')}, x = ${p.round(bin('a', 'b'))}; ` +
      `if (${fast} && ${ok} && ${fzInputsOk(S, ['a', 'b'], p)}) ${p.reg('d')} = x; else ${call};`;
  }
  const acc = ACCUMULATE[kind];
  if (acc) {
    return `const a = ${p.reg('n')}, b = ${p.reg('m')}, c = ${p.reg('d')}, p = ${p.round('a * b')}, x = ${p.round(acc('c'))}; ` +
      `if (${fast} && ${normal('p', p)} && ${normalOrZero('x', p)} && ${fzInputsOk(S, ['a', 'b', 'c'], p)}) ${p.reg('d')} = x; else ${call};`;
  }
  switch (kind) {
    case VfpKind.NMUL:
      return `const a = ${p.reg('n')}, b = ${p.reg('m')}, x = -${p.round('a * b')}; ` +
        `if (${fast} && ${normal('x', p)} && ${fzInputsOk(S, ['a', 'b'], p)}) ${p.reg('d')} = x; else ${call};`;
    case VfpKind.SQRT:
      // sqrt of a normal is normal: the result check also rules out a subnormal operand.
      return `const a = ${p.reg('m')}, x = ${p.round('Math.sqrt(a)')}; ` +
        `if (${fast} && ${normal('x', p)} && ${fzInputsOk(S, ['a'], p)}) ${p.reg('d')} = x; else ${call};`;
    case VfpKind.CMP: {
      // Ordered operands that FZ leaves alone: the relation is that of the JS doubles.
      const b = v.zero ? '0' : p.reg('m');
      return `const a = ${p.reg('d')}, b = ${b}, f = ${S}; ` +
        `if (a === a && b === b && ${fzInputsOk('f', ['a', 'b'], p)}) ` +
        `${S} = (f & ${~Fpscr.NZCV_MASK}) | (a < b ? ${Fpscr.N | 0} : a === b ? ${Fpscr.Z | Fpscr.C} : ${Fpscr.C}); else ${call};`;
    }
    case VfpKind.CVT_FF:
      if (dp) {
        // binary32 -> binary64 is exact for every non-NaN (subnormals too when FZ does not flush them).
        return `const x = ${P32.reg('m')}; if (x === x && ${fzInputsOk(S, ['x'], P32)}) ${P64.reg('d')} = x; else ${call};`;
      }
      // A subnormal binary64 operand gives a result far below binary32's normal range: exact path.
      return `const x = Math.fround(${P64.reg('m')}); if (${fast} && ${normal('x', P32)}) ${P32.reg('d')} = x; else ${call};`;
    case VfpKind.CVT_IF: {
      const value = flags & ConvFlag.SIGNED ? 'R[m]' : '(R[m] >>> 0)';
      // Every int32/uint32 is exact in binary64.
      if (dp) return `${P64.reg('d')} = ${value};`;
      return `const v = ${value}; if ((${S} & ${Fpscr.RMODE_MASK}) === 0) { const x = Math.fround(v); ` +
        `${P32.reg('d')} = x; if (x !== v) ${S} |= ${Fpscr.IXC}; } else ${call};`;
    }
    case VfpKind.CVT_FI: {
      if (!(flags & ConvFlag.ROUND_ZERO)) return `${call};`;
      // In range and not NaN: truncation is ToInt32/ToUint32; IXC when it dropped a fraction.
      const signed = (flags & ConvFlag.SIGNED) !== 0;
      const range = signed ? 'v > -2147483649 && v < 2147483648' : 'v > -1 && v < 4294967296';
      const conv = signed ? 'v | 0' : 'v >>> 0';
      return `const v = ${p.reg('m')}; if (${range} && ${fzInputsOk(S, ['v'], p)}) { const r = ${conv}; R[d] = r | 0; ` +
        `if (r !== v) ${S} |= ${Fpscr.IXC}; } else ${call};`;
    }
    case VfpKind.CVT_XF:
    case VfpKind.CVT_FX:
      return `${call};`;
    default:
      throw new Error(`internal: emitVfpFunction: unknown kind ${kind}`);
  }
}
