// A rewritten TB's address computation and the load or store that uses it as
// one step. The front end computes an access's address with an immediate
// offset (`ldr r0, [r1, #8]`, `str r2, [sp, #-4]`) into a temp that only the
// access reads:
//
//   add  t, base, #k      (or sub t, base, #k: the offset -k)
//   qemu_ld d, t, ...     (or qemu_st v, t, ...)
//
// In the cold tier that is two steps; the rewritten build
// (backend/interp-tb.ts) runs the access at F[base] + k in one
// (backend/interp-ops.ts loadStep, storeStep). An address computation then
// a memory access was the most common pair of steps in rewritten TBs after
// the flag-setting subtraction (backend/interp-flags.ts).
//
// The step computes the address before anything else, as the two ops do,
// and t is a temp read by nothing else, so no later op misses its value.

import type { Op } from '../ir/opcodes.js';
import { loadStep, type StepContext, storeStep } from './interp-ops.js';
import { immediateInput } from './interp-peephole.js';
import type { Step } from './interp-step.js';

/** Ops an address computation and its access span. */
export const ADDRESS_OPS = 2;

/** The base input and the offset of ops[i] as an address computation, or null. */
function offsetOf(op: Op, cx: Pick<StepContext, 'consts'>): { base: number; k: number } | null {
  if (op.opc !== 'add' && op.opc !== 'sub') return null;
  const imm = immediateInput(op, cx.consts);
  if (imm < 0) return null;
  const k = cx.consts.get(op.args[imm]!)! | 0;
  return { base: op.args[imm === 2 ? 1 : 2]!, k: op.opc === 'sub' ? -k | 0 : k };
}

/**
 * ADDRESS_OPS if ops[i] computes the address of the access ops[i + 1]
 * with an immediate offset, into a temp nothing else reads, else 0.
 * `reads` is the TB's temp reads (backend/interp-flags.ts tempReads).
 */
export function addressLength(
  ops: readonly Op[], i: number, nGlobals: number, reads: ReadonlyMap<number, number>, cx: Pick<StepContext, 'consts'>,
): number {
  const access = ops[i + 1];
  if (access === undefined || (access.opc !== 'qemu_ld' && access.opc !== 'qemu_st')) return 0;
  const t = ops[i]!.args[0]!;
  if (t < nGlobals || access.args[1] !== t || reads.get(t) !== 1 || offsetOf(ops[i]!, cx) === null) return 0;
  return ADDRESS_OPS;
}

/** The one step of the address computation ops[i] and its access ops[i + 1] (addressLength said so). */
export function addressStep(ops: readonly Op[], i: number, cx: StepContext): Step {
  const { base, k } = offsetOf(ops[i]!, cx)!;
  const access = ops[i + 1]!;
  const [value, , memop, pc] = access.args as [number, number, number, number];
  const make = access.opc === 'qemu_ld' ? loadStep : storeStep;
  return make(cx.rt, cx.s(value), cx.s(base), k, memop, pc);
}
