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
  for (const op of ops) {
    const d = OPCODES[op.opc];
    const outs = op.args.slice(0, d.outs);
    // Rewrite inputs through known copies.
    const ins = op.args.slice(d.outs, d.outs + d.ins).map((t) => k.resolve(t));
    const consts = op.args.slice(d.outs + d.ins);
    let rewritten: Op = { opc: op.opc, args: [...outs, ...ins, ...consts] };

    if (op.opc === 'set_label') {
      k.clear();
      out.push(rewritten);
      continue;
    }
    if (op.opc === 'brcond') {
      const [a, b] = ins as [number, number];
      const ca = k.consts.get(a);
      const cb = k.consts.get(b);
      // A branch that can never be taken disappears.
      if (ca !== undefined && cb !== undefined && !evalCond(consts[0] as Cond, ca, cb)) continue;
      out.push(rewritten);
      continue;
    }
    if (d.flags & OPF_PURE && d.outs === 1) {
      const simplified = simplify(rewritten, k);
      if (simplified) rewritten = simplified;
    }
    for (const t of outs) k.redefine(t);
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
  const dst = op.args[0]!;
  const ins = op.args.slice(1, 1 + d.ins);
  const consts = op.args.slice(1 + d.ins);
  const cv = ins.map((t) => k.consts.get(t));
  if (cv.every((v) => v !== undefined)) {
    const v = foldUnaryOrBinary(op.opc, cv as number[], consts);
    if (v !== null) return { opc: 'movi', args: [dst, v] };
  }
  const [a, b] = ins;
  const [ca, cb] = cv;
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
      if (ca !== undefined && cb !== undefined) return mov(evalCond(consts[0] as Cond, ca, cb) ? ins[2]! : ins[3]!);
      if (ins[2] === ins[3]) return mov(ins[2]!);
      break;
    default:
      break;
  }
  return null;
}
