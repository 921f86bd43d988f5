// The A32 shifter operand (ARM ARM A5.1 / A8.4.3): immediate shifts, register
// shifts and rotated immediates, each with its carry-out.

import type { Temp } from '../ir/builder.js';
import { Cond } from '../ir/cond.js';
import { Env } from './cpu-state.js';
import type { ArmContext } from './translate-context.js';

export const enum ShiftType {
  LSL = 0,
  LSR = 1,
  ASR = 2,
  ROR = 3,
}

/** A shifted value and its carry-out (null: the carry flag is unchanged). */
export interface Shifted {
  value: Temp;
  carry: Temp | null;
}

/** Shift by an immediate (imm5), with LSR/ASR #0 meaning #32 and ROR #0 meaning RRX. */
export function genShiftImm(ctx: ArmContext, v: Temp, type: number, amount: number): Shifted {
  const b = ctx.b;
  switch (type as ShiftType) {
    case ShiftType.LSL:
      if (amount === 0) return { value: v, carry: null };
      return { value: b.binaryImm('shl', v, amount), carry: b.extract(v, 32 - amount, 1, false) };
    case ShiftType.LSR:
      if (amount === 0) return { value: b.const(0), carry: b.extract(v, 31, 1, false) };
      return { value: b.binaryImm('shr', v, amount), carry: b.extract(v, amount - 1, 1, false) };
    case ShiftType.ASR:
      if (amount === 0) return { value: b.binaryImm('sar', v, 31), carry: b.extract(v, 31, 1, false) };
      return { value: b.binaryImm('sar', v, amount), carry: b.extract(v, amount - 1, 1, false) };
    case ShiftType.ROR:
      if (amount === 0) {
        // RRX: rotate right by one through the carry flag.
        const value = b.binary('or', b.binaryImm('shr', v, 1), b.binaryImm('shl', Env.CF, 31));
        return { value, carry: b.binaryImm('and', v, 1) };
      }
      return { value: b.binaryImm('rotr', v, amount), carry: b.extract(v, amount - 1, 1, false) };
  }
  throw new Error(`internal: shift type ${type}`);
}

/** Shift by the bottom byte of a register (0..255), with ARM's large-amount rules. */
export function genShiftReg(ctx: ArmContext, v: Temp, type: number, rs: Temp): Shifted {
  const b = ctx.b;
  const amt = b.binaryImm('and', rs, 0xff);
  const zero = b.const(0);
  const c32 = b.const(32);
  const one = b.const(1);
  switch (type as ShiftType) {
    case ShiftType.LSL: {
      const value = b.movcond(Cond.LTU, amt, c32, b.binary('shl', v, amt), zero);
      // amount 1..32: bit (32 - amount); above 32: 0; 0: unchanged.
      const bit = b.binaryImm('and', b.binary('shr', v, b.binary('sub', c32, amt)), 1);
      const c = b.movcond(Cond.GTU, amt, c32, zero, bit);
      return { value, carry: b.movcond(Cond.EQ, amt, zero, Env.CF, c) };
    }
    case ShiftType.LSR: {
      const value = b.movcond(Cond.LTU, amt, c32, b.binary('shr', v, amt), zero);
      const bit = b.binaryImm('and', b.binary('shr', v, b.binary('sub', amt, one)), 1);
      const c = b.movcond(Cond.GTU, amt, c32, zero, bit);
      return { value, carry: b.movcond(Cond.EQ, amt, zero, Env.CF, c) };
    }
    case ShiftType.ASR: {
      const clamped = b.movcond(Cond.LTU, amt, c32, amt, b.const(31));
      const value = b.binary('sar', v, clamped);
      const upTo32 = b.movcond(Cond.GTU, amt, c32, c32, amt);
      const bit = b.binaryImm('and', b.binary('shr', v, b.binary('sub', upTo32, one)), 1);
      return { value, carry: b.movcond(Cond.EQ, amt, zero, Env.CF, bit) };
    }
    case ShiftType.ROR: {
      const value = b.binary('rotr', v, amt);
      const bit = b.binaryImm('shr', value, 31);
      return { value, carry: b.movcond(Cond.EQ, amt, zero, Env.CF, bit) };
    }
  }
  throw new Error(`internal: shift type ${type}`);
}

/** A32ExpandImm_C: an 8-bit value rotated right by twice the 4-bit rotation. */
export function expandImm(rot: number, imm8: number): { value: number; carryBit: number | null } {
  const r = rot * 2;
  const value = r === 0 ? imm8 : ((imm8 >>> r) | (imm8 << (32 - r))) | 0;
  return { value, carryBit: r === 0 ? null : value >>> 31 };
}
