// A rewritten TB's flag-setting subtraction as one step. The front end
// lowers SUBS, CMP and RSBS (QEMU's gen_sub_CC) to six ops, and a seventh
// that copies the result into its register:
//
//   sub   X, a, b        result (the N flag's global)
//   mov   Z, X           the Z flag's global holds the result too
//   setcond C, a, b, geu carry: no borrow
//   xor   t1, a, b
//   xor   t2, a, X
//   and   V, t1, t2      overflow in the sign bit
//   [mov  R, X]          SUBS/RSBS: the destination register
//
// In the cold tier that is six or seven steps, each a call from the
// interpreter's loop: the most common sequence in the steps a rewritten TB
// runs (conf-arith: a compare or a flag-setting subtraction in about a fifth
// of the steps, before this). The rewritten build
// (backend/interp-tb.ts) runs the sequence as one step that computes the
// same values. The first build keeps one step per op (it is built for
// TBs that run a few times, where a pass looking for patterns costs more
// than it saves).
//
// The step reads a and b once, before it writes anything, so the pattern
// matches only where the sequence itself would read the same values: a and
// b are none of the values it writes, t1 and t2 are temps that nothing else
// reads, and the values it writes are distinct.

import { Cond } from '../ir/cond.js';
import { OPCODES, type Op } from '../ir/opcodes.js';
import type { StepContext } from './interp-ops.js';
import { immediateInput } from './interp-peephole.js';
import { STEP_NEXT, type Step } from './interp-step.js';

/** Ops of the flag-setting subtraction without, and with, the copy into the destination register. */
export const SUB_FLAGS_OPS = 6;

/**
 * Reads of each temp in a TB's ops: how often each value is an input (a
 * Map: counted once per rewritten TB, which runs often).
 */
export function tempReads(ops: readonly Op[], nGlobals: number): Map<number, number> {
  const reads = new Map<number, number>();
  for (let o = 0; o < ops.length; o++) {
    const op = ops[o]!;
    const d = OPCODES[op.opc];
    for (let k = d.outs; k < d.outs + d.ins; k++) {
      const t = op.args[k]!;
      if (t >= nGlobals) reads.set(t, (reads.get(t) ?? 0) + 1);
    }
  }
  return reads;
}

/**
 * The number of ops from ops[i] that are a flag-setting subtraction the
 * step below can run (6, or 7 with the copy into the destination), or 0.
 * `reads` is tempReads of the TB's ops.
 */
export function subFlagsLength(ops: readonly Op[], i: number, nGlobals: number, reads: ReadonlyMap<number, number>): number {
  // Called at every op of a TB being rewritten: no slice or destructuring before the first test.
  if (i + SUB_FLAGS_OPS > ops.length || ops[i]!.opc !== 'sub') return 0;
  const sub = ops[i]!;
  const movZ = ops[i + 1]!;
  const setc = ops[i + 2]!;
  const xor1 = ops[i + 3]!;
  const xor2 = ops[i + 4]!;
  const and = ops[i + 5]!;
  if (movZ.opc !== 'mov' || setc.opc !== 'setcond' || xor1.opc !== 'xor' || xor2.opc !== 'xor' || and.opc !== 'and') return 0;
  const x = sub.args[0]!;
  const a = sub.args[1]!;
  const b = sub.args[2]!;
  const z = movZ.args[0]!;
  const c = setc.args[0]!;
  const t1 = xor1.args[0]!;
  const t2 = xor2.args[0]!;
  const v = and.args[0]!;
  const same = (op: Op, ...args: number[]): boolean => args.every((arg, k) => op.args[k] === arg);
  if (!same(movZ, z, x) || !same(setc, c, a, b, Cond.GEU) || !same(xor1, t1, a, b) || !same(xor2, t2, a, x)) return 0;
  if (!(same(and, v, t1, t2) || same(and, v, t2, t1))) return 0;
  const written = [x, z, c, t1, t2, v];
  if (new Set(written).size !== written.length || written.includes(a) || written.includes(b)) return 0;
  if (t1 < nGlobals || t2 < nGlobals || reads.get(t1) !== 1 || reads.get(t2) !== 1) return 0;
  const copy = ops[i + SUB_FLAGS_OPS];
  return copy !== undefined && copy.opc === 'mov' && copy.args[1] === x ? SUB_FLAGS_OPS + 1 : SUB_FLAGS_OPS;
}

/** The one step of a flag-setting subtraction of `length` ops from ops[i] (subFlagsLength said so). */
export function subFlagsStep(ops: readonly Op[], i: number, length: number, cx: StepContext): Step {
  const F = cx.rt.F;
  const sub = ops[i]!;
  const s = (k: number, arg: number): number => cx.s(ops[i + k]!.args[arg]!);
  const [x, z, c, v] = [s(0, 0), s(1, 0), s(2, 0), s(5, 0)];
  const a = s(0, 1);
  // The copy's destination; without a copy the result's own slot again (written twice, the same value).
  const r = length > SUB_FLAGS_OPS ? s(SUB_FLAGS_OPS, 0) : x;
  if (immediateInput(sub, cx.consts) === 2) {
    const k = cx.consts.get(sub.args[2]!)! | 0;
    const ku = k >>> 0;
    return () => {
      const p = F[a]!;
      const d = (p - k) | 0;
      F[x] = d;
      F[z] = d;
      F[c] = p >>> 0 >= ku ? 1 : 0;
      F[v] = (p ^ k) & (p ^ d);
      F[r] = d;
      return STEP_NEXT;
    };
  }
  const b = s(0, 2);
  return () => {
    const p = F[a]!;
    const q = F[b]!;
    const d = (p - q) | 0;
    F[x] = d;
    F[z] = d;
    F[c] = p >>> 0 >= q >>> 0 ? 1 : 0;
    F[v] = (p ^ q) & (p ^ d);
    F[r] = d;
    return STEP_NEXT;
  };
}
