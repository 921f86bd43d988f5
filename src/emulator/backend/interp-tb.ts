// Builds and runs the cold tier's code for one TB: the steps of its ops
// (backend/interp-ops.ts), with temps given frame slots after the env slots.
// Guest globals are env slots, so an interpreted TB reads and writes the
// register file directly and needs no load or write-back.
//
// A TB is built twice if it runs often: first straight from its IR, then,
// at its REWRITE_RUNS-th run, again after the cold tier's rewrite of copies
// and constants (backend/interp-peephole.ts), which removes about a third of
// the steps a run executes, with each flag-setting subtraction (SUBS, CMP,
// RSBS: six or seven ops) as one step (backend/interp-flags.ts), which
// removes a fifth of the rest, each memory access with its address
// computation (base plus an immediate offset) as one step
// (backend/interp-address.ts), and two adjacent register copies as one
// (backend/interp-copies.ts). Most TBs of a short program run a few times, and
// translation runs in a V8 isolate that meets the translator's code for the
// first time, where every pass over a TB's ops costs tens of microseconds:
// the rewrite is paid only by the TBs whose runs repay it. The rewrite
// translates the TB again (irAgain, from exec/tb-gen.ts: its IR is not kept,
// which for the many TBs that never get there would grow the heap V8 scans);
// both builds give each temp the same frame slot (numbered from the same IR),
// so an atomic op's compiled step is the same JavaScript, found in the
// translator's cache.

import type { Op } from '../ir/opcodes.js';
import { OPCODES } from '../ir/opcodes.js';
import { NO_STEP, STEP_FACTORY, STEP_NEXT, type Step, type StepContext, type StepRuntime } from './interp-ops.js';
import { addressLength, addressStep } from './interp-address.js';
import { copiesLength, copiesStep } from './interp-copies.js';
import { subFlagsLength, subFlagsStep, tempReads } from './interp-flags.js';
import { type ConstTemps, prepareInterpOps } from './interp-peephole.js';

/** Which one step runs fused ops (buildSteps). */
const FUSED_SUB_FLAGS = 1;
const FUSED_ADDRESS = 2;
const FUSED_COPIES = 3;

/** Runs of a TB after which its steps are built again with the cold tier's rewrite. */
export const REWRITE_RUNS = 256;

/**
 * Which of the interpreter's --stats instruction counters a TB's runs count
 * in (InterpTb.tier): its first build, its rewritten build, or either build
 * of a TB that is an inner block of a compiled region (the region's code
 * exists, but the cpu loop reached the block from outside it).
 */
export const INTERP_FIRST = 0;
export const INTERP_REWRITTEN = 1;
export const INTERP_INNER = 2;
export const INTERP_TIERS = 3;

/** The TB's IR again, as its first build had it, or null if its code changed since. */
export type IrAgain = () => readonly Op[] | null;

export interface InterpTb {
  steps: readonly Step[];
  /** Runs left before the rewrite (0: rewritten, or never). */
  untilRewrite: number;
  /** Where the rewrite gets the IR (null once rewritten, or never to be). */
  irAgain: IrAgain | null;
  readonly builder: InterpBuilder;
  /** The counter its runs count in: INTERP_FIRST, INTERP_REWRITTEN or INTERP_INNER. */
  tier: number;
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

const NO_CONSTS: ConstTemps = new Map<number, number>();

/**
 * Steps for a TB's ops, or null when its temps do not fit in the frame (the
 * caller compiles it instead). At the TB's `rewriteAfter`-th run (0: never)
 * its steps are built again with the rewrite, from irAgain's IR.
 */
export function buildInterpTb(ops: readonly Op[], b: InterpBuilder, irAgain: IrAgain | null, rewriteAfter = REWRITE_RUNS): InterpTb | null {
  const slots = tempSlots(ops, b);
  if (slots === null) return null;
  const rewrite = irAgain !== null && rewriteAfter > 0;
  return {
    steps: buildSteps(ops, null, slots, b), untilRewrite: rewrite ? rewriteAfter : 0, irAgain: rewrite ? irAgain : null, builder: b,
    tier: INTERP_FIRST,
  };
}

/** Frame slots of the TB's temps in order of first use, or null if they do not fit. */
function tempSlots(ops: readonly Op[], b: InterpBuilder): Map<number, number> | null {
  const envSlots = b.rt.F.length - b.tempSlots;
  const slots = new Map<number, number>();
  // Indexed loops (here and in the other per-op passes of a TB's build): in a new vCPU worker this
  // runs unoptimised, where for-of calls V8's iterator protocol per element.
  for (let o = 0; o < ops.length; o++) {
    const op = ops[o]!;
    const d = OPCODES[op.opc];
    for (let i = 0; i < d.outs + d.ins; i++) {
      const t = op.args[i]!;
      if (t >= b.nGlobals && !slots.has(t)) slots.set(t, envSlots + slots.size);
    }
  }
  return slots.size > b.tempSlots ? null : slots;
}

/** Builds the TB's steps again from its IR after the cold tier's rewrite (unless its code changed: then it is left as it is). */
function rewriteInterpTb(tb: InterpTb): void {
  const ir = tb.irAgain!();
  tb.irAgain = null;
  if (ir === null) return;
  const slots = tempSlots(ir, tb.builder)!;
  const { ops, consts } = prepareInterpOps(ir, tb.builder.nGlobals);
  tb.steps = buildSteps(ops, consts, slots, tb.builder);
  if (tb.tier === INTERP_FIRST) tb.tier = INTERP_REWRITTEN;
}

/**
 * The steps of a TB's ops; consts: the rewrite's constants (null: the first
 * build, not rewritten). A rewritten TB's flag-setting subtractions, and
 * its accesses with their address computations, are one step each
 * (backend/interp-flags.ts, backend/interp-address.ts).
 */
function buildSteps(ops: readonly Op[], consts: ConstTemps | null, slots: ReadonlyMap<number, number>, b: InterpBuilder): Step[] {
  // Per op index: the number of ops its one step runs (0: an op of its own, or a marker), and which step.
  const fused = new Uint8Array(ops.length);
  const fusedKind = new Uint8Array(consts !== null ? ops.length : 0);
  if (consts !== null) {
    const reads = tempReads(ops, b.nGlobals);
    const known = { consts };
    for (let i = 0; i < ops.length; i++) {
      let n = subFlagsLength(ops, i, b.nGlobals, reads);
      let kind = FUSED_SUB_FLAGS;
      if (n === 0) {
        n = addressLength(ops, i, b.nGlobals, reads, known);
        kind = FUSED_ADDRESS;
      }
      if (n === 0) {
        n = copiesLength(ops, i);
        kind = FUSED_COPIES;
      }
      if (n > 0) {
        fused[i] = n;
        fusedKind[i] = kind;
        i += n - 1;
      }
    }
  }
  const labelStep = new Map<number, number>();
  let nSteps = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.opc === 'set_label') labelStep.set(op.args[0]!, nSteps);
    if (fused[i]! > 0) {
      nSteps++;
      i += fused[i]! - 1;
    } else if (!NO_STEP.has(op.opc)) {
      nSteps++;
    }
  }
  const slotOf = (t: number): number => (t < b.nGlobals ? t : slots.get(t)!);
  const cx: StepContext = {
    rt: b.rt,
    s: slotOf,
    consts: consts ?? NO_CONSTS,
    fast: consts !== null,
    label: (l) => {
      const i = labelStep.get(l);
      if (i === undefined) throw new Error(`internal: branch to label ${l}, which is never set`);
      return i;
    },
    pcSlot: b.pcSlot,
    compiled: (op) => b.compileOp(op, slotOf),
  };
  const steps: Step[] = [];
  for (let i = 0; i < ops.length; i++) {
    if (fused[i]! > 0) {
      const kind = fusedKind[i];
      steps.push(kind === FUSED_ADDRESS ? addressStep(ops, i, cx) : kind === FUSED_COPIES ? copiesStep(ops, i, fused[i]!, cx) : subFlagsStep(ops, i, fused[i]!, cx));
      i += fused[i]! - 1;
      continue;
    }
    const step = STEP_FACTORY[ops[i]!.opc](ops[i]!, cx);
    if (step !== null) steps.push(step);
  }
  return steps;
}

/** Runs a TB's steps; returns its exit code. */
export function runInterpTb(tb: InterpTb): number {
  if (tb.untilRewrite > 0 && --tb.untilRewrite === 0) rewriteInterpTb(tb);
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
