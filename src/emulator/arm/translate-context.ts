// Per-instruction translation state and the helpers every trans* handler
// shares, in ARM (A32) and Thumb (T32) state alike: register access (R15 reads
// as the instruction address + 8 in ARM state, + 4 in Thumb state), the three
// ways ARMv7 writes the PC, condition tests and flags.

import { IrBuilder, type Label, type Temp } from '../ir/builder.js';
import { Cond } from '../ir/cond.js';
import { ExitReason } from '../ir/exit-reason.js';
import { Env } from './cpu-state.js';

/** The comparison `a cond b` that is true when an ARM condition holds. */
export interface CondTest {
  cond: Cond;
  a: Temp;
  b: Temp;
}

export const enum JumpState {
  /** Translation continues with the next instruction. */
  NEXT = 0,
  /** The instruction ended the TB (its exits are emitted). */
  ENDED = 1,
}

export class ArmContext {
  /** Address of the instruction being translated. */
  pc = 0;
  /** Its encoding (T32: hw1 << 16 | hw2; a 16-bit instruction in the low half). */
  insn = 0;
  /** Its length in bytes: 4, or 2 for a 16-bit Thumb instruction. */
  insnLength = 4;
  state = JumpState.NEXT;
  /** A direct jump to tbPc must not become a self loop (the TB started inside an IT block). */
  noSelfLoop = false;
  /**
   * Called before every exit the instruction emits; `resumeAtNext` tells
   * whether execution resumes after it. The Thumb translator stores ITSTATE here.
   */
  beforeExit: (resumeAtNext: boolean) => void = () => {};

  /**
   * @param thumb the instruction set state being translated
   * @param tbPc the address the TB starts at (a direct jump there from inside is a self loop)
   */
  constructor(readonly b: IrBuilder, readonly thumb = false, readonly tbPc = 0) {}

  /** Address of the next instruction. */
  get nextPc(): number {
    return (this.pc + this.insnLength) | 0;
  }

  /** The return address BL/BLX leave in LR: the next instruction, bit 0 set in Thumb state. */
  get linkValue(): number {
    return this.thumb ? this.nextPc | 1 : this.nextPc;
  }

  // ---- registers ----

  /** Reads Rn as an operand: R15 reads as the instruction address + 8 (ARM) or + 4 (Thumb). */
  reg(n: number): Temp {
    return n === 15 ? this.b.const(this.pc + (this.thumb ? 4 : 8)) : n;
  }

  /** Align(PC, 4): the base of Thumb literal loads and ADR. */
  get alignedPc(): number {
    return ((this.pc + 4) & ~3) | 0;
  }

  /** Writes a register other than PC. */
  setReg(n: number, v: Temp): void {
    if (n === 15) throw new Error('internal: setReg(15): use a *WritePc');
    this.b.setGlobal(n, v);
  }

  /** Writes Rd of a data-processing instruction, where Rd may be PC (ALUWritePC). */
  setRegOrPc(n: number, v: Temp): void {
    if (n === 15) this.aluWritePc(v);
    else this.setReg(n, v);
  }

  /** Writes Rt of a load, where Rt may be PC (LoadWritePC). */
  setRegOrLoadPc(n: number, v: Temp): void {
    if (n === 15) this.bxWritePc(v);
    else this.setReg(n, v);
  }

  // ---- PC writes (ARM ARM A2.3.1) ----

  /** BXWritePC (BX, BLX, and loads): bit 0 selects Thumb state; any IT block ends. */
  bxWritePc(v: Temp): void {
    const b = this.b;
    b.stEnv(Env.EXEC_STATE, b.binaryImm('and', v, 1));
    b.emit('exit_indirect', b.binaryImm('andc', v, 1));
    this.state = JumpState.ENDED;
  }

  /** ALUWritePC: interworking in ARM state; in Thumb state a plain branch (bit 0 ignored). */
  aluWritePc(v: Temp): void {
    if (!this.thumb) {
      this.bxWritePc(v);
      return;
    }
    this.beforeExit(true);
    this.b.emit('exit_indirect', this.b.binaryImm('andc', v, 1));
    this.state = JumpState.ENDED;
  }

  // ---- control flow ----

  /** A direct branch that stays in the current state. */
  jumpDirect(dest: number): void {
    this.beforeExit(true);
    if (this.noSelfLoop && (dest | 0) === (this.tbPc | 0)) this.b.emit('exit_indirect', this.b.const(dest));
    else this.b.emit('goto_tb', 0, dest | 0);
    this.state = JumpState.ENDED;
  }

  /** B<cond>: to `dest` when the condition holds, else to the next instruction. */
  condJump(cond: number, dest: number): void {
    const b = this.b;
    const skip = b.newLabel();
    this.skipUnless(cond, skip);
    this.jumpDirect(dest);
    b.setLabel(skip);
    this.beforeExit(true);
    b.emit('goto_tb', 1, this.nextPc);
    this.state = JumpState.ENDED;
  }

  /** A direct branch that changes state (BLX immediate): `toThumb` is the new state. */
  jumpDirectInterworking(dest: number, toThumb: boolean): void {
    const b = this.b;
    b.stEnv(Env.EXEC_STATE, b.const(toThumb ? 1 : 0));
    // goto_tb keeps its chain link per exit slot, but a jump to this TB's own
    // address would look like a self loop in the other state: go indirect then.
    if ((dest | 0) === (this.tbPc | 0)) b.emit('exit_indirect', b.const(dest));
    else b.emit('goto_tb', 0, dest | 0);
    this.state = JumpState.ENDED;
  }

  /** Ends the TB with an exit the cpu loop handles; R15 is set to `resumePc`. */
  exitSpecial(reason: ExitReason, resumePc: number): void {
    this.beforeExit((resumePc | 0) !== (this.pc | 0));
    this.b.emit('exit_special', reason, resumePc | 0);
    this.state = JumpState.ENDED;
  }

  // ---- conditions ----

  /** Builds the test for ARM condition `cond` (0..13) from the flag globals. */
  testCond(cond: number): CondTest {
    const b = this.b;
    const zero = b.const(0);
    switch (cond >> 1) {
      case 0: // EQ / NE
        return this.maybeInvert(cond, { cond: Cond.EQ, a: Env.ZF, b: zero });
      case 1: // CS / CC
        return this.maybeInvert(cond, { cond: Cond.NE, a: Env.CF, b: zero });
      case 2: // MI / PL
        return this.maybeInvert(cond, { cond: Cond.LT, a: Env.NF, b: zero });
      case 3: // VS / VC
        return this.maybeInvert(cond, { cond: Cond.LT, a: Env.VF, b: zero });
      case 4: { // HI / LS: C set and Z clear
        const t = b.binary('and', b.unary('neg', Env.CF), Env.ZF);
        return this.maybeInvert(cond, { cond: Cond.NE, a: t, b: zero });
      }
      case 5: { // GE / LT: N == V
        const t = b.binary('xor', Env.NF, Env.VF);
        return this.maybeInvert(cond, { cond: Cond.GE, a: t, b: zero });
      }
      case 6: { // GT / LE: Z clear and N == V
        const t = b.binaryImm('sar', b.binary('xor', Env.NF, Env.VF), 31);
        const u = b.binary('andc', Env.ZF, t);
        return this.maybeInvert(cond, { cond: Cond.NE, a: u, b: zero });
      }
      default:
        throw new Error(`internal: testCond(${cond})`);
    }
  }

  private maybeInvert(cond: number, t: CondTest): CondTest {
    if (cond & 1) {
      const inv: Record<number, Cond> = {
        [Cond.EQ]: Cond.NE, [Cond.NE]: Cond.EQ, [Cond.LT]: Cond.GE, [Cond.GE]: Cond.LT,
      };
      return { cond: inv[t.cond]!, a: t.a, b: t.b };
    }
    return t;
  }

  /** Emits a branch to `label` taken when ARM condition `cond` fails. */
  skipUnless(cond: number, label: Label): void {
    const t = this.testCond(cond ^ 1);
    this.b.brcond(t.cond, t.a, t.b, label);
  }

  // ---- flags ----

  /** N and Z from a result. */
  setNZ(result: Temp): void {
    this.b.setGlobal(Env.NF, result);
    this.b.setGlobal(Env.ZF, result);
  }

  setCF(c01: Temp): void {
    this.b.setGlobal(Env.CF, c01);
  }

  setVF(vBit31: Temp): void {
    this.b.setGlobal(Env.VF, vBit31);
  }

  /** a + b + carryIn with all four flags (ADDS, ADCS, CMN). */
  addWithFlags(a: Temp, bv: Temp, carryIn: Temp | null): Temp {
    const b = this.b;
    const zero = b.const(0);
    // Pairs read by index, not destructured: ADDS and CMN are common, and a new vCPU worker runs this
    // unoptimised, where an array's destructuring calls V8's iterator protocol.
    let sum: readonly [Temp, Temp];
    if (carryIn === null) {
      sum = b.add2(a, zero, bv, zero);
    } else {
      const t = b.add2(a, zero, carryIn, zero);
      sum = b.add2(t[0], t[1], bv, zero);
    }
    const res = sum[0];
    const carry = sum[1];
    this.setNZ(res);
    this.setCF(carry);
    // V: operands had the same sign and the result's sign differs.
    this.setVF(b.binary('andc', b.binary('xor', res, a), b.binary('xor', a, bv)));
    return res;
  }

  /** a - b - !carryIn with all four flags (SUBS, SBCS, RSBS, RSCS, CMP). */
  subWithFlags(a: Temp, bv: Temp, carryIn: Temp | null): Temp {
    const b = this.b;
    if (carryIn === null) {
      const res = b.binary('sub', a, bv);
      this.setNZ(res);
      this.setCF(b.setcond(Cond.GEU, a, bv));
      this.setVF(b.binary('and', b.binary('xor', a, bv), b.binary('xor', a, res)));
      return res;
    }
    // a + ~b + C
    const nb = b.unary('not', bv);
    const zero = b.const(0);
    const t = b.add2(a, zero, carryIn, zero);
    const sum = b.add2(t[0], t[1], nb, zero);
    const res = sum[0];
    const carry = sum[1];
    this.setNZ(res);
    this.setCF(carry);
    this.setVF(b.binary('and', b.binary('xor', a, bv), b.binary('xor', a, res)));
    return res;
  }
}
