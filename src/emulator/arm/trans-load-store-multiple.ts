// LDM/STM in all four modes (IA, IB, DA, DB), with writeback, the base in the
// list, and PC in the list (LDM: an interworking return; STM: stores pc+8).

import type { Temp } from '../ir/builder.js';
import { MemOp } from '../ir/memop.js';
import type { Fields } from './decodetree.js';
import type { ArmContext } from './translate-context.js';

/** LDM/STM{IA,IB,DA,DB} Rn{!}, {reglist}. f.S (user registers) is UNPREDICTABLE in user mode. */
export function transLdmStm(ctx: ArmContext, f: Fields<'L' | 'n' | 'p' | 'r' | 'S' | 'u' | 'w'>): boolean {
  const list = f.r;
  const rn = f.n;
  if (list === 0 || f.S || rn === 15) return false;
  const isLoad = f.L === 1;
  const writeback = f.w === 1;
  const count = popcount(list);
  // LDM with writeback and Rn in the list is UNPREDICTABLE in ARMv7; like
  // qemu-arm, the loaded value wins over the written-back base (see below).
  const b = ctx.b;
  // Copy the base: the list may overwrite Rn before the last address is formed.
  const base = b.copy(rn);
  let start: Temp;
  if (f.u) start = f.p ? b.binaryImm('add', base, 4) : base;
  else start = b.binaryImm('sub', base, f.p ? 4 * count : 4 * count - 4);
  const memop = MemOp.SIZE_32 | MemOp.ALIGN;
  const loaded: [number, Temp][] = [];
  let offset = 0;
  for (let r = 0; r < 16; r++) {
    if (!(list & (1 << r))) continue;
    const addr = offset === 0 ? start : b.binaryImm('add', start, offset);
    if (isLoad) loaded.push([r, b.load(addr, memop, ctx.pc)]);
    else b.store(addr, ctx.reg(r), memop, ctx.pc);
    offset += 4;
  }
  if (writeback) {
    const newBase = f.u ? b.binaryImm('add', base, 4 * count) : b.binaryImm('sub', base, 4 * count);
    ctx.setReg(rn, newBase);
  }
  let newPc: Temp | null = null;
  // Indexed, without destructuring: LDM and POP are common, and a new vCPU worker runs this unoptimised,
  // where for-of and an array's destructuring call V8's iterator protocol per element.
  for (let k = 0; k < loaded.length; k++) {
    const r = loaded[k]![0];
    const v = loaded[k]![1];
    if (r === 15) newPc = v;
    else ctx.setReg(r, v);
  }
  if (newPc !== null) ctx.bxWritePc(newPc);
  return true;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}
