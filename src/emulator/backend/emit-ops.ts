// The JavaScript lowering of every IR op, as one table keyed by opcode
// (QEMU's tcg_out_op). The table's type is derived from the IR table
// (ir/opcodes.ts), so an op added there without a lowering here is a compile
// error, not a run-time surprise. Operands are JS expressions chosen by the
// caller (locals in compiled regions, frame slots in interpreter snippets);
// constants are numbers and are formatted by js-names, never copied as text.

import type { AtomicLowering } from '../atomics/strategy.js';
import { Cond } from '../ir/cond.js';
import type { Opcode } from '../ir/opcodes.js';
import { emitLoad, emitStore } from './emit-memory.js';
import { emitVfp } from './emit-vfp.js';
import { lit } from './js-names.js';

/** What an op's lowering needs from the code around it. */
export interface JsEmitContext {
  /** The JS expression (an assignable one for outputs) holding an IR temp. */
  t(temp: number): string;
  readonly atomics: AtomicLowering;
  /**
   * Assignments (comma-separated, or '') that make env exact before a helper
   * that may fault: a region's globals live in locals (see emit-memory.ts).
   */
  readonly sync: string;
  /** The region local a STREX may start a store run in (store-announcement.ts: ANNOUNCED), or '' (none). */
  readonly announced?: string;
  /** insn_start: a marker, maybe a comment. */
  insnStart(pc: number, word: number): string;
  /** brcond: a forward branch to a label of the same block. */
  branch(test: string, label: number): string;
  set_label(label: number): string;
  /** goto_tb: a direct jump through exit slot `slot` to `dest`. */
  gotoTb(slot: number, dest: number): string;
  exitIndirect(pcExpr: string): string;
  exitSpecial(reason: number, pc: number): string;
}

export type OpLowering = (a: readonly number[], cx: JsEmitContext) => string;

/** `a cond b` as a JS boolean expression. */
export function condExpr(c: Cond, a: string, b: string): string {
  switch (c) {
    case Cond.EQ: return `${a} === ${b}`;
    case Cond.NE: return `${a} !== ${b}`;
    case Cond.LT: return `${a} < ${b}`;
    case Cond.GE: return `${a} >= ${b}`;
    case Cond.LE: return `${a} <= ${b}`;
    case Cond.GT: return `${a} > ${b}`;
    case Cond.LTU: return `(${a} >>> 0) < (${b} >>> 0)`;
    case Cond.GEU: return `(${a} >>> 0) >= (${b} >>> 0)`;
    case Cond.LEU: return `(${a} >>> 0) <= (${b} >>> 0)`;
    case Cond.GTU: return `(${a} >>> 0) > (${b} >>> 0)`;
  }
}

function mask(len: number): number {
  return len >= 32 ? -1 : (1 << len) - 1;
}

/** out = f(in1, in2) for a binary op. */
const binary = (f: (x: string, y: string) => string): OpLowering => (a, cx) => `${cx.t(a[0]!)} = ${f(cx.t(a[1]!), cx.t(a[2]!))};`;
const unary = (f: (x: string) => string): OpLowering => (a, cx) => `${cx.t(a[0]!)} = ${f(cx.t(a[1]!))};`;

/** Two outputs computed from the inputs into consts l and h first (an output may alias an input). */
const pair = (f: (ins: string[]) => [string, string]): OpLowering => (a, cx) => {
  const [l, h] = f(a.slice(2).map((x) => cx.t(x)));
  return `{ const l = ${l}, h = ${h}; ${cx.t(a[0]!)} = l; ${cx.t(a[1]!)} = h; }`;
};

export const OP_LOWERING: { readonly [K in Opcode]: OpLowering } = {
  mov: unary((x) => x),
  movi: (a, cx) => `${cx.t(a[0]!)} = ${lit(a[1]!)};`,
  add: binary((x, y) => `(${x} + ${y}) | 0`),
  sub: binary((x, y) => `(${x} - ${y}) | 0`),
  mul: binary((x, y) => `Math.imul(${x}, ${y})`),
  and: binary((x, y) => `${x} & ${y}`),
  or: binary((x, y) => `${x} | ${y}`),
  xor: binary((x, y) => `${x} ^ ${y}`),
  andc: binary((x, y) => `${x} & ~${y}`),
  neg: unary((x) => `(-${x}) | 0`),
  not: unary((x) => `~${x}`),
  shl: binary((x, y) => `${x} << ${y}`),
  shr: binary((x, y) => `(${x} >>> ${y}) | 0`),
  sar: binary((x, y) => `${x} >> ${y}`),
  rotr: binary((x, s) => `(${x} >>> ${s}) | (${x} << (32 - ${s}))`),
  clz: unary((x) => `Math.clz32(${x})`),
  bswap32: unary((x) => `(${x} << 24) | ((${x} & 0xff00) << 8) | ((${x} >>> 8) & 0xff00) | (${x} >>> 24)`),
  bswap16: unary((x) => `((${x} >>> 8) & 0x00ff00ff) | ((${x} & 0x00ff00ff) << 8)`),
  rbit: unary((x) => `rbit(${x})`),
  ext8s: unary((x) => `(${x} << 24) >> 24`),
  ext8u: unary((x) => `${x} & 0xff`),
  ext16s: unary((x) => `(${x} << 16) >> 16`),
  ext16u: unary((x) => `${x} & 0xffff`),
  extract: (a, cx) => {
    const [pos, len] = [a[2]!, a[3]!];
    if (len >= 32) return `${cx.t(a[0]!)} = ${cx.t(a[1]!)};`;
    return `${cx.t(a[0]!)} = (${cx.t(a[1]!)} >>> ${pos}) & ${lit(mask(len))};`;
  },
  sextract: (a, cx) => `${cx.t(a[0]!)} = (${cx.t(a[1]!)} << ${32 - a[2]! - a[3]!}) >> ${32 - a[3]!};`,
  deposit: (a, cx) => {
    const m = (mask(a[4]!) << a[3]!) | 0;
    return `${cx.t(a[0]!)} = (${cx.t(a[1]!)} & ${lit(~m)}) | ((${cx.t(a[2]!)} << ${a[3]!}) & ${lit(m)});`;
  },
  setcond: (a, cx) => `${cx.t(a[0]!)} = ${condExpr(a[3]! as Cond, cx.t(a[1]!), cx.t(a[2]!))} ? 1 : 0;`,
  movcond: (a, cx) => `${cx.t(a[0]!)} = ${condExpr(a[5]! as Cond, cx.t(a[1]!), cx.t(a[2]!))} ? ${cx.t(a[3]!)} : ${cx.t(a[4]!)};`,
  mulu2: pair(([x, y]) => [`Math.imul(${x}, ${y})`, `mulhu(${x}, ${y})`]),
  muls2: pair(([x, y]) => [`Math.imul(${x}, ${y})`, `mulhs(${x}, ${y})`]),
  add2: (a, cx) => {
    const [lo, hi, al, ah, bl, bh] = a.map((x) => cx.t(x)) as [string, string, string, string, string, string];
    return `{ const l = (${al} + ${bl}) | 0; const h = (${ah} + ${bh} + ((l >>> 0) < (${al} >>> 0) ? 1 : 0)) | 0; ${lo} = l; ${hi} = h; }`;
  },
  sub2: (a, cx) => {
    const [lo, hi, al, ah, bl, bh] = a.map((x) => cx.t(x)) as [string, string, string, string, string, string];
    return `{ const l = (${al} - ${bl}) | 0; const h = (${ah} - ${bh} - ((${al} >>> 0) < (${bl} >>> 0) ? 1 : 0)) | 0; ${lo} = l; ${hi} = h; }`;
  },
  divs: binary((x, y) => `${y} === 0 ? 0 : (${x} === -2147483648 && ${y} === -1) ? ${x} : (${x} / ${y}) | 0`),
  divu: binary((x, y) => `${y} === 0 ? 0 : ((${x} >>> 0) / (${y} >>> 0)) | 0`),
  ld_env: (a, cx) => `${cx.t(a[0]!)} = R[${lit(a[1]!)}];`,
  st_env: (a, cx) => `R[${lit(a[1]!)}] = ${cx.t(a[0]!)};`,
  qemu_ld: (a, cx) => emitLoad(cx.t(a[0]!), cx.t(a[1]!), a[2]!, a[3]!, cx.sync),
  qemu_st: (a, cx) => emitStore(cx.t(a[0]!), cx.t(a[1]!), a[2]!, a[3]!, cx.sync, cx.atomics.inlineFlaggedStore),
  // The strategy's helpers may fault (unmapped, misaligned): the lowering makes env exact (cx.sync) before one.
  ld_excl: (a, cx) => cx.atomics.ld_excl(cx.t(a[0]!), cx.t(a[1]!), cx.t(a[2]!), a[3]!, a[4]!, cx.sync),
  st_excl: (a, cx) => cx.atomics.st_excl(cx.t(a[0]!), cx.t(a[1]!), cx.t(a[2]!), cx.t(a[3]!), a[4]!, a[5]!, cx.sync, cx.announced ?? ''),
  clrex: (_a, cx) => cx.atomics.clrex(),
  swap: (a, cx) => cx.atomics.swap(cx.t(a[0]!), cx.t(a[1]!), cx.t(a[2]!), a[3]!, a[4]!, cx.sync),
  cmpxchg: (a, cx) => cx.atomics.cmpxchg(cx.t(a[0]!), cx.t(a[1]!), cx.t(a[2]!), cx.t(a[3]!), a[4]!, a[5]!, cx.sync),
  cmpxchg64: (a, cx) => cx.atomics.cmpxchg64(cx.t(a[0]!), cx.t(a[1]!), cx.t(a[2]!), cx.t(a[3]!), a[4]!, cx.sync),
  mb: (a, cx) => cx.atomics.mb(a[0]!),
  vfp: (a) => emitVfp(a),
  brcond: (a, cx) => cx.branch(condExpr(a[2]! as Cond, cx.t(a[0]!), cx.t(a[1]!)), a[3]!),
  set_label: (a, cx) => cx.set_label(a[0]!),
  insn_start: (a, cx) => cx.insnStart(a[0]!, a[1]!),
  goto_tb: (a, cx) => cx.gotoTb(a[0]!, a[1]!),
  exit_indirect: (a, cx) => cx.exitIndirect(cx.t(a[0]!)),
  exit_special: (a, cx) => cx.exitSpecial(a[0]!, a[1]!),
};
