// Extension register loads and stores (ARM ARM A7.6): VLDR, VSTR, VLDM,
// VSTM, VPUSH (= VSTMDB sp!) and VPOP (= VLDMIA sp!). Each register moves as
// aligned 32-bit words between guest memory and env, never as a JS number,
// so every bit pattern (signalling NaNs included) survives. A misaligned
// address raises SIGBUS, as on qemu-arm. Fields: p, u, w, L as in the ARM
// ARM, n = Rn, x:dddd = D:Vd, s = sz, i = imm8.

import type { Temp } from '../../ir/builder.js';
import { MemOp } from '../../ir/memop.js';
import type { Fields } from '../decodetree.js';
import { DREG_LIMIT, type VfpContext } from './vfp-context.js';
import { dregSlot, sregSlot } from './vfp-state.js';

const WORD = MemOp.SIZE_32 | MemOp.ALIGN;

/** The base address register's value; PC reads word-aligned (Align(PC, 4)). */
function base(ctx: VfpContext, rn: number): Temp {
  const v = ctx.reg(rn);
  return rn === 15 ? ctx.b.binaryImm('and', v, ~3) : v;
}

/** Loads or stores `words` consecutive env words at `slot` from/to addr. */
function genTransfer(ctx: VfpContext, load: boolean, addr: Temp, slot: number, words: number): void {
  const b = ctx.b;
  const addrs = [addr];
  for (let i = 1; i < words; i++) addrs.push(b.binaryImm('add', addr, 4 * i));
  if (load) {
    // All words of one register are loaded before any is written (a fault leaves it whole).
    const vals = addrs.map((a) => b.load(a, WORD, ctx.pc));
    vals.forEach((v, i) => b.stEnv(slot + i, v));
  } else {
    addrs.forEach((a, i) => b.store(a, b.ldEnv(slot + i), WORD, ctx.pc));
  }
}

/** VLDR / VSTR with an immediate offset (imm8 * 4). */
export function transVldrVstr(ctx: VfpContext, f: Fields): boolean {
  const dp = f.s === 1;
  const d = dp ? (f.x! << 4) | f.d! : (f.d! << 1) | f.x!;
  if (dp && d >= DREG_LIMIT) return false;
  const offset = f.i! * 4;
  const addr = ctx.b.binaryImm(f.u ? 'add' : 'sub', base(ctx, f.n!), offset);
  genTransfer(ctx, f.L === 1, addr, dp ? dregSlot(d) : sregSlot(d), dp ? 2 : 1);
  return true;
}

/**
 * VLDM / VSTM (IA with optional writeback, DB with writeback), VPUSH, VPOP.
 * For doubles an odd imm8 is the FLDMX/FSTMX form: the same registers, and
 * an IA writeback moves the base by one more word (as qemu-arm does).
 */
export function transVldmVstm(ctx: VfpContext, f: Fields): boolean {
  const dp = f.s === 1;
  const imm = f.i!;
  const rn = f.n!;
  const count = dp ? imm >> 1 : imm;
  const first = dp ? (f.x! << 4) | f.d! : (f.d! << 1) | f.x!;
  if (f.p === f.u) return false; // P = U: VSTR/VLDR or UNDEFINED
  if (f.p && !f.w) return false; // DB without writeback is UNDEFINED
  if (count === 0 || (dp && (count > 16 || first + count > DREG_LIMIT)) || (!dp && first + count > 32)) return false;
  if (rn === 15 && f.w) return false; // writeback to PC is UNPREDICTABLE: UNDEF, as qemu-arm
  const b = ctx.b;
  const start = base(ctx, rn);
  // Copy the base: a loaded register never aliases Rn, but keep the value stable anyway.
  const baseVal = b.copy(start);
  const lowest = f.p ? b.binaryImm('sub', baseVal, imm * 4) : baseVal;
  const words = dp ? 2 : 1;
  for (let i = 0; i < count; i++) {
    const addr = i === 0 ? lowest : b.binaryImm('add', lowest, i * 4 * words);
    genTransfer(ctx, f.L === 1, addr, dp ? dregSlot(first + i) : sregSlot(first + i), words);
  }
  if (f.w) {
    const delta = f.p ? -imm * 4 : dp ? count * 8 + (imm & 1) * 4 : count * 4;
    ctx.setReg(rn, b.binaryImm('add', baseVal, delta));
  }
  return true;
}
