// JavaScript for the pure IR ops: every value an int32 held in a local.

import { Cond } from '../ir/cond.js';
import type { Op } from '../ir/opcodes.js';
import { lit, tempName as n } from './js-names.js';

/** `a cond b` as a JS boolean expression. */
export function condExpr(c: Cond, a: string, b: string): string {
  switch (c) {
    case Cond.EQ: return `${a} === ${b}`;
    case Cond.NE: return `${a} !== ${b}`;
    case Cond.LT: return `${a} < ${b}`;
    case Cond.GE: return `${a} >= ${b}`;
    case Cond.LE: return `${a} <= ${b}`;
    case Cond.GT: return `${a} > ${b}`;
    case Cond.LTU: return `(${a} >>> 0) < (${b} >>> 0)`;
    case Cond.GEU: return `(${a} >>> 0) >= (${b} >>> 0)`;
    case Cond.LEU: return `(${a} >>> 0) <= (${b} >>> 0)`;
    case Cond.GTU: return `(${a} >>> 0) > (${b} >>> 0)`;
  }
}

function mask(len: number): number {
  return len >= 32 ? -1 : (1 << len) - 1;
}

/** Statement for a pure op, or null if the op is not an ALU op. */
export function emitAlu(op: Op): string | null {
  const a = op.args;
  switch (op.opc) {
    case 'mov': return `${n(a[0]!)} = ${n(a[1]!)};`;
    case 'movi': return `${n(a[0]!)} = ${lit(a[1]!)};`;
    case 'add': return `${n(a[0]!)} = (${n(a[1]!)} + ${n(a[2]!)}) | 0;`;
    case 'sub': return `${n(a[0]!)} = (${n(a[1]!)} - ${n(a[2]!)}) | 0;`;
    case 'mul': return `${n(a[0]!)} = Math.imul(${n(a[1]!)}, ${n(a[2]!)});`;
    case 'and': return `${n(a[0]!)} = ${n(a[1]!)} & ${n(a[2]!)};`;
    case 'or': return `${n(a[0]!)} = ${n(a[1]!)} | ${n(a[2]!)};`;
    case 'xor': return `${n(a[0]!)} = ${n(a[1]!)} ^ ${n(a[2]!)};`;
    case 'andc': return `${n(a[0]!)} = ${n(a[1]!)} & ~${n(a[2]!)};`;
    case 'neg': return `${n(a[0]!)} = (-${n(a[1]!)}) | 0;`;
    case 'not': return `${n(a[0]!)} = ~${n(a[1]!)};`;
    case 'shl': return `${n(a[0]!)} = ${n(a[1]!)} << ${n(a[2]!)};`;
    case 'shr': return `${n(a[0]!)} = (${n(a[1]!)} >>> ${n(a[2]!)}) | 0;`;
    case 'sar': return `${n(a[0]!)} = ${n(a[1]!)} >> ${n(a[2]!)};`;
    case 'rotr': {
      const x = n(a[1]!);
      const s = n(a[2]!);
      return `${n(a[0]!)} = (${x} >>> ${s}) | (${x} << (32 - ${s}));`;
    }
    case 'clz': return `${n(a[0]!)} = Math.clz32(${n(a[1]!)});`;
    case 'bswap32': {
      const x = n(a[1]!);
      return `${n(a[0]!)} = (${x} << 24) | ((${x} & 0xff00) << 8) | ((${x} >>> 8) & 0xff00) | (${x} >>> 24);`;
    }
    case 'bswap16': {
      const x = n(a[1]!);
      return `${n(a[0]!)} = ((${x} >>> 8) & 0x00ff00ff) | ((${x} & 0x00ff00ff) << 8);`;
    }
    case 'rbit': return `${n(a[0]!)} = rbit(${n(a[1]!)});`;
    case 'ext8s': return `${n(a[0]!)} = (${n(a[1]!)} << 24) >> 24;`;
    case 'ext8u': return `${n(a[0]!)} = ${n(a[1]!)} & 0xff;`;
    case 'ext16s': return `${n(a[0]!)} = (${n(a[1]!)} << 16) >> 16;`;
    case 'ext16u': return `${n(a[0]!)} = ${n(a[1]!)} & 0xffff;`;
    case 'extract': {
      const [pos, len] = [a[2]!, a[3]!];
      if (len >= 32) return `${n(a[0]!)} = ${n(a[1]!)};`;
      return `${n(a[0]!)} = (${n(a[1]!)} >>> ${pos}) & ${lit(mask(len))};`;
    }
    case 'sextract': {
      const [pos, len] = [a[2]!, a[3]!];
      return `${n(a[0]!)} = (${n(a[1]!)} << ${32 - pos - len}) >> ${32 - len};`;
    }
    case 'deposit': {
      const [pos, len] = [a[3]!, a[4]!];
      const m = (mask(len) << pos) | 0;
      return `${n(a[0]!)} = (${n(a[1]!)} & ${lit(~m)}) | ((${n(a[2]!)} << ${pos}) & ${lit(m)});`;
    }
    case 'setcond': return `${n(a[0]!)} = ${condExpr(a[3]! as Cond, n(a[1]!), n(a[2]!))} ? 1 : 0;`;
    case 'movcond':
      return `${n(a[0]!)} = ${condExpr(a[5]! as Cond, n(a[1]!), n(a[2]!))} ? ${n(a[3]!)} : ${n(a[4]!)};`;
    case 'mulu2':
    case 'muls2': {
      const [lo, hi, x, y] = [n(a[0]!), n(a[1]!), n(a[2]!), n(a[3]!)];
      const h = op.opc === 'mulu2' ? 'mulhu' : 'mulhs';
      return `{ const l = Math.imul(${x}, ${y}), h = ${h}(${x}, ${y}); ${lo} = l; ${hi} = h; }`;
    }
    case 'add2': {
      const [lo, hi, al, ah, bl, bh] = a.map(n) as [string, string, string, string, string, string];
      return `{ const l = (${al} + ${bl}) | 0; const h = (${ah} + ${bh} + ((l >>> 0) < (${al} >>> 0) ? 1 : 0)) | 0; ${lo} = l; ${hi} = h; }`;
    }
    case 'sub2': {
      const [lo, hi, al, ah, bl, bh] = a.map(n) as [string, string, string, string, string, string];
      return `{ const l = (${al} - ${bl}) | 0; const h = (${ah} - ${bh} - ((${al} >>> 0) < (${bl} >>> 0) ? 1 : 0)) | 0; ${lo} = l; ${hi} = h; }`;
    }
    case 'divs': {
      const [x, y] = [n(a[1]!), n(a[2]!)];
      return `${n(a[0]!)} = ${y} === 0 ? 0 : (${x} === -2147483648 && ${y} === -1) ? ${x} : (${x} / ${y}) | 0;`;
    }
    case 'divu': {
      const [x, y] = [n(a[1]!), n(a[2]!)];
      return `${n(a[0]!)} = ${y} === 0 ? 0 : ((${x} >>> 0) / (${y} >>> 0)) | 0;`;
    }
    default:
      return null;
  }
}
