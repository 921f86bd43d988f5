// A rewritten TB's two adjacent register copies as one step. After the
// cold tier's rewrite (backend/interp-peephole.ts) a `mov` or `movi` often
// follows another: a logical flag-setter's Z copy and its register copy, a
// MOVS, an ADDS's flag copies (session 8 counted two copies in a row as 7.5%
// of the steps conf-arith's rewritten TBs ran). The step runs the two in
// their order, the second after the first has written, so it reads what
// the two steps would: an output of the first may be the second's input.

import type { Op } from '../ir/opcodes.js';
import type { StepContext } from './interp-ops.js';
import { STEP_NEXT, type Step } from './interp-step.js';

/** Ops a pair of copies spans. */
export const COPY_OPS = 2;

function isCopy(op: Op | undefined): boolean {
  return op !== undefined && (op.opc === 'mov' || op.opc === 'movi');
}

/** COPY_OPS if ops[i] and ops[i + 1] are both copies (mov or movi), else 0. */
export function copiesLength(ops: readonly Op[], i: number): number {
  return isCopy(ops[i]) && isCopy(ops[i + 1]) ? COPY_OPS : 0;
}

/** The one step of the copies ops[i] and ops[i + 1] (copiesLength said so). */
export function copiesStep(ops: readonly Op[], i: number, cx: StepContext): Step {
  const F = cx.rt.F;
  const first = ops[i]!;
  const second = ops[i + 1]!;
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
