// The operands of the kuser cmpxchg64 helper (0xffff0f60): r0 and r1 point at
// the expected and the new 64-bit value in guest memory. Every strategy reads
// them here, before it takes any lock (a fault must not happen under one).

import { MemOp } from '../ir/memop.js';
import type { Mmu } from '../softmmu/mmu.js';
import { pack64 } from './host-views.js';

export interface Cmpxchg64Operands {
  readonly expected: bigint;
  readonly replacement: bigint;
}

/** Reads *expectedPtr and *replacementPtr (two little-endian words each). */
export function readCmpxchg64Operands(mmu: Mmu, expectedPtr: number, replacementPtr: number, pc: number): Cmpxchg64Operands {
  const expected = pack64(mmu.ld(expectedPtr, MemOp.SIZE_32, pc), mmu.ld((expectedPtr + 4) | 0, MemOp.SIZE_32, pc));
  const replacement = pack64(mmu.ld(replacementPtr, MemOp.SIZE_32, pc), mmu.ld((replacementPtr + 4) | 0, MemOp.SIZE_32, pc));
  return { expected, replacement };
}
