// The A32 front end: decodes guest instructions from one TB start until an
// instruction ends the TB, the page ends, or the size limit is reached, and
// builds the TB's IR (QEMU's translator_loop + disas_arm_insn).

import { IrBuilder } from '../ir/builder.js';
import { A32_GLOBALS } from './cpu-state.js';
import { ExitReason } from '../ir/exit-reason.js';
import { A32_DECODER } from './a32-table.js';
import { genKuserHelper, isKuserPc } from './trans-kuser.js';
import { A32Context, JumpState } from './translate-context.js';

export const PAGE_SIZE = 4096;

export interface TranslatedIr {
  readonly pc: number;
  readonly builder: IrBuilder;
  readonly nInsns: number;
  /** Instruction family per guest instruction, for comments in the emitted code. */
  readonly mnemonics: readonly string[];
}

/** Reads an instruction word; returns null where the guest may not execute. */
export type InsnFetcher = (pc: number) => number | null;

export function translateBlock(startPc: number, fetch: InsnFetcher, maxInsns: number): TranslatedIr {
  const b = new IrBuilder(A32_GLOBALS);
  const ctx = new A32Context(b);
  const mnemonics: string[] = [];
  let pc = startPc | 0;
  if (isKuserPc(pc)) {
    ctx.pc = pc;
    b.emit('insn_start', pc, 0);
    mnemonics.push('kuser');
    if (!genKuserHelper(ctx, pc)) ctx.exitSpecial(ExitReason.UNSUPPORTED, pc);
    return { pc: startPc | 0, builder: b, nInsns: 1, mnemonics };
  }
  for (;;) {
    const word = fetch(pc);
    if (word === null) {
      // Only the first instruction can be unfetchable here (TBs stop at page
      // ends), and the cpu loop checks that one before translating.
      throw new Error(`internal: instruction fetch failed inside a TB at 0x${(pc >>> 0).toString(16)}`);
    }
    ctx.pc = pc;
    ctx.insn = word;
    ctx.state = JumpState.NEXT;
    b.emit('insn_start', pc, word | 0);
    const cond = word >>> 28;
    let skip = -1;
    if (cond < 14) {
      skip = b.newLabel();
      ctx.skipUnless(cond, skip);
    }
    const mark = b.ops.length;
    const row = A32_DECODER.decode(ctx, word, () => {
      b.ops.length = mark;
      ctx.state = JumpState.NEXT;
    });
    mnemonics.push(row ? row.name : 'undef');
    if (row === null) ctx.exitSpecial(ExitReason.UNDEFINED, pc);
    if (skip >= 0) {
      b.setLabel(skip);
      // A conditional instruction that ended the TB falls through to the next one.
      if ((ctx.state as JumpState) === JumpState.ENDED) b.emit('goto_tb', 1, (pc + 4) | 0);
    }
    pc = (pc + 4) | 0;
    if ((ctx.state as JumpState) === JumpState.ENDED) break;
    if ((pc & (PAGE_SIZE - 1)) === 0 || mnemonics.length >= maxInsns) {
      b.emit('goto_tb', 0, pc);
      break;
    }
  }
  return { pc: startPc | 0, builder: b, nInsns: mnemonics.length, mnemonics };
}
