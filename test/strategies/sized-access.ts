// Exclusive and plain accesses of one size as unsigned bigints, so that the
// semantics tests are one table over B, H, W and D.

import { MemOp } from '../../src/emulator/ir/memop.js';
import { EXCL_MEMOPS, type ExclSize, join64, type LoweredAtomics, SIZE_BYTES } from '../../harness/lowered-atomics.js';

const PLAIN_MEMOP: Readonly<Record<Exclude<ExclSize, 'D'>, number>> = {
  B: MemOp.SIZE_8, H: MemOp.SIZE_16, W: MemOp.SIZE_32,
};

export class SizedAccess {
  readonly bytes: number;
  readonly mask: bigint;

  constructor(readonly size: ExclSize) {
    this.bytes = SIZE_BYTES[size];
    this.mask = (1n << BigInt(8 * this.bytes)) - 1n;
  }

  /** LDREX of this size; also checks that LDREXD's high word came through env (HELPER_HI). */
  ldrex(ops: LoweredAtomics, addr: number): bigint {
    if (this.size === 'D') return ops.ldrexd(addr);
    return BigInt(ops.ldrex(addr, EXCL_MEMOPS[this.size]).lo >>> 0);
  }

  strex(ops: LoweredAtomics, addr: number, value: bigint): number {
    if (this.size === 'D') return ops.strexd(addr, value);
    return ops.strex(addr, Number(BigInt.asIntN(32, value)), 0, EXCL_MEMOPS[this.size]);
  }

  load(ops: LoweredAtomics, addr: number): bigint {
    if (this.size === 'D') return ops.load64(addr);
    return BigInt(ops.load(addr, PLAIN_MEMOP[this.size]) >>> 0) & this.mask;
  }

  store(ops: LoweredAtomics, addr: number, value: bigint): void {
    if (this.size === 'D') ops.store64(addr, value);
    else ops.store(addr, Number(BigInt.asIntN(32, value)), PLAIN_MEMOP[this.size]);
  }

  /** A different exclusive size whose alignment an 8-aligned address also meets. */
  otherSize(): ExclSize {
    return ({ B: 'H', H: 'B', W: 'D', D: 'W' } as const)[this.size];
  }
}

/** Two distinct values per size with high bits set (zero-extension and sign bugs show). */
export const SAMPLE_VALUES: Readonly<Record<ExclSize, readonly [bigint, bigint, bigint]>> = {
  B: [0xa5n, 0x5an, 0xffn],
  H: [0xbeefn, 0x1234n, 0x8001n],
  W: [0x89abcdefn, 0x12345678n, 0xfffffffen],
  D: [0xfedcba9876543210n, 0x0123456789abcdefn, 0x80000000ffffffffn],
};

export { join64 };
