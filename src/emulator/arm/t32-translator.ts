// The Thumb (T32) front end: decodes 16- and 32-bit Thumb instructions from
// a TB start and builds the TB's IR (QEMU's thumb_tr_translate_insn).
//
// IT blocks are translated, not interpreted: ITSTATE is known at translation
// time (it is part of the TB key), so each instruction of a block gets its
// condition test and its "inside an IT block" flag statically. A TB that
// starts inside a block clears Env.EXEC_STATE's ITSTATE on entry (as QEMU
// does) and every exit taken while a block is still open stores the ITSTATE
// the next instruction needs, so the following TB is looked up under it.
// A 32-bit instruction that would cross a page starts a TB of its own, which
// then reads two pages (page2).

import { GuestFault, SEGV_MAPERR, SIGSEGV } from '../softmmu/guest-fault.js';
import { PAGE_BITS, PAGE_SIZE } from '../softmmu/page-bits.js';
import { IrBuilder } from '../ir/builder.js';
import { ExitReason } from '../ir/exit-reason.js';
import { A32_GLOBALS, Env } from './cpu-state.js';
import { EXEC_THUMB, itAdvance } from './exec-state.js';
import { T16_DECODER } from './t16-table.js';
import { isWideThumb, ThumbContext } from './t32-context.js';
import { T32_DECODER } from './t32-table.js';
import { JumpState } from './translate-context.js';
import type { CodeFetcher, TranslatedIr } from './translator.js';

const hex = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');

export function translateT32Block(startPc: number, entryIt: number, code: CodeFetcher, maxInsns: number): TranslatedIr {
  const b = new IrBuilder(A32_GLOBALS);
  const ctx = new ThumbContext(b, startPc, entryIt);
  const mnemonics: string[] = [];
  const storeItState = (it: number): void => {
    if (it !== 0) b.stEnv(Env.EXEC_STATE, b.const(EXEC_THUMB | (it << 1)));
  };
  if (entryIt !== 0) b.stEnv(Env.EXEC_STATE, b.const(EXEC_THUMB));
  let pc = startPc | 0;
  let it = entryIt;
  let page2 = -1;
  for (;;) {
    const hw1 = code.fetch16(pc);
    if (hw1 === null) throw new Error(`internal: instruction fetch failed inside a TB at 0x${hex(pc)}`);
    let insn = hw1;
    const wide = isWideThumb(hw1);
    if (wide) {
      const second = (pc + 2) | 0;
      if ((second & (PAGE_SIZE - 1)) === 0) {
        // The instruction crosses into the next page: it starts a TB of its own.
        if (mnemonics.length > 0) {
          storeItState(it);
          b.emit('goto_tb', 0, pc);
          break;
        }
        page2 = second >>> PAGE_BITS;
      }
      const hw2 = code.fetch16(second);
      // (SEGV_MAPERR: the translator cannot tell an unmapped page from a mapped non-executable one.)
      if (hw2 === null) throw new GuestFault(SIGSEGV, second, pc, 'execute', 'instruction fetch from a non-executable or unmapped page', SEGV_MAPERR);
      insn = ((hw1 << 16) | hw2) >>> 0;
    }
    ctx.pc = pc;
    ctx.insn = insn;
    ctx.insnLength = wide ? 4 : 2;
    ctx.state = JumpState.NEXT;
    ctx.inItBlock = (it & 0xf) !== 0;
    ctx.newItState = -1;
    const itBefore = it;
    const itAfter = itAdvance(it);
    ctx.beforeExit = (resumeAtNext) => storeItState(resumeAtNext ? itAfter : itBefore);
    b.emit('insn_start', pc, insn | 0);
    const cond = ctx.inItBlock ? it >>> 4 : 14;
    let skip = -1;
    if (cond < 14) {
      skip = b.newLabel();
      ctx.skipUnless(cond, skip);
    }
    const mark = b.ops.length;
    const row = (wide ? T32_DECODER : T16_DECODER).decode(ctx, insn, () => {
      b.ops.length = mark;
      ctx.state = JumpState.NEXT;
    });
    mnemonics.push(row ? row.name : 'undef');
    if (row === null) ctx.exitSpecial(ExitReason.UNDEFINED, pc);
    pc = (pc + ctx.insnLength) | 0;
    it = ctx.newItState >= 0 ? ctx.newItState : itAfter;
    if (skip >= 0) {
      b.setLabel(skip);
      // A conditional instruction that ended the TB falls through to the next one.
      if ((ctx.state as JumpState) === JumpState.ENDED) {
        storeItState(itAfter);
        b.emit('goto_tb', 1, pc);
      }
    }
    if ((ctx.state as JumpState) === JumpState.ENDED) break;
    if ((pc & (PAGE_SIZE - 1)) === 0 || page2 >= 0 || mnemonics.length >= maxInsns) {
      storeItState(it);
      b.emit('goto_tb', 0, pc);
      break;
    }
  }
  return { pc: startPc | 0, builder: b, nInsns: mnemonics.length, mnemonics, byteLength: (pc - startPc) | 0, page2 };
}
