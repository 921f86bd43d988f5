// Lazy flags in regions. A flag-setting subtraction (CMP, SUBS and the other
// forms of subWithFlags without a carry in) sets N, Z, C and V from its two
// operands; in a region it leaves only those operands, in the locals fa and fb
// (and fk = 1), and the four flags are computed from them where something
// reads them: an op that reads a flag, a slow path's write-back to env before
// a helper that may fault, and the exit tail. Every flag write of another kind
// first materialises the lazy flags into the flag locals (fk = 0).
//
// Why: a slow path must see the flags exact, so the flags a block leaves are
// live into the next block's memory accesses; kept in the four flag locals
// they were four loop phis, with C computed (through branches) and V in every
// iteration of a loop that ends in SUBS or CMP. From two operands V8 computes
// them only in the deferred slow paths and at the exits (the insertion sort
// of bench/guest/parallel-compute: docs/translator.md, "Steady speed").
//
// The values written to env are the same words the flag locals held: NF and
// ZF the difference, CF `a >=u b ? 1 : 0`, VF `(a ^ b) & (a ^ (a - b))`
// (cpu-state.ts: QEMU's representation). What the emitter knows about fk at
// a point is a LazyState: 'no' (fk is 0: the flag locals hold the flags),
// 'yes' (fk is 1), 'maybe' (a block's start, a label reached both ways: the
// code tests fk).

import { Cond } from '../ir/cond.js';
import type { Op } from '../ir/opcodes.js';

/** The globals of N, Z, C and V in QEMU's representation (IrGlobals.nzcv). */
export type Nzcv = readonly [n: number, z: number, c: number, v: number];

export type LazyState = 'no' | 'yes' | 'maybe';

/** A subtraction whose four flag writes a block drops: after op `end`, fa = a and fb = b. */
export interface SubFlags {
  readonly end: number;
  readonly a: number;
  readonly b: number;
  /** Indices of the ops that wrote the four flags (not emitted). */
  readonly flagWrites: readonly number[];
}

/** The ops an idiom's window may hold between its subtraction and its last flag write. */
const WINDOW_OPS: ReadonlySet<string> = new Set(['mov', 'setcond', 'xor', 'and']);

/**
 * The flag-setting subtractions of a block: `sub r, a, b`, then (in any order,
 * with nothing else between them but the ops computing C and V) N and Z from r,
 * C as `setcond geu a, b` and V as `and (xor a b) (xor a r)`; a, b and r are
 * not written and no flag is read in that window.
 */
export function findSubFlags(ops: readonly Op[], nzcv: Nzcv): SubFlags[] {
  const [fn, fz, fc, fv] = nzcv;
  const isFlag = (t: number): boolean => t === fn || t === fz || t === fc || t === fv;
  const found: SubFlags[] = [];
  for (let i = 0; i < ops.length; i++) {
    const sub = ops[i]!;
    if (sub.opc !== 'sub') continue;
    const [r, a, b] = sub.args as [number, number, number];
    if (isFlag(r) || isFlag(a) || isFlag(b) || r === a || r === b) continue;
    const defs = new Map<number, Op>();
    const writes = new Map<number, number>();
    const isXor = (t: number, x: number, y: number): boolean => {
      const d = defs.get(t);
      return d !== undefined && d.opc === 'xor' && ((d.args[1] === x && d.args[2] === y) || (d.args[1] === y && d.args[2] === x));
    };
    const cOk = (t: number): boolean => {
      const d = defs.get(t);
      return d !== undefined && d.opc === 'setcond' && d.args[1] === a && d.args[2] === b && d.args[3] === Cond.GEU;
    };
    const vFrom = (x: number, y: number): boolean => (isXor(x, a, b) && isXor(y, a, r)) || (isXor(y, a, b) && isXor(x, a, r));
    const vOk = (t: number): boolean => {
      const d = defs.get(t);
      return d !== undefined && d.opc === 'and' && vFrom(d.args[1]!, d.args[2]!);
    };
    // A flag written from the idiom's values, through a temp (mov) or directly.
    const writesFlag = (op: Op): boolean => {
      const [out, x, y, cond] = op.args as [number, number, number?, number?];
      if (op.opc === 'mov') return out === fn || out === fz ? x === r : out === fc ? cOk(x) : vOk(x);
      if (op.opc === 'setcond') return out === fc && x === a && y === b && cond === Cond.GEU;
      return op.opc === 'and' && out === fv && vFrom(x, y!);
    };
    for (let j = i + 1; j < ops.length && writes.size < 4; j++) {
      const op = ops[j]!;
      if (!WINDOW_OPS.has(op.opc)) break;
      const out = op.args[0]!;
      const ins = op.args.slice(1, op.opc === 'setcond' ? 3 : undefined);
      if (ins.some(isFlag) || out === a || out === b || out === r || writes.has(out)) break;
      if (isFlag(out)) {
        if (!writesFlag(op)) break;
        writes.set(out, j);
      } else {
        defs.set(out, op);
      }
    }
    if (writes.size === 4) {
      const flagWrites = [...writes.values()].sort((x, y) => x - y);
      const end = flagWrites[flagWrites.length - 1]!;
      found.push({ end, a, b, flagWrites });
      i = end;
    }
  }
  return found;
}

/** The JavaScript of each flag computed from fa and fb (the same words the flag locals would hold). */
export function lazyFlagExpr(which: 0 | 1 | 2 | 3): string {
  switch (which) {
    case 0:
    case 1: return '((fa - fb) | 0)';
    case 2: return '((fa >>> 0) >= (fb >>> 0) ? 1 : 0)';
    case 3: return '((fa ^ fb) & (fa ^ ((fa - fb) | 0)))';
  }
}

/** A flag global's value at a point where the emitter knows `state` about fk. */
export function flagRead(local: string, which: 0 | 1 | 2 | 3, state: LazyState): string {
  if (state === 'no') return local;
  if (state === 'yes') return lazyFlagExpr(which);
  return `(fk === 0 ? ${local} : ${lazyFlagExpr(which)})`;
}

/** Statements that make the flag locals hold the flags (fk = 0); '' when they already do. */
export function materialize(locals: readonly string[], state: LazyState): string {
  if (state === 'no') return '';
  const set = locals.map((l, k) => `${l} = ${lazyFlagExpr(k as 0 | 1 | 2 | 3)};`).join(' ');
  return state === 'yes' ? `${set} fk = 0;` : `if (fk !== 0) { ${set} fk = 0; }`;
}

/** What fk may be where two paths meet. */
export function mergeStates(x: LazyState, y: LazyState): LazyState {
  return x === y ? x : 'maybe';
}
