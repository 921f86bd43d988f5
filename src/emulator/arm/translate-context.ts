// Per-instruction translation state and the A32 helpers every trans* handler
// shares: register access (R15 reads as pc+8), PC writes, condition tests, flags.

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

export class A32Context {
  /** Address of the instruction being translated. */
  pc = 0;
  /** Its encoding. */
  insn = 0;
  state = JumpState.NEXT;

  constructor(readonly b: IrBuilder) {}

  // ---- registers ----

  /** Reads Rn as an operand: R15 reads as the instruction address + 8. */
  reg(n: number): Temp {
    return n === 15 ? this.b.const(this.pc + 8) : n;
  }

  /** Writes a register other than PC. */
  setReg(n: number, v: Temp): void {
    if (n === 15) throw new Error('internal: setReg(15): use writePc');
    this.b.setGlobal(n, v);
  }

  /**
   * Writes PC as ARMv7 does for loads and data processing (BXWritePC):
   * bit 0 selects Thumb, which the cpu loop reports as unsupported.
   */
  writePc(v: Temp): void {
    this.b.emit('exit_indirect', v);
    this.state = JumpState.ENDED;
  }

  /** Writes Rd, where Rd may be PC. */
  setRegOrPc(n: number, v: Temp): void {
    if (n === 15) this.writePc(v);
    else this.setReg(n, v);
  }

  // ---- control flow ----

  jumpDirect(dest: number): void {
    this.b.emit('goto_tb', 0, dest | 0);
    this.state = JumpState.ENDED;
  }

  /** Ends the TB with an exit the cpu loop handles; R15 is set to `resumePc`. */
  exitSpecial(reason: ExitReason, resumePc: number): void {
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
    let res: Temp;
    let carry: Temp;
    if (carryIn === null) {
      [res, carry] = b.add2(a, zero, bv, zero);
    } else {
      const [t, c1] = b.add2(a, zero, carryIn, zero);
      [res, carry] = b.add2(t, c1, bv, zero);
    }
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
    const [t, c1] = b.add2(a, zero, carryIn, zero);
    const [res, carry] = b.add2(t, c1, nb, zero);
    this.setNZ(res);
    this.setCF(carry);
    this.setVF(b.binary('and', b.binary('xor', a, bv), b.binary('xor', a, res)));
    return res;
  }
}
