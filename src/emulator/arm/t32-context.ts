// Translation state of Thumb code: the ARM context plus the IT block.
// The translator (t32-translator.ts) sets inItBlock per instruction; the IT
// instruction hands the new ITSTATE back through newItState.

import type { IrBuilder } from '../ir/builder.js';
import { ArmContext } from './translate-context.js';

export class ThumbContext extends ArmContext {
  /** The instruction is inside an IT block. */
  inItBlock = false;
  /** Set by IT: ITSTATE for the instructions that follow (-1: none). */
  newItState = -1;

  constructor(b: IrBuilder, tbPc: number, entryItState: number) {
    super(b, true, tbPc);
    this.noSelfLoop = entryItState !== 0;
  }

  /** The S bit of a 16-bit data-processing instruction: set flags only outside an IT block. */
  get t16SetFlags(): number {
    return this.inItBlock ? 0 : 1;
  }
}

/** True for the first halfword of a 32-bit Thumb instruction (0b11101, 0b11110, 0b11111). */
export function isWideThumb(hw1: number): boolean {
  return hw1 >>> 11 >= 0b11101;
}
