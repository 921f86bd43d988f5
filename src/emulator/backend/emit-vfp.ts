// JavaScript for the IR op `vfp` (one VFP data-processing instruction; its
// operands are env words, see fpu/fp-op.ts).
//
// Fast path, inline: the operation on JS doubles read through Float64Array /
// Float32Array views of env (VD / VS), stored only when the result is
// provably what the ARM softfloat gives. That needs the status word to say
// round to nearest and IXC already set (then IEEE double arithmetic is the
// ARM result and only IXC, already set, could have been raised), a result
// that is finite and normal (no NaN rules, no overflow, no underflow;
// add/sub may also give zero, which is then exact), and under FZ operands
// that are normal or zero (nothing to flush; programs built with
// -ffast-math run with FZ set). binary32 is computed in double and rounded
// once with Math.fround: for + - * / sqrt the double rounding is innocuous
// (53 >= 2*24 + 2).
//
// Exact path: anything else calls vh (fpu/fpu-helper.ts), which redoes the
// instruction from the unchanged operand bits.

import { ConvFlag, Fpscr, VfpKind } from '../fpu/fp-op.js';
import { lit } from './js-names.js';

const MIN_NORMAL_64 = '2.2250738585072014e-308';
const MIN_NORMAL_32 = '1.1754943508222875e-38';

interface Precision {
  /** The register in env word w as a JS number. */
  reg(w: number): string;
  /** Rounds a double expression to the format. */
  round(e: string): string;
  readonly minNormal: string;
}

const P64: Precision = { reg: (w) => `VD[${w >> 1}]`, round: (e) => e, minNormal: MIN_NORMAL_64 };
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

export function emitVfp(args: readonly number[]): string {
  const [kind, dpFlag, d, n, m, status] = args as [VfpKind, number, number, number, number, number];
  const p = dpFlag ? P64 : P32;
  const call = `vh(${args.map(lit).join(', ')})`;
  const S = `R[${status}]`;
  const fast = `(${S} & ${Fpscr.FAST_MASK}) === ${Fpscr.FAST_VALUE}`;
  const bin = BINARY[kind];
  if (bin) {
    const zeroOk = kind === VfpKind.ADD || kind === VfpKind.SUB;
    const ok = zeroOk ? normalOrZero('x', p) : normal('x', p);
    return `{ const a = ${p.reg(n)}, b = ${p.reg(m)}, x = ${p.round(bin('a', 'b'))}; ` +
      `if (${fast} && ${ok} && ${fzInputsOk(S, ['a', 'b'], p)}) ${p.reg(d)} = x; else ${call}; }`;
  }
  const acc = ACCUMULATE[kind];
  if (acc) {
    return `{ const a = ${p.reg(n)}, b = ${p.reg(m)}, c = ${p.reg(d)}, p = ${p.round('a * b')}, x = ${p.round(acc('c'))}; ` +
      `if (${fast} && ${normal('p', p)} && ${normalOrZero('x', p)} && ${fzInputsOk(S, ['a', 'b', 'c'], p)}) ${p.reg(d)} = x; else ${call}; }`;
  }
  switch (kind) {
    case VfpKind.NMUL:
      return `{ const a = ${p.reg(n)}, b = ${p.reg(m)}, x = -${p.round('a * b')}; ` +
        `if (${fast} && ${normal('x', p)} && ${fzInputsOk(S, ['a', 'b'], p)}) ${p.reg(d)} = x; else ${call}; }`;
    case VfpKind.SQRT:
      // sqrt of a normal is normal: the result check also rules out a subnormal operand.
      return `{ const x = ${p.round(`Math.sqrt(${p.reg(m)})`)}; if (${fast} && ${normal('x', p)} && ${fzInputsOk(S, [p.reg(m)], p)}) ${p.reg(d)} = x; else ${call}; }`;
    case VfpKind.CMP: {
      // Ordered operands that FZ leaves alone: the relation is that of the JS doubles.
      const b = m < 0 ? '0' : p.reg(m);
      return `{ const a = ${p.reg(d)}, b = ${b}, f = ${S}; ` +
        `if (a === a && b === b && ${fzInputsOk('f', ['a', 'b'], p)}) ` +
        `${S} = (f & ${~Fpscr.NZCV_MASK}) | (a < b ? ${Fpscr.N | 0} : a === b ? ${Fpscr.Z | Fpscr.C} : ${Fpscr.C}); else ${call}; }`;
    }
    case VfpKind.CVT_FF:
      if (dpFlag) {
        // binary32 -> binary64 is exact for every non-NaN (subnormals too when FZ does not flush them).
        return `{ const x = ${P32.reg(m)}; if (x === x && ${fzInputsOk(S, ['x'], P32)}) ${P64.reg(d)} = x; else ${call}; }`;
      }
      // A subnormal binary64 operand gives a result far below binary32's normal range: exact path.
      return `{ const x = Math.fround(${P64.reg(m)}); if (${fast} && ${normal('x', P32)}) ${P32.reg(d)} = x; else ${call}; }`;
    case VfpKind.CVT_IF: {
      const v = n & ConvFlag.SIGNED ? `R[${m}]` : `(R[${m}] >>> 0)`;
      // Every int32/uint32 is exact in binary64.
      if (dpFlag) return `${P64.reg(d)} = ${v};`;
      return `{ const v = ${v}; if ((${S} & ${Fpscr.RMODE_MASK}) === 0) { const x = Math.fround(v); ` +
        `${P32.reg(d)} = x; if (x !== v) ${S} |= ${Fpscr.IXC}; } else ${call}; }`;
    }
    case VfpKind.CVT_FI: {
      if (!(n & ConvFlag.ROUND_ZERO)) return `${call};`;
      // In range and not NaN: truncation is ToInt32/ToUint32; IXC when it dropped a fraction.
      const signed = (n & ConvFlag.SIGNED) !== 0;
      const range = signed ? 'v > -2147483649 && v < 2147483648' : 'v > -1 && v < 4294967296';
      const conv = signed ? 'v | 0' : 'v >>> 0';
      return `{ const v = ${p.reg(m)}; if (${range} && ${fzInputsOk(S, ['v'], p)}) { const r = ${conv}; R[${d}] = r | 0; ` +
        `if (r !== v) ${S} |= ${Fpscr.IXC}; } else ${call}; }`;
    }
    case VfpKind.CVT_XF:
    case VfpKind.CVT_FX:
      return `${call};`;
    default:
      throw new Error(`internal: emitVfp: unknown kind ${kind}`);
  }
}
