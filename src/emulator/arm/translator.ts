// The front end: decodes guest instructions from one TB start until an
// instruction ends the TB, the page ends, or the size limit is reached, and
// builds the TB's IR (QEMU's translator_loop + disas_arm_insn). ARM state is
// translated here; Thumb state by t32-translator.ts. The kuser helper page is
// the same in both states: its entry points become IR.

import { IrBuilder } from '../ir/builder.js';
import { A32_GLOBALS } from './cpu-state.js';
import { ExitReason } from '../ir/exit-reason.js';
import { A32_DECODER } from './a32-table.js';
import { genKuserHelper, isKuserPc } from './trans-kuser.js';
import { ArmContext, JumpState } from './translate-context.js';
import { translateT32Block } from './t32-translator.js';

export const PAGE_SIZE = 4096;

export interface TranslatedIr {
  readonly pc: number;
  readonly builder: IrBuilder;
  readonly nInsns: number;
  /** Instruction family per guest instruction, for comments in the emitted code. */
  readonly mnemonics: readonly string[];
  /** Bytes of guest code the TB was translated from (from pc on, possibly into page2). */
  readonly byteLength: number;
  /**
   * The second code page the TB reads (a 32-bit Thumb instruction that
   * starts on the last halfword of a page), or -1.
   */
  readonly page2: number;
}

/** Reads guest code; each returns null where the guest may not execute. */
export interface CodeFetcher {
  /** The aligned instruction word at pc. */
  fetch32(pc: number): number | null;
  /** The halfword at pc (pc even). */
  fetch16(pc: number): number | null;
}

/**
 * Translates the TB at `startPc` in the state `execState` (Env.EXEC_STATE:
 * bit 0 Thumb, bits 8..1 ITSTATE), as the TB key names it.
 */
export function translateBlock(startPc: number, execState: number, code: CodeFetcher, maxInsns: number): TranslatedIr {
  if (isKuserPc(startPc)) return translateKuser(startPc);
  if (execState & 1) return translateT32Block(startPc, (execState >>> 1) & 0xff, code, maxInsns);
  return translateA32Block(startPc, code, maxInsns);
}

/** The instruction at pc for a report: the A32 word, or the T32 halfword(s) as hw1 << 16 | hw2. */
export function insnWordAt(code: CodeFetcher, pc: number, execState: number): number | null {
  if (!(execState & 1)) return code.fetch32(pc);
  const hw1 = code.fetch16(pc);
  if (hw1 === null || hw1 >>> 11 < 0b11101) return hw1;
  const hw2 = code.fetch16((pc + 2) | 0);
  return hw2 === null ? hw1 : ((hw1 << 16) | hw2) >>> 0;
}

/** A call to a kuser helper (from either state): the helper's semantics, then a return to LR. */
function translateKuser(pc: number): TranslatedIr {
  const b = new IrBuilder(A32_GLOBALS);
  const ctx = new ArmContext(b);
  ctx.pc = pc;
  b.emit('insn_start', pc, 0);
  if (!genKuserHelper(ctx, pc)) ctx.exitSpecial(ExitReason.UNSUPPORTED, pc);
  return { pc: pc | 0, builder: b, nInsns: 1, mnemonics: ['kuser'], byteLength: 4, page2: -1 };
}

function translateA32Block(startPc: number, code: CodeFetcher, maxInsns: number): TranslatedIr {
  const b = new IrBuilder(A32_GLOBALS);
  const ctx = new ArmContext(b, false, startPc);
  const mnemonics: string[] = [];
  let pc = startPc | 0;
  for (;;) {
    const word = code.fetch32(pc);
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
  return { pc: startPc | 0, builder: b, nInsns: mnemonics.length, mnemonics, byteLength: mnemonics.length * 4, page2: -1 };
}
