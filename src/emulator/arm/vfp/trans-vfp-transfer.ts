// Transfers between core registers and the VFP (ARM ARM A7.8, A7.9): every
// VMOV form between core and extension registers, VMRS and VMSR. All are bit
// copies through int32 words. In user mode only FPSCR is accessible (VFPv3
// makes FPSID, MVFR0/1 and FPEXC privileged; qemu-arm UNDEFs them too).

import { ExitReason } from '../../ir/exit-reason.js';
import { Cond } from '../../ir/cond.js';
import { Env } from '../cpu-state.js';
import type { Fields } from '../decodetree.js';
import { dreg, sreg, type VfpContext } from './vfp-context.js';
import { Fpscr } from '../../fpu/fp-op.js';
import { dregSlot, sregSlot } from './vfp-state.js';

/** VMRS/VMSR register field value of FPSCR. */
const REG_FPSCR = 1;

/** Copies FPSCR.NZCV (bits 31:28 of `t`) to the APSR flags. */
function genSetNzcv(ctx: VfpContext, t: number): void {
  const b = ctx.b;
  b.setGlobal(Env.NF, t);
  b.setGlobal(Env.ZF, b.binaryImm('xor', b.binaryImm('and', t, 0x40000000), 0x40000000));
  b.setGlobal(Env.CF, b.extract(t, 29, 1, false));
  b.setGlobal(Env.VF, b.binaryImm('shl', t, 3));
}

/** VMRS Rt, FPSCR (Rt = 15: VMRS APSR_nzcv, FPSCR). Fields: r = reg, t = Rt. */
export function transVmrs(ctx: VfpContext, f: Fields): boolean {
  if (f.r !== REG_FPSCR) return false;
  const v = ctx.b.ldEnv(Env.FPSCR);
  if (f.t === 15) genSetNzcv(ctx, v);
  else ctx.setReg(f.t!, v);
  return true;
}

/**
 * VMSR FPSCR, Rt. Short vectors (LEN/STRIDE != 0) are not emulated: such a
 * write ends the program with a report naming the instruction.
 */
export function transVmsr(ctx: VfpContext, f: Fields): boolean {
  if (f.r !== REG_FPSCR || f.t === 15) return false;
  const b = ctx.b;
  const v = ctx.reg(f.t!);
  const ok = b.newLabel();
  b.brcond(Cond.EQ, b.binaryImm('and', v, Fpscr.STRIDE_LEN_MASK), b.const(0), ok);
  // Not ctx.exitSpecial: the TB goes on after this conditional exit.
  ctx.beforeExit(false);
  b.emit('exit_special', ExitReason.UNSUPPORTED, ctx.pc | 0);
  b.setLabel(ok);
  b.stEnv(Env.FPSCR, b.binaryImm('and', v, Fpscr.WRITABLE | 0));
  return true;
}

/** VMOV Sn <-> Rt. Fields: L (1: to Rt), n:y = Vn:N, t = Rt. */
export function transVmovSingle(ctx: VfpContext, f: Fields): boolean {
  const slot = sregSlot(sreg(f, 'n', 'y'));
  const b = ctx.b;
  if (f.L) {
    const v = b.ldEnv(slot);
    // Rt = 15 is UNPREDICTABLE; qemu-arm copies bits 31:28 to the flags.
    if (f.t === 15) genSetNzcv(ctx, v);
    else ctx.setReg(f.t!, v);
  } else {
    b.stEnv(slot, ctx.reg(f.t!));
  }
  return true;
}

/** Moves two words between Rt, Rt2 and two consecutive VFP words. */
function genTwoWords(ctx: VfpContext, f: Fields, slot: number): boolean {
  const rt = f.t!;
  const rt2 = f.T!;
  if (rt === 15 || rt2 === 15) return false;
  const b = ctx.b;
  if (f.L) {
    const lo = b.ldEnv(slot);
    const hi = b.ldEnv(slot + 1);
    ctx.setReg(rt, lo);
    ctx.setReg(rt2, hi);
  } else {
    b.stEnv(slot, ctx.reg(rt));
    b.stEnv(slot + 1, ctx.reg(rt2));
  }
  return true;
}

/** VMOV Sm, Sm+1 <-> Rt, Rt2. Fields: L, T = Rt2, t = Rt, m:z = Vm:M. */
export function transVmovTwoSingles(ctx: VfpContext, f: Fields): boolean {
  const m = sreg(f, 'm', 'z');
  if (m === 31) return false;
  return genTwoWords(ctx, f, sregSlot(m));
}

/** VMOV Dm <-> Rt, Rt2. Fields: L, T = Rt2, t = Rt, z:m = M:Vm. */
export function transVmovDouble(ctx: VfpContext, f: Fields): boolean {
  const m = dreg(f, 'm', 'z');
  if (m < 0) return false;
  return genTwoWords(ctx, f, dregSlot(m));
}

/** VMOV.32 Dd[x], Rt and VMOV.32 Rt, Dn[x]. Fields: L, h = index, y:n = D:Vd or N:Vn, t = Rt. */
export function transVmovScalar(ctx: VfpContext, f: Fields): boolean {
  const d = dreg(f, 'n', 'y');
  if (d < 0 || f.t === 15) return false;
  const slot = dregSlot(d) + f.h!;
  if (f.L) ctx.setReg(f.t!, ctx.b.ldEnv(slot));
  else ctx.b.stEnv(slot, ctx.reg(f.t!));
  return true;
}
