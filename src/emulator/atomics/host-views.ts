// Typed-array views of guest memory for atomic helpers, and the host
// operations on them by access size. Offsets are host byte offsets from the
// SoftMMU (aligned: exclusive and atomic accesses require natural alignment).

import { MemOp } from '../ir/memop.js';

export class HostViews {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  readonly i64: BigInt64Array;

  constructor(data: SharedArrayBuffer) {
    this.u8 = new Uint8Array(data);
    this.u16 = new Uint16Array(data);
    this.i32 = new Int32Array(data);
    this.i64 = new BigInt64Array(data);
  }

  /** Sequentially consistent load of a 1, 2 or 4 byte item (zero-extended for 1 and 2). */
  load(off: number, memop: number): number {
    switch (memop & MemOp.SIZE_MASK) {
      case MemOp.SIZE_8: return Atomics.load(this.u8, off);
      case MemOp.SIZE_16: return Atomics.load(this.u16, off >> 1);
      default: return Atomics.load(this.i32, off >> 2);
    }
  }

  /** Plain (non-atomic) load: what a racy emulation reads. */
  plainLoad(off: number, memop: number): number {
    switch (memop & MemOp.SIZE_MASK) {
      case MemOp.SIZE_8: return this.u8[off]!;
      case MemOp.SIZE_16: return this.u16[off >> 1]!;
      default: return this.i32[off >> 2]!;
    }
  }

  plainStore(off: number, value: number, memop: number): void {
    switch (memop & MemOp.SIZE_MASK) {
      case MemOp.SIZE_8: this.u8[off] = value; break;
      case MemOp.SIZE_16: this.u16[off >> 1] = value; break;
      default: this.i32[off >> 2] = value;
    }
  }

  store(off: number, value: number, memop: number): void {
    switch (memop & MemOp.SIZE_MASK) {
      case MemOp.SIZE_8: Atomics.store(this.u8, off, value); break;
      case MemOp.SIZE_16: Atomics.store(this.u16, off >> 1, value); break;
      default: Atomics.store(this.i32, off >> 2, value);
    }
  }

  /** Atomic exchange; returns the old value (zero-extended for 1 and 2 bytes). */
  exchange(off: number, value: number, memop: number): number {
    switch (memop & MemOp.SIZE_MASK) {
      case MemOp.SIZE_8: return Atomics.exchange(this.u8, off, value);
      case MemOp.SIZE_16: return Atomics.exchange(this.u16, off >> 1, value);
      default: return Atomics.exchange(this.i32, off >> 2, value);
    }
  }

  /** Atomic compare-and-swap; true if the item held `expected` and now holds `replacement`. */
  compareExchange(off: number, expected: number, replacement: number, memop: number): boolean {
    switch (memop & MemOp.SIZE_MASK) {
      case MemOp.SIZE_8: return Atomics.compareExchange(this.u8, off, expected & 0xff, replacement) === (expected & 0xff);
      case MemOp.SIZE_16:
        return Atomics.compareExchange(this.u16, off >> 1, expected & 0xffff, replacement) === (expected & 0xffff);
      default: return Atomics.compareExchange(this.i32, off >> 2, expected | 0, replacement) === (expected | 0);
    }
  }

  load64(off: number): bigint {
    return Atomics.load(this.i64, off >> 3);
  }

  compareExchange64(off: number, expected: bigint, replacement: bigint): boolean {
    return Atomics.compareExchange(this.i64, off >> 3, expected, replacement) === expected;
  }
}

export function pack64(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, (BigInt(hi | 0) << 32n) | BigInt(lo >>> 0));
}

export function lo32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

export function hi32(v: bigint): number {
  return Number(BigInt.asIntN(32, v >> 32n));
}
