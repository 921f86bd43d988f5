// The JavaScript of a single TB: a region of one block (see emit-region.ts).
// The fuzz test and the golden emitted-code tests look at TBs this way.

import type { AtomicLowering } from '../atomics/strategy.js';
import type { IrGlobals } from '../ir/globals.js';
import type { Op } from '../ir/opcodes.js';
import { HDR_CODE_EPOCH } from '../softmmu/guest-memory.js';
import { emitRegion } from './emit-region.js';

export interface TbSourceInfo {
  readonly pc: number;
  /** Per guest instruction: mnemonic family (decoder row name, from our own table). */
  readonly mnemonics: readonly string[];
}

/**
 * The body of `function (b, n)` for one TB (entry b = 0) whose successors
 * are not known yet: every exit leaves the function.
 */
export function emitTb(ops: readonly Op[], info: TbSourceInfo, globals: IrGlobals, atomics: AtomicLowering, withComments: boolean): string {
  const nInsns = ops.filter((op) => op.opc === 'insn_start').length;
  const block = { pc: info.pc, key: info.pc, ops, nInsns, mnemonics: info.mnemonics, targets: [], indirectTargets: [] };
  return emitRegion([block], { globals, atomics, epochIndex: HDR_CODE_EPOCH, keyOf: (pc) => pc, withComments }).source;
}
