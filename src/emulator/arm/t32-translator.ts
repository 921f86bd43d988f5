// The Thumb (T32) front end: decodes 16- and 32-bit Thumb instructions from
// a TB start and builds the TB's IR (QEMU's thumb_tr_translate_insn).
//
// IT blocks are translated, not interpreted: ITSTATE is known at translation
// time (it is part of the TB key), so each instruction of a block gets its
// condition test and its "inside an IT block" flag statically. Env.EXEC_STATE
// is kept exact where it can be seen: every exit of a TB that met an IT block
// stores the ITSTATE the instruction it resumes at needs (so the next TB is
// looked up under it; an exit that skips ctx.beforeExit, as CBZ once did,
// leaves a stale ITSTATE there), and an instruction that may fault stores its own
// ITSTATE first when EXEC_STATE does not hold it already (so a signal frame
// records it). Code outside IT blocks never stores it.
// A 32-bit instruction that would cross a page starts a TB of its own, which
// then reads two pages (page2).

import { GuestFault, SEGV_MAPERR, SIGSEGV } from '../softmmu/guest-fault.js';
import { PAGE_BITS, PAGE_SIZE } from '../softmmu/page-bits.js';
import { IrBuilder } from '../ir/builder.js';
import { OPCODES, OPF_MAY_FAULT } from '../ir/opcodes.js';
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
  // ITSTATE as EXEC_STATE holds it here (the TB was entered under its key), and
  // whether this TB has met an IT block (entered inside one, or translated one).
  let envIt = entryIt;
  let itSeen = entryIt !== 0;
  /** Before an exit: the ITSTATE of the instruction execution resumes at. */
  const storeItState = (it: number): void => {
    if (itSeen) b.stEnv(Env.EXEC_STATE, b.const(EXEC_THUMB | (it << 1)));
  };
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
    const syncAt = b.ops.length;
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
    if (itBefore !== envIt && mayFault(b, mark)) {
      // Ahead of the condition test, so that both paths agree on what EXEC_STATE holds.
      const t = b.newTemp();
      b.ops.splice(syncAt, 0, { opc: 'movi', args: [t, EXEC_THUMB | (itBefore << 1)] }, { opc: 'st_env', args: [t, Env.EXEC_STATE] });
      envIt = itBefore;
    }
    pc = (pc + ctx.insnLength) | 0;
    it = ctx.newItState >= 0 ? ctx.newItState : itAfter;
    if (ctx.newItState >= 0) itSeen = true;
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

/** Whether the ops from `from` on can raise a guest fault (memory accesses). */
function mayFault(b: IrBuilder, from: number): boolean {
  for (let i = from; i < b.ops.length; i++) if (OPCODES[b.ops[i]!.opc].flags & OPF_MAY_FAULT) return true;
  return false;
}
