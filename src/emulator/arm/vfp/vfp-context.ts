// What the VFP trans* handlers need from a front end (A32 or T32): the IR
// builder, the instruction address, core register access and exits. Both
// front ends pass their own context; the handlers never look at the
// condition field (the front end has handled it, T32 through IT blocks).

import type { IrBuilder, Temp } from '../../ir/builder.js';
import type { ExitReason } from '../../ir/exit-reason.js';
import type { Fields } from '../decodetree.js';
import type { VfpKind } from '../../fpu/fp-op.js';
import { Env } from '../cpu-state.js';
import { dregSlot, sregSlot } from './vfp-state.js';

export interface VfpContext {
  readonly b: IrBuilder;
  /** Address of the instruction being translated. */
  readonly pc: number;
  /** Reads Rn as an operand (R15 reads as this state's PC value: pc+8 in A32, pc+4 in T32). */
  reg(n: number): Temp;
  /** Writes a register other than PC. */
  setReg(n: number, v: Temp): void;
  /** Ends the TB with an exit the cpu loop handles. */
  exitSpecial(reason: ExitReason, resumePc: number): void;
  /** Called before an exit this instruction emits itself (T32 stores ITSTATE there). */
  beforeExit(resumeAtNext: boolean): void;
}

/** Number of double registers addressable (VFPv3-D16: D:Vd must be < 16). */
export const DREG_LIMIT = 16;

/** S register number Vx:x from a 4-bit field and its extra bit. */
export function sreg(f: Fields, four: string, bit: string): number {
  return (f[four]! << 1) | f[bit]!;
}

/** D register number x:Vx; -1 when it names d16-d31, which VFPv3-D16 lacks. */
export function dreg(f: Fields, four: string, bit: string): number {
  const r = (f[bit]! << 4) | f[four]!;
  return r < DREG_LIMIT ? r : -1;
}

/** Env word of register r: a D register (its low word) when `double`, else an S register. */
export function regWord(r: number, double: boolean): number {
  return double ? dregSlot(r) : sregSlot(r);
}

/**
 * Emits one VFP data-processing op (ir op `vfp`, fpu/fp-op.ts): d, n and m
 * are env words (regWord) or the kind's flags and counts; FPSCR is the status.
 */
export function genVfp(ctx: VfpContext, kind: VfpKind, dp: boolean, d: number, n: number, m: number): void {
  ctx.b.emit('vfp', kind, dp ? 1 : 0, d, n, m, Env.FPSCR);
}
