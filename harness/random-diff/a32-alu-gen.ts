// Random A32 register-only instructions for the differential tester: data
// processing, multiplies, divides, saturation, parallel and media
// instructions, status register access and hints, with random conditions.
// Encodings that are UNPREDICTABLE in ARMv7 (where qemu-arm and mttcg may
// legitimately differ) are never generated: no pc except where the
// instruction defines it, RdLo != RdHi, lsb + width <= 32, msb >= lsb.

import type { SeededRandom } from '../seeded-random.js';
import type { CodeBuffer } from './code-buffer.js';
import type { CaseLayout } from './program.js';
import { pickWeighted, type Weighted } from './weighted.js';

const COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', ''];
const DP = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn'];
const SHIFT = ['lsl', 'lsr', 'asr', 'ror'];
/** General registers a sequence may freely write: r0-r12 and lr (never sp or pc). */
const FREE_REGS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14];

export interface A32State {
  readonly rng: SeededRandom;
  readonly buf: CodeBuffer;
  readonly layout: CaseLayout;
  /** Registers the instructions must leave alone (e.g. lr inside a called stub). */
  readonly reserved?: ReadonlySet<number>;
}

export const rn = (r: number): string => (r === 13 ? 'sp' : r === 14 ? 'lr' : r === 15 ? 'pc' : `r${r}`);

export function reg(s: A32State, ...not: number[]): number {
  for (;;) {
    const r = FREE_REGS[s.rng.below(FREE_REGS.length)]!;
    if (!not.includes(r) && !s.reserved?.has(r)) return r;
  }
}

/** AL two times in three, otherwise any condition. */
export function cond(s: A32State): number {
  return s.rng.below(3) === 0 ? s.rng.below(15) : 14;
}

export function emit(s: A32State, c: number, bits: number, text: string): void {
  const [mn, ...rest] = text.split(' ');
  s.buf.a32(((c << 28) | bits) >>> 0, `${mn}${COND[c]} ${rest.join(' ')}`.trim());
}

// ---- data processing ----

function dpOperands(s: A32State): { op: number; sFlag: number; rd: number; rnum: number } {
  const op = s.rng.below(16);
  const test = op >= 8 && op <= 11;
  const sFlag = test ? 1 : s.rng.below(2);
  const rd = test ? 0 : reg(s);
  // MOV and MVN have no Rn; anything else may read pc (ADR-like) now and then.
  const rnum = op === 13 || op === 15 ? 0 : s.rng.below(12) === 0 ? 15 : reg(s);
  return { op, sFlag, rd, rnum };
}

function dpText(op: number, sFlag: number, rd: number, rnum: number, operand: string): string {
  const test = op >= 8 && op <= 11;
  const mnem = DP[op]! + (sFlag && !test ? 's' : '');
  if (test) return `${mnem} ${rn(rnum)}, ${operand}`;
  if (op === 13 || op === 15) return `${mnem} ${rn(rd)}, ${operand}`;
  return `${mnem} ${rn(rd)}, ${rn(rnum)}, ${operand}`;
}

function genDpImm(s: A32State): void {
  const { op, sFlag, rd, rnum } = dpOperands(s);
  const rot = s.rng.below(16);
  const imm8 = s.rng.below(256);
  emit(s, cond(s), (0x02000000 | (op << 21) | (sFlag << 20) | (rnum << 16) | (rd << 12) | (rot << 8) | imm8) >>> 0,
    dpText(op, sFlag, rd, rnum, `#${imm8} ror ${rot * 2}`));
}

function genDpRegImm(s: A32State): void {
  const { op, sFlag, rd, rnum } = dpOperands(s);
  const rm = s.rng.below(12) === 0 ? 15 : reg(s);
  const type = s.rng.below(4);
  const imm5 = s.rng.below(4) === 0 ? 0 : s.rng.below(32);
  emit(s, cond(s), ((op << 21) | (sFlag << 20) | (rnum << 16) | (rd << 12) | (imm5 << 7) | (type << 5) | rm) >>> 0,
    dpText(op, sFlag, rd, rnum, `${rn(rm)}, ${SHIFT[type]} #${imm5}`));
}

function genDpRegReg(s: A32State): void {
  const { op, sFlag, rd } = dpOperands(s);
  // No pc anywhere in the register-shifted form.
  const rnum = op === 13 || op === 15 ? 0 : reg(s);
  const rm = reg(s);
  const rsh = reg(s);
  const type = s.rng.below(4);
  emit(s, cond(s), ((op << 21) | (sFlag << 20) | (rnum << 16) | (rd << 12) | (rsh << 8) | (type << 5) | 0x10 | rm) >>> 0,
    dpText(op, sFlag, rd, rnum, `${rn(rm)}, ${SHIFT[type]} ${rn(rsh)}`));
}

function genMovwt(s: A32State): void {
  const top = s.rng.below(2);
  const imm = s.rng.below(0x10000);
  const rd = reg(s);
  emit(s, cond(s), (0x03000000 | (top << 22) | ((imm >>> 12) << 16) | (rd << 12) | (imm & 0xfff)) >>> 0,
    `${top ? 'movt' : 'movw'} ${rn(rd)}, #${imm}`);
}

// ---- multiplies and divides ----

function genMul(s: A32State): void {
  const rd = reg(s);
  const rm = reg(s);
  const rnn = reg(s);
  const ra = reg(s);
  switch (s.rng.below(3)) {
    case 0: { const f = s.rng.below(2); emit(s, cond(s), (0x00000090 | (f << 20) | (rd << 16) | (rm << 8) | rnn) >>> 0, `mul${f ? 's' : ''} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}`); break; }
    case 1: { const f = s.rng.below(2); emit(s, cond(s), (0x00200090 | (f << 20) | (rd << 16) | (ra << 12) | (rm << 8) | rnn) >>> 0, `mla${f ? 's' : ''} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}, ${rn(ra)}`); break; }
    default: emit(s, cond(s), (0x00600090 | (rd << 16) | (ra << 12) | (rm << 8) | rnn) >>> 0, `mls ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}, ${rn(ra)}`);
  }
}

function genMulLong(s: A32State): void {
  const lo = reg(s);
  const hi = reg(s, lo);
  const rm = reg(s);
  const rnn = reg(s);
  const forms: [number, string][] = [[0x00800090, 'umull'], [0x00a00090, 'umlal'], [0x00c00090, 'smull'], [0x00e00090, 'smlal'], [0x00400090, 'umaal']];
  const [bits, name] = forms[s.rng.below(forms.length)]!;
  const f = name === 'umaal' ? 0 : s.rng.below(2);
  emit(s, cond(s), (bits | (f << 20) | (hi << 16) | (lo << 12) | (rm << 8) | rnn) >>> 0, `${name}${f ? 's' : ''} ${rn(lo)}, ${rn(hi)}, ${rn(rnn)}, ${rn(rm)}`);
}

function genHalfMul(s: A32State): void {
  const rd = reg(s);
  const ra = reg(s, rd);
  const rm = reg(s);
  const rnn = reg(s);
  const x = s.rng.below(2);
  const y = s.rng.below(2);
  const xy = `${'bt'[x]}${'bt'[y]}`;
  switch (s.rng.below(5)) {
    case 0: emit(s, cond(s), (0x01000080 | (rd << 16) | (ra << 12) | (rm << 8) | (y << 6) | (x << 5) | rnn) >>> 0, `smla${xy} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}, ${rn(ra)}`); break;
    case 1: emit(s, cond(s), (0x01600080 | (rd << 16) | (rm << 8) | (y << 6) | (x << 5) | rnn) >>> 0, `smul${xy} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}`); break;
    case 2: emit(s, cond(s), (0x01400080 | (rd << 16) | (ra << 12) | (rm << 8) | (y << 6) | (x << 5) | rnn) >>> 0, `smlal${xy} ${rn(ra)}, ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}`); break;
    case 3: emit(s, cond(s), (0x01200080 | (rd << 16) | (ra << 12) | (rm << 8) | (y << 6) | rnn) >>> 0, `smlaw${'bt'[y]} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}, ${rn(ra)}`); break;
    default: emit(s, cond(s), (0x012000a0 | (rd << 16) | (rm << 8) | (y << 6) | rnn) >>> 0, `smulw${'bt'[y]} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}`);
  }
}

function genDualMul(s: A32State): void {
  const rd = reg(s);
  const ra0 = reg(s, rd);
  const rm = reg(s);
  const rnn = reg(s);
  const m = s.rng.below(2);
  const acc = s.rng.below(2) === 0;
  const ra = acc ? ra0 : 15;
  switch (s.rng.below(4)) {
    case 0: emit(s, cond(s), (0x07000010 | (rd << 16) | (ra << 12) | (rm << 8) | (m << 5) | rnn) >>> 0, `${acc ? 'smlad' : 'smuad'}${m ? 'x' : ''} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}${acc ? `, ${rn(ra)}` : ''}`); break;
    case 1: emit(s, cond(s), (0x07000050 | (rd << 16) | (ra << 12) | (rm << 8) | (m << 5) | rnn) >>> 0, `${acc ? 'smlsd' : 'smusd'}${m ? 'x' : ''} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}${acc ? `, ${rn(ra)}` : ''}`); break;
    case 2: { const sub = s.rng.below(2); emit(s, cond(s), (0x07400010 | (rd << 16) | (ra0 << 12) | (rm << 8) | (sub << 6) | (m << 5) | rnn) >>> 0, `${sub ? 'smlsld' : 'smlald'}${m ? 'x' : ''} ${rn(ra0)}, ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}`); break; }
    default: {
      const sub = s.rng.below(2) === 0 && acc;
      emit(s, cond(s), (0x07500010 | (rd << 16) | (ra << 12) | (rm << 8) | (sub ? 0xc0 : 0) | (m << 5) | rnn) >>> 0, `${sub ? 'smmls' : acc ? 'smmla' : 'smmul'}${m ? 'r' : ''} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}${acc ? `, ${rn(ra)}` : ''}`);
    }
  }
}

function genDiv(s: A32State): void {
  const rd = reg(s);
  const rm = reg(s);
  const rnn = reg(s);
  const u = s.rng.below(2);
  emit(s, cond(s), (0x0710f010 | (u << 21) | (rd << 16) | (rm << 8) | rnn) >>> 0, `${u ? 'udiv' : 'sdiv'} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}`);
}

function genQAdd(s: A32State): void {
  const op = s.rng.below(4);
  const rd = reg(s);
  const rm = reg(s);
  const rnn = reg(s);
  emit(s, cond(s), (0x01000050 | (op << 21) | (rnn << 16) | (rd << 12) | rm) >>> 0, `${['qadd', 'qsub', 'qdadd', 'qdsub'][op]} ${rn(rd)}, ${rn(rm)}, ${rn(rnn)}`);
}

// ---- media ----

const PAR_PREFIX: Record<number, string> = { 1: 's', 2: 'q', 3: 'sh', 5: 'u', 6: 'uq', 7: 'uh' };
const PAR_OP: Record<number, string> = { 0: 'add16', 1: 'asx', 2: 'sax', 3: 'sub16', 4: 'add8', 7: 'sub8' };

function genParallel(s: A32State): void {
  const p = [1, 2, 3, 5, 6, 7][s.rng.below(6)]!;
  const o = [0, 1, 2, 3, 4, 7][s.rng.below(6)]!;
  const rd = reg(s);
  const rm = reg(s);
  const rnn = reg(s);
  emit(s, cond(s), (0x06000f10 | (p << 20) | (rnn << 16) | (rd << 12) | (o << 5) | rm) >>> 0, `${PAR_PREFIX[p]}${PAR_OP[o]} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}`);
}

function genMedia(s: A32State): void {
  const rd = reg(s);
  const rm = reg(s);
  const rnn = reg(s);
  const ra = s.rng.below(2) ? 15 : reg(s);
  switch (s.rng.below(9)) {
    case 0: emit(s, cond(s), (0x07800010 | (rd << 16) | (ra << 12) | (rm << 8) | rnn) >>> 0, `${ra === 15 ? 'usad8' : 'usada8'} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}${ra === 15 ? '' : `, ${rn(ra)}`}`); break;
    case 1: emit(s, cond(s), (0x06800fb0 | (rnn << 16) | (rd << 12) | rm) >>> 0, `sel ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}`); break;
    case 2: { const tb = s.rng.below(2); const imm = s.rng.below(32); emit(s, cond(s), (0x06800010 | (rnn << 16) | (rd << 12) | (imm << 7) | (tb << 6) | rm) >>> 0, `${tb ? 'pkhtb' : 'pkhbt'} ${rn(rd)}, ${rn(rnn)}, ${rn(rm)}, ${tb ? 'asr' : 'lsl'} #${imm}`); break; }
    case 3: { const u = s.rng.below(2); const sat = s.rng.below(32); const sh = s.rng.below(2); const imm = s.rng.below(32);
      emit(s, cond(s), (0x06a00010 | (u << 22) | (sat << 16) | (rd << 12) | (imm << 7) | (sh << 6) | rnn) >>> 0, `${u ? 'usat' : 'ssat'} ${rn(rd)}, #${u ? sat : sat + 1}, ${rn(rnn)}, ${sh ? 'asr' : 'lsl'} #${imm}`); break; }
    case 4: { const u = s.rng.below(2); const sat = s.rng.below(16);
      emit(s, cond(s), (0x06a00f30 | (u << 22) | (sat << 16) | (rd << 12) | rnn) >>> 0, `${u ? 'usat16' : 'ssat16'} ${rn(rd)}, #${u ? sat : sat + 1}, ${rn(rnn)}`); break; }
    case 5: { const k = s.rng.below(5); const forms = [0x06bf0f30, 0x06bf0fb0, 0x06ff0f30, 0x06ff0fb0, 0x016f0f10];
      emit(s, cond(s), (forms[k]! | (rd << 12) | rm) >>> 0, `${['rev', 'rev16', 'rbit', 'revsh', 'clz'][k]} ${rn(rd)}, ${rn(rm)}`); break; }
    case 6: { const op = [0, 2, 3, 4, 6, 7][s.rng.below(6)]!; const rot = s.rng.below(4); const rn2 = s.rng.below(2) ? 15 : rnn;
      const names = ['sxtab16', '', 'sxtab', 'sxtah', 'uxtab16', '', 'uxtab', 'uxtah'];
      const name = rn2 === 15 ? names[op]!.replace('a', '') : names[op]!;
      emit(s, cond(s), (0x06800070 | (op << 20) | (rn2 << 16) | (rd << 12) | (rot << 10) | rm) >>> 0, `${name} ${rn(rd)}, ${rn2 === 15 ? '' : `${rn(rn2)}, `}${rn(rm)}, ror #${rot * 8}`); break; }
    case 7: { const u = s.rng.below(2); const lsb = s.rng.below(32); const w = s.rng.between(1, 32 - lsb);
      emit(s, cond(s), (0x07a00050 | (u << 22) | ((w - 1) << 16) | (rd << 12) | (lsb << 7) | rnn) >>> 0, `${u ? 'ubfx' : 'sbfx'} ${rn(rd)}, ${rn(rnn)}, #${lsb}, #${w}`); break; }
    default: { const lsb = s.rng.below(32); const msb = s.rng.between(lsb, 31); const src = s.rng.below(4) === 0 ? 15 : rnn;
      emit(s, cond(s), (0x07c00010 | (msb << 16) | (rd << 12) | (lsb << 7) | src) >>> 0, src === 15 ? `bfc ${rn(rd)}, #${lsb}, #${msb - lsb + 1}` : `bfi ${rn(rd)}, ${rn(src)}, #${lsb}, #${msb - lsb + 1}`); }
  }
}

function genStatus(s: A32State): void {
  const mask = [0b1000, 0b0100, 0b1100][s.rng.below(3)]!;
  const maskName = ['', 'g', 'nzcvq', 'nzcvqg'][mask >> 2];
  switch (s.rng.below(3)) {
    case 0: { const rd = reg(s); emit(s, cond(s), (0x010f0000 | (rd << 12)) >>> 0, `mrs ${rn(rd)}, APSR`); break; }
    case 1: { const r = reg(s); emit(s, cond(s), (0x0120f000 | (mask << 16) | r) >>> 0, `msr APSR_${maskName}, ${rn(r)}`); break; }
    default: { const rot = s.rng.below(16); const imm = s.rng.below(256); emit(s, cond(s), (0x0320f000 | (mask << 16) | (rot << 8) | imm) >>> 0, `msr APSR_${maskName}, #${imm} ror ${rot * 2}`); }
  }
}

function genMisc(s: A32State): void {
  const forms: [number, string][] = [
    [0xf57ff05f, 'dmb sy'], [0xf57ff04f, 'dsb sy'], [0xf57ff06f, 'isb sy'], [0xf57ff01f, 'clrex'], [0xe320f000, 'nop'], [0xe320f001, 'yield'],
  ];
  if (s.rng.below(3) === 0) {
    const r = reg(s);
    s.buf.a32((0xf5d0f000 | (r << 16) | s.rng.below(4096)) >>> 0, `pld [${rn(r)}, #imm]`);
    return;
  }
  const [w, t] = forms[s.rng.below(forms.length)]!;
  s.buf.a32(w, t);
}

const WEIGHTS: Weighted<(s: A32State) => void>[] = [
  [8, genDpImm], [8, genDpRegImm], [5, genDpRegReg], [2, genMovwt], [3, genMul], [3, genMulLong], [3, genHalfMul],
  [3, genDualMul], [2, genDiv], [2, genQAdd], [4, genParallel], [6, genMedia], [2, genStatus], [1, genMisc],
];

export function genA32Alu(s: A32State): void {
  pickWeighted(s.rng, WEIGHTS)(s);
}
