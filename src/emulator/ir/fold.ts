// Evaluates pure single-output ops on constant inputs (used by the optimiser).
// Each result is an int32, exactly as the backend computes it.

import { evalCond } from './cond.js';
import type { Opcode } from './opcodes.js';

export function mulhu(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const ll = al * bl;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

export function mulhs(a: number, b: number): number {
  let hi = mulhu(a, b);
  if (a < 0) hi = (hi - b) | 0;
  if (b < 0) hi = (hi - a) | 0;
  return hi;
}

export function rbit(x: number): number {
  let v = x >>> 0;
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return ((v >>> 16) | (v << 16)) | 0;
}

export function bswap32(x: number): number {
  return ((x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) | 0;
}

export function bswap16(x: number): number {
  return (((x & 0x00ff00ff) << 8) | ((x >>> 8) & 0x00ff00ff)) | 0;
}

/** The mask of a field's `len` low bits (len < 32). */
export function fieldMask(len: number): number {
  return (2 ** len - 1) | 0;
}

/** The mask of the bits [pos, pos + len), every bit when len >= 32 (a deposit's). */
export function depositMask(pos: number, len: number): number {
  return len >= 32 ? -1 : (fieldMask(len) << pos) | 0;
}

export function extractBits(a: number, pos: number, len: number): number {
  return len >= 32 ? a | 0 : (a >>> pos) & fieldMask(len);
}

export function sextractBits(a: number, pos: number, len: number): number {
  return (a << (32 - pos - len)) >> (32 - len);
}

export function depositBits(a: number, b: number, pos: number, len: number): number {
  const mask = depositMask(pos, len);
  return ((a & ~mask) | ((b << pos) & mask)) | 0;
}

export function divs(a: number, b: number): number {
  return b === 0 ? 0 : (a / b) | 0;
}

export function divu(a: number, b: number): number {
  return b === 0 ? 0 : ((a >>> 0) / (b >>> 0)) | 0;
}

/** Folds a pure op with one output; returns null when the op is not foldable. */
export function foldUnaryOrBinary(opc: Opcode, x: readonly number[], c: readonly number[]): number | null {
  const [a = 0, b = 0] = x;
  switch (opc) {
    case 'mov': return a;
    case 'add': return (a + b) | 0;
    case 'sub': return (a - b) | 0;
    case 'mul': return Math.imul(a, b);
    case 'and': return a & b;
    case 'or': return a | b;
    case 'xor': return a ^ b;
    case 'andc': return a & ~b;
    case 'neg': return -a | 0;
    case 'not': return ~a;
    case 'shl': return a << b;
    case 'shr': return (a >>> b) | 0;
    case 'sar': return a >> b;
    case 'rotr': return ((a >>> b) | (a << (32 - (b & 31)))) | 0;
    case 'clz': return Math.clz32(a);
    case 'bswap32': return bswap32(a);
    case 'bswap16': return bswap16(a);
    case 'rbit': return rbit(a);
    case 'ext8s': return (a << 24) >> 24;
    case 'ext8u': return a & 0xff;
    case 'ext16s': return (a << 16) >> 16;
    case 'ext16u': return a & 0xffff;
    case 'extract': return extractBits(a, c[0]!, c[1]!);
    case 'sextract': return sextractBits(a, c[0]!, c[1]!);
    case 'deposit': return depositBits(a, b, c[0]!, c[1]!);
    case 'setcond': return evalCond(c[0]!, a, b) ? 1 : 0;
    case 'movcond': return evalCond(c[0]!, a, b) ? x[2]! : x[3]!;
    case 'divs': return divs(a, b);
    case 'divu': return divu(a, b);
    default: return null;
  }
}
