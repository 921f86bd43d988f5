// The forward optimisation pass (QEMU's tcg/optimize.c, much reduced):
// constant propagation and folding, copy propagation, and a few algebraic
// identities. Knowledge is dropped at labels, which are the only join points.

import { Cond } from './cond.js';
import { evalCond } from './cond.js';
import { foldUnaryOrBinary } from './fold.js';
import { OPCODES, OPF_PURE, type Op } from './opcodes.js';

class Knowledge {
  readonly consts = new Map<number, number>();
  /** copyOf.get(t) = s: t holds the same value as s. */
  private readonly copyOf = new Map<number, number>();
  /** The reverse of copyOf: copies.get(s) = every t with copyOf.get(t) === s. */
  private readonly copies = new Map<number, number[]>();

  clear(): void {
    this.consts.clear();
    this.copyOf.clear();
    this.copies.clear();
  }

  setCopy(t: number, s: number): void {
    this.copyOf.set(t, s);
    const list = this.copies.get(s);
    if (list) list.push(t);
    else this.copies.set(s, [t]);
  }

  /** Forget everything that depends on the old value of `t`. */
  redefine(t: number): void {
    this.consts.delete(t);
    const s = this.copyOf.get(t);
    if (s !== undefined) {
      this.copyOf.delete(t);
      const list = this.copies.get(s)!;
      list.splice(list.indexOf(t), 1);
    }
    const dependents = this.copies.get(t);
    if (dependents) {
      for (const k of dependents) this.copyOf.delete(k);
      this.copies.delete(t);
    }
  }

  resolve(t: number): number {
    return this.copyOf.get(t) ?? t;
  }
}

export function optimize(ops: Op[]): Op[] {
  const k = new Knowledge();
  const out: Op[] = [];
  // One new args array per op and nothing else allocated on the common path: the hot tier runs this over every block of a region.
  for (const op of ops) {
    const d = OPCODES[op.opc];
    const args = op.args.slice();
    // Rewrite inputs through known copies.
    for (let i = d.outs; i < d.outs + d.ins; i++) args[i] = k.resolve(args[i]!);
    let rewritten: Op = { opc: op.opc, args };

    if (op.opc === 'set_label') {
      k.clear();
      out.push(rewritten);
      continue;
    }
    if (op.opc === 'brcond') {
      const ca = k.consts.get(args[0]!);
      const cb = k.consts.get(args[1]!);
      // A branch that can never be taken disappears.
      if (ca !== undefined && cb !== undefined && !evalCond(args[2] as Cond, ca, cb)) continue;
      out.push(rewritten);
      continue;
    }
    if (d.flags & OPF_PURE && d.outs === 1) {
      const simplified = simplify(rewritten, k);
      if (simplified) rewritten = simplified;
    }
    for (let i = 0; i < d.outs; i++) k.redefine(args[i]!);
    if (rewritten.opc === 'movi') {
      k.consts.set(rewritten.args[0]!, rewritten.args[1]!);
    } else if (rewritten.opc === 'mov') {
      const [dst, src] = rewritten.args as [number, number];
      if (dst === src) continue;
      const c = k.consts.get(src);
      if (c !== undefined) {
        rewritten = { opc: 'movi', args: [dst, c] };
        k.consts.set(dst, c);
      } else {
        k.setCopy(dst, src);
      }
    }
    out.push(rewritten);
  }
  return out;
}

/** Folds constants and applies identities to a pure single-output op. */
function simplify(op: Op, k: Knowledge): Op | null {
  const d = OPCODES[op.opc];
  const args = op.args;
  const dst = args[0]!;
  // Inputs at args[1 .. d.ins], constants after them; an op of the opcodes below has at most two inputs but movcond (four).
  const a = args[1];
  const b = args[2];
  const ca = d.ins > 0 ? k.consts.get(a!) : undefined;
  const cb = d.ins > 1 ? k.consts.get(b!) : undefined;
  if (allConst(args, d.ins, k)) {
    const v = foldUnaryOrBinary(op.opc, constInputs(args, d.ins, k), args.slice(1 + d.ins));
    if (v !== null) return { opc: 'movi', args: [dst, v] };
  }
  const mov = (src: number): Op => ({ opc: 'mov', args: [dst, src] });
  const movi = (v: number): Op => ({ opc: 'movi', args: [dst, v] });
  switch (op.opc) {
    case 'add': case 'or': case 'xor':
      if (cb === 0) return mov(a!);
      if (ca === 0) return mov(b!);
      break;
    case 'sub': case 'shl': case 'shr': case 'sar': case 'rotr': case 'andc':
      if (cb === 0) return mov(a!);
      break;
    case 'and':
      if (ca === 0 || cb === 0) return movi(0);
      if (cb === -1) return mov(a!);
      if (ca === -1) return mov(b!);
      break;
    case 'mul':
      if (ca === 0 || cb === 0) return movi(0);
      if (cb === 1) return mov(a!);
      if (ca === 1) return mov(b!);
      break;
    case 'movcond':
      if (ca !== undefined && cb !== undefined) return mov(evalCond(args[5] as Cond, ca, cb) ? args[3]! : args[4]!);
      if (args[3] === args[4]) return mov(args[3]!);
      break;
    default:
      break;
  }
  return null;
}

/** True if every input of a single-output op (args[1 .. n]) is a known constant. */
function allConst(args: readonly number[], n: number, k: Knowledge): boolean {
  for (let i = 1; i <= n; i++) if (!k.consts.has(args[i]!)) return false;
  return true;
}

/** The constant values of a single-output op's inputs (all known). */
function constInputs(args: readonly number[], n: number, k: Knowledge): number[] {
  const v: number[] = [];
  for (let i = 1; i <= n; i++) v.push(k.consts.get(args[i]!)!);
  return v;
}
