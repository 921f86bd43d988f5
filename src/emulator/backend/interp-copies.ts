// A rewritten TB's two register copies in a row as one step. After the
// cold tier's rewrite (backend/interp-peephole.ts) a `mov` or `movi` often
// follows another: a logical flag-setter's Z copy and its register copy, a
// MOVS, an ADDS's flag copies (session 8 counted two copies in a row as 7.5%
// of the steps conf-arith's rewritten TBs ran), or a MOV after an
// instruction that ended with a copy (the next instruction's insn_start
// between them has no step). The step runs the two in their order, the
// second after the first has written, so it reads what the two steps
// would: an output of the first may be the second's input. A pair never
// holds a branch target: labels are ops of their own, and a conditional
// instruction starts with its branch.

import type { Op } from '../ir/opcodes.js';
import type { StepContext } from './interp-ops.js';
import { STEP_NEXT, type Step } from './interp-step.js';

/** Ops a pair of copies spans: adjacent, or with the next instruction's insn_start between them. */
export const COPY_OPS = 2;
export const COPY_OPS_ACROSS = 3;

function isCopy(op: Op | undefined): boolean {
  return op !== undefined && (op.opc === 'mov' || op.opc === 'movi');
}

/**
 * COPY_OPS if ops[i] and ops[i + 1] are both copies (mov or movi),
 * COPY_OPS_ACROSS if an insn_start lies between them (it has no step: a
 * copy cannot fault, so nothing reads the instruction boundary), else 0.
 */
export function copiesLength(ops: readonly Op[], i: number): number {
  if (!isCopy(ops[i])) return 0;
  if (isCopy(ops[i + 1])) return COPY_OPS;
  return ops[i + 1]?.opc === 'insn_start' && isCopy(ops[i + 2]) ? COPY_OPS_ACROSS : 0;
}

/** The one step of the copies ops[i] and ops[i + length - 1] (copiesLength said `length`). */
export function copiesStep(ops: readonly Op[], i: number, length: number, cx: StepContext): Step {
  const F = cx.rt.F;
  const first = ops[i]!;
  const second = ops[i + length - 1]!;
  const d1 = cx.s(first.args[0]!);
  const d2 = cx.s(second.args[0]!);
  if (first.opc === 'mov') {
    const a1 = cx.s(first.args[1]!);
    if (second.opc === 'mov') {
      const a2 = cx.s(second.args[1]!);
      return () => {
        F[d1] = F[a1]!;
        F[d2] = F[a2]!;
        return STEP_NEXT;
      };
    }
    const v2 = second.args[1]! | 0;
    return () => {
      F[d1] = F[a1]!;
      F[d2] = v2;
      return STEP_NEXT;
    };
  }
  const v1 = first.args[1]! | 0;
  if (second.opc === 'mov') {
    const a2 = cx.s(second.args[1]!);
    return () => {
      F[d1] = v1;
      F[d2] = F[a2]!;
      return STEP_NEXT;
    };
  }
  const v2 = second.args[1]! | 0;
  return () => {
    F[d1] = v1;
    F[d2] = v2;
    return STEP_NEXT;
  };
}
