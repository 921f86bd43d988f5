// Builds and runs the cold tier's code for one TB: the steps of its ops
// (backend/interp-ops.ts), after the cold tier's rewrite of copies and
// constants (backend/interp-peephole.ts), with temps given frame slots after
// the env slots.
// Guest globals are env slots, so an interpreted TB reads and writes the
// register file directly and needs no load or write-back.

import type { Op } from '../ir/opcodes.js';
import { OPCODES } from '../ir/opcodes.js';
import { NO_STEP, STEP_FACTORY, STEP_NEXT, type Step, type StepContext, type StepRuntime } from './interp-ops.js';
import { prepareInterpOps } from './interp-peephole.js';

export interface InterpTb {
  readonly steps: readonly Step[];
}

export interface InterpBuilder {
  readonly rt: StepRuntime;
  /** Frame slots available for TB temps after the env slots. */
  readonly tempSlots: number;
  /** Number of IR globals (temps below it are env slots). */
  readonly nGlobals: number;
  /** Env slot of the pc. */
  readonly pcSlot: number;
  /** Compiles an op's JavaScript lowering into a step over the frame F. */
  compileOp(op: Op, slotOf: (temp: number) => number): Step;
}

/** Steps for a TB's ops, or null when its temps do not fit in the frame (the caller compiles it instead). */
export function buildInterpTb(irOps: readonly Op[], b: InterpBuilder): InterpTb | null {
  const { ops, consts } = prepareInterpOps(irOps, b.nGlobals);
  const envSlots = b.rt.F.length - b.tempSlots;
  const slots = new Map<number, number>();
  const labelStep = new Map<number, number>();
  let nSteps = 0;
  for (const op of ops) {
    if (op.opc === 'set_label') labelStep.set(op.args[0]!, nSteps);
    if (!NO_STEP.has(op.opc)) nSteps++;
    const d = OPCODES[op.opc];
    for (let i = 0; i < d.outs + d.ins; i++) {
      const t = op.args[i]!;
      if (t >= b.nGlobals && !slots.has(t)) slots.set(t, envSlots + slots.size);
    }
  }
  if (slots.size > b.tempSlots) return null;
  const slotOf = (t: number): number => (t < b.nGlobals ? t : slots.get(t)!);
  const cx: StepContext = {
    rt: b.rt,
    s: slotOf,
    consts,
    label: (l) => {
      const i = labelStep.get(l);
      if (i === undefined) throw new Error(`internal: branch to label ${l}, which is never set`);
      return i;
    },
    pcSlot: b.pcSlot,
    compiled: (op) => b.compileOp(op, slotOf),
  };
  const steps: Step[] = [];
  for (const op of ops) {
    const step = STEP_FACTORY[op.opc](op, cx);
    if (step !== null) steps.push(step);
  }
  return { steps };
}

/** Runs a TB's steps; returns its exit code. */
export function runInterpTb(tb: InterpTb): number {
  const steps = tb.steps;
  let i = 0;
  for (;;) {
    const r = steps[i]!();
    if (r === STEP_NEXT) {
      i++;
    } else if (r >= 0) {
      return r;
    } else {
      i = -2 - r;
    }
  }
}
