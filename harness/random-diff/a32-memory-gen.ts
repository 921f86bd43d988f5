// Random A32 memory instructions for the differential tester: LDR/STR{B,H,SB,SH,D}
// in every indexing mode with immediate and register offsets, LDM/STM in all
// four modes, LDREX/STREX{B,H,D} pairs (with CLREX now and then) and SWP.
// Each access's base (and index) register is set just before it, so the
// access lands in the case's scratch memory. UNPREDICTABLE forms are avoided:
// no pc, no writeback into a transferred register, LDRD/STRD pairs even and
// below lr, STREX status distinct from its other registers.

import { cond, emit, reg, rn, type A32State } from './a32-alu-gen.js';
import { emitMovImm32, emitMovw } from './harness-encodings.js';
import { pickWeighted, type Weighted } from './weighted.js';

/** Address near the middle of the scratch memory, aligned to `align`, within +/-`spread`. */
function scratchAddress(s: A32State, align: number, spread = 32): number {
  const mid = s.layout.scratch + 128;
  return mid + (s.rng.between(-spread, spread) & ~(align - 1));
}

/** P, U, W and the assembler form of the addressing mode. */
function indexing(s: A32State): { p: number; u: number; w: number } {
  switch (s.rng.below(4)) {
    case 0: return { p: 0, u: s.rng.below(2), w: 0 }; // post-indexed
    case 1: return { p: 1, u: s.rng.below(2), w: 1 }; // pre-indexed
    default: return { p: 1, u: s.rng.below(2), w: 0 }; // offset
  }
}

function addrText(base: number, p: number, u: number, w: number, off: string): string {
  const sign = u ? '' : '-';
  if (!p) return `[${rn(base)}], ${sign}${off}`;
  return `[${rn(base)}, ${sign}${off}]${w ? '!' : ''}`;
}

function genLdrStr(s: A32State): void {
  const byte = s.rng.below(2);
  const load = s.rng.below(2);
  const size = byte ? 1 : 4;
  const base = reg(s);
  const { p, u, w } = indexing(s);
  const wback = !p || w;
  const rt = wback ? reg(s, base) : reg(s);
  const unaligned = s.rng.below(4) === 0;
  emitMovImm32(s.buf, base, scratchAddress(s, unaligned ? 1 : size));
  const name = `${load ? 'ldr' : 'str'}${byte ? 'b' : ''}`;
  if (s.rng.below(2)) {
    const imm = s.rng.below(61) & (unaligned ? -1 : -size);
    emit(s, cond(s), (0x04000000 | (p << 24) | (u << 23) | (byte << 22) | (w << 21) | (load << 20) | (base << 16) | (rt << 12) | imm) >>> 0,
      `${name} ${rn(rt)}, ${addrText(base, p, u, w, `#${imm}`)}`);
    return;
  }
  const rm = reg(s, base, rt);
  const lsl = s.rng.below(2) === 0;
  const amount = lsl ? s.rng.below(3) : s.rng.between(2, 3);
  const type = lsl ? 0 : 1 + s.rng.below(2);
  emitMovw(s.buf, rm, (lsl ? s.rng.below(16) : s.rng.below(256)) & (unaligned ? -1 : lsl ? -size : -(size << amount)));
  emit(s, cond(s), (0x06000000 | (p << 24) | (u << 23) | (byte << 22) | (w << 21) | (load << 20) | (base << 16) | (rt << 12) | (amount << 7) | (type << 5) | rm) >>> 0,
    `${name} ${rn(rt)}, ${addrText(base, p, u, w, `${rn(rm)}, ${['lsl', 'lsr', 'asr'][type]} #${amount}`)}`);
}

/** The extra load/store forms: [L, SH, name, size]. */
const EXTRA: [number, number, string, number][] = [
  [0, 1, 'strh', 2], [1, 1, 'ldrh', 2], [1, 2, 'ldrsb', 1], [1, 3, 'ldrsh', 2], [0, 2, 'ldrd', 4], [0, 3, 'strd', 4],
];

function genExtra(s: A32State): void {
  const [l, sh, name, size] = EXTRA[s.rng.below(EXTRA.length)]!;
  const dual = name === 'ldrd' || name === 'strd';
  const base = reg(s);
  const { p, u, w } = indexing(s);
  const wback = !p || w;
  let rt: number;
  for (;;) {
    rt = dual ? 2 * s.rng.below(7) : reg(s);
    const pair = dual ? [rt, rt + 1] : [rt];
    if (!(wback && pair.includes(base))) break;
  }
  const pairRegs = dual ? [rt, rt + 1] : [rt];
  const unaligned = !dual && s.rng.below(4) === 0;
  emitMovImm32(s.buf, base, scratchAddress(s, unaligned ? 1 : size));
  const rtText = dual ? `${rn(rt)}, ${rn(rt + 1)}` : rn(rt);
  if (s.rng.below(2)) {
    const imm = s.rng.below(61) & (unaligned ? -1 : -size);
    emit(s, cond(s), (0x00400090 | (p << 24) | (u << 23) | (w << 21) | (l << 20) | (base << 16) | (rt << 12) | ((imm >> 4) << 8) | (sh << 5) | (imm & 0xf)) >>> 0,
      `${name} ${rtText}, ${addrText(base, p, u, w, `#${imm}`)}`);
    return;
  }
  const rm = reg(s, base, ...pairRegs);
  emitMovw(s.buf, rm, s.rng.below(61) & (unaligned ? -1 : -size));
  emit(s, cond(s), (0x00000090 | (p << 24) | (u << 23) | (w << 21) | (l << 20) | (base << 16) | (rt << 12) | (sh << 5) | rm) >>> 0,
    `${name} ${rtText}, ${addrText(base, p, u, w, rn(rm))}`);
}

function genLdmStm(s: A32State): void {
  const load = s.rng.below(2);
  const base = reg(s);
  const w = s.rng.below(2);
  let list = 0;
  while (list === 0) {
    for (const r of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]) if (s.rng.below(3) === 0) list |= 1 << r;
    if (w) list &= ~(1 << base);
  }
  const p = s.rng.below(2);
  const u = s.rng.below(2);
  emitMovImm32(s.buf, base, scratchAddress(s, 4, 8));
  const mode = ['da', 'ia', 'db', 'ib'][(p << 1) | u];
  emit(s, cond(s), (0x08000000 | (p << 24) | (u << 23) | (w << 21) | (load << 20) | (base << 16) | list) >>> 0,
    `${load ? 'ldm' : 'stm'}${mode} ${rn(base)}${w ? '!' : ''}, {0x${list.toString(16)}}`);
}

/** [op (bits 22..21), suffix, alignment] */
const EXCL: [number, string, number][] = [[0, '', 4], [1, 'd', 8], [2, 'b', 1], [3, 'h', 2]];

function genExclusive(s: A32State): void {
  const [op, sfx, align] = EXCL[s.rng.below(EXCL.length)]!;
  const dual = op === 1;
  const base = reg(s);
  const pick = (): number => {
    for (;;) {
      const t = dual ? 2 * s.rng.below(7) : reg(s);
      if (t !== base && !(dual && t + 1 === base)) return t;
    }
  };
  const rt = pick();
  const rt2 = pick();
  const status = reg(s, base, rt2, ...(dual ? [rt2 + 1] : []));
  emitMovImm32(s.buf, base, scratchAddress(s, align));
  const c = cond(s);
  emit(s, c, (0x01900f9f | (op << 21) | (base << 16) | (rt << 12)) >>> 0, `ldrex${sfx} ${rn(rt)}${dual ? `, ${rn(rt + 1)}` : ''}, [${rn(base)}]`);
  if (s.rng.below(4) === 0) s.buf.a32(0xf57ff01f, 'clrex');
  emit(s, c, (0x01800f90 | (op << 21) | (base << 16) | (status << 12) | rt2) >>> 0,
    `strex${sfx} ${rn(status)}, ${rn(rt2)}${dual ? `, ${rn(rt2 + 1)}` : ''}, [${rn(base)}]`);
}

function genSwp(s: A32State): void {
  const byte = s.rng.below(2);
  const base = reg(s);
  const rt = reg(s, base);
  const rt2 = reg(s, base);
  emitMovImm32(s.buf, base, scratchAddress(s, byte ? 1 : 4));
  emit(s, cond(s), (0x01000090 | (byte << 22) | (base << 16) | (rt << 12) | rt2) >>> 0, `swp${byte ? 'b' : ''} ${rn(rt)}, ${rn(rt2)}, [${rn(base)}]`);
}

const WEIGHTS: Weighted<(s: A32State) => void>[] = [
  [6, genLdrStr], [5, genExtra], [3, genLdmStm], [2, genExclusive], [1, genSwp],
];

export function genA32Memory(s: A32State): void {
  pickWeighted(s.rng, WEIGHTS)(s);
}
