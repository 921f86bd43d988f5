// Random Thumb register-only instructions for the differential tester: every
// 16-bit data-processing form (whose flag setting depends on the IT block)
// and the 32-bit data processing, saturating, parallel, extend, bit-field,
// multiply, divide and status-register instructions. No UNPREDICTABLE
// encodings: T32 forms never name SP or PC where the ARM ARM forbids them,
// RdLo != RdHi, REV/CLZ repeat Rm in both fields, modified immediates are
// valid. Each function emits exactly one instruction, so any of them may sit
// inside an IT block.

import type { SeededRandom } from '../seeded-random.js';
import type { CodeBuffer } from './code-buffer.js';
import { t32Mov16 } from './harness-encodings.js';
import { pickWeighted, type Weighted } from './weighted.js';

export interface T32State {
  readonly rng: SeededRandom;
  readonly buf: CodeBuffer;
  /** Registers no instruction may touch (the bases of accesses prepared before an IT block). */
  readonly reserved: Set<number>;
}

/** Registers a T32 instruction may freely write: r0-r12 and lr. */
const FREE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14];

export const rname = (r: number): string => (r === 13 ? 'sp' : r === 14 ? 'lr' : r === 15 ? 'pc' : `r${r}`);

export function reg(s: T32State, ...not: number[]): number {
  for (;;) {
    const r = FREE[s.rng.below(FREE.length)]!;
    if (!not.includes(r) && !s.reserved.has(r)) return r;
  }
}

/** A low register (r0-r7), as 16-bit encodings name them. */
export function lo(s: T32State, ...not: number[]): number {
  for (;;) {
    const r = s.rng.below(8);
    if (!not.includes(r) && !s.reserved.has(r)) return r;
  }
}

export const w32 = (s: T32State, hw1: number, hw2: number, text: string): void => s.buf.t32(((hw1 << 16) | hw2) >>> 0, text);

// ---- 16-bit ----

const T16_DP = ['and', 'eor', 'lsl', 'lsr', 'asr', 'adc', 'sbc', 'ror', 'tst', 'rsb', 'cmp', 'cmn', 'orr', 'mul', 'bic', 'mvn'];

function genT16(s: T32State): void {
  const { rng, buf } = s;
  const rd = lo(s);
  const rm = lo(s);
  const rn = lo(s);
  switch (rng.below(7)) {
    case 0: { const op = rng.below(3); const imm = rng.below(32); buf.t16((op << 11) | (imm << 6) | (rm << 3) | rd, `${['lsl', 'lsr', 'asr'][op]}(s) r${rd}, r${rm}, #${imm}`); break; }
    case 1: { const sub = rng.below(2); buf.t16(0x1800 | (sub << 9) | (rm << 6) | (rn << 3) | rd, `${sub ? 'sub' : 'add'}(s) r${rd}, r${rn}, r${rm}`); break; }
    case 2: { const sub = rng.below(2); const imm = rng.below(8); buf.t16(0x1c00 | (sub << 9) | (imm << 6) | (rn << 3) | rd, `${sub ? 'sub' : 'add'}(s) r${rd}, r${rn}, #${imm}`); break; }
    case 3: { const op = rng.below(4); const imm = rng.below(256); buf.t16(0x2000 | (op << 11) | (rd << 8) | imm, `${['mov', 'cmp', 'add', 'sub'][op]}(s) r${rd}, #${imm}`); break; }
    case 4: case 5: { const op = rng.below(16); buf.t16(0x4000 | (op << 6) | (rm << 3) | rd, `${T16_DP[op]}(s) r${rd}, r${rm}`); break; }
    default: {
      // High-register ADD / CMP / MOV: no SP or PC as destination, CMP not with two low registers.
      const op = rng.below(3);
      const d = reg(s);
      let m = reg(s);
      if (op === 1 && d < 8 && m < 8) m = 8 + rng.below(5);
      buf.t16(0x4400 | (op << 8) | ((d >> 3) << 7) | (m << 3) | (d & 7), `${['add', 'cmp', 'mov'][op]} ${rname(d)}, ${rname(m)}`);
    }
  }
}

function genT16Misc(s: T32State): void {
  const { rng, buf } = s;
  const rd = lo(s);
  const rm = lo(s);
  switch (rng.below(4)) {
    case 0: { const op = rng.below(4); buf.t16(0xb200 | (op << 6) | (rm << 3) | rd, `${['sxth', 'sxtb', 'uxth', 'uxtb'][op]} r${rd}, r${rm}`); break; }
    case 1: { const op = [0, 1, 3][rng.below(3)]!; buf.t16(0xba00 | (op << 6) | (rm << 3) | rd, `${['rev', 'rev16', '', 'revsh'][op]} r${rd}, r${rm}`); break; }
    case 2: { const imm = rng.below(256); buf.t16(0xa000 | (rd << 8) | imm, `adr r${rd}, #${imm * 4}`); break; }
    default: { const h = [0, 1, 4][rng.below(3)]!; buf.t16(0xbf00 | (h << 4), ['nop', 'yield', '', '', 'sev'][h]!); }
  }
}

// ---- 32-bit data processing ----

const DP_OPS = [0b0000, 0b0001, 0b0010, 0b0011, 0b0100, 0b1000, 0b1010, 0b1011, 0b1101, 0b1110];
const DP_NAMES: Record<number, string> = { 0: 'and', 1: 'bic', 2: 'orr', 3: 'orn', 4: 'eor', 8: 'add', 10: 'adc', 11: 'sbc', 13: 'sub', 14: 'rsb' };

/** Rd, Rn and S for a T32 data-processing op: TST/TEQ/CMN/CMP (Rd = PC, S) and MOV/MVN (Rn = PC) now and then. */
function dpRegs(s: T32State, op: number): { rd: number; rn: number; sFlag: number; name: string } {
  const sFlag = s.rng.below(2);
  const testable = op === 0 || op === 4 || op === 8 || op === 13;
  if (testable && s.rng.below(4) === 0) return { rd: 15, rn: reg(s), sFlag: 1, name: { 0: 'tst', 4: 'teq', 8: 'cmn', 13: 'cmp' }[op]! };
  if ((op === 2 || op === 3) && s.rng.below(3) === 0) return { rd: reg(s), rn: 15, sFlag, name: op === 2 ? 'mov' : 'mvn' };
  return { rd: reg(s), rn: reg(s), sFlag, name: DP_NAMES[op]! };
}

/** A valid modified immediate i:imm3:imm8 (patterns 01/10/11 need a nonzero imm8). */
function modifiedImm(s: T32State): number {
  for (;;) {
    const imm12 = s.rng.below(4096);
    if (imm12 >>> 10 === 0 && ((imm12 >>> 8) & 3) !== 0 && (imm12 & 0xff) === 0) continue;
    return imm12;
  }
}

function genDpImm(s: T32State): void {
  const op = DP_OPS[s.rng.below(DP_OPS.length)]!;
  const { rd, rn, sFlag, name } = dpRegs(s, op);
  const imm12 = modifiedImm(s);
  w32(s, 0xf000 | ((imm12 >> 11) << 10) | (op << 5) | (sFlag << 4) | rn, ((imm12 >> 8) & 7) << 12 | (rd << 8) | (imm12 & 0xff),
    `${name}${sFlag ? 's' : ''}.w ${rname(rd)}, ${rname(rn)}, #imm12=0x${imm12.toString(16)}`);
}

function genDpReg(s: T32State): void {
  const op = DP_OPS[s.rng.below(DP_OPS.length)]!;
  const { rd, rn, sFlag, name } = dpRegs(s, op);
  const rm = reg(s);
  const type = s.rng.below(4);
  const imm5 = s.rng.below(4) === 0 ? 0 : s.rng.below(32);
  w32(s, 0xea00 | (op << 5) | (sFlag << 4) | rn, ((imm5 >> 2) << 12) | (rd << 8) | ((imm5 & 3) << 6) | (type << 4) | rm,
    `${name}${sFlag ? 's' : ''}.w ${rname(rd)}, ${rname(rn)}, ${rname(rm)}, ${['lsl', 'lsr', 'asr', 'ror'][type]} #${imm5}`);
}

function genPlainImm(s: T32State): void {
  const rd = reg(s);
  const rn = reg(s);
  const imm12 = s.rng.below(4096);
  const split = (hw1: number, v: number): [number, number] => [hw1 | ((v >> 11) << 10), ((v >> 8) & 7) << 12 | (rd << 8) | (v & 0xff)];
  switch (s.rng.below(6)) {
    case 0: { const sub = s.rng.below(2); const n = s.rng.below(5) === 0 ? 15 : rn; const [a, b] = split((sub ? 0xf2a0 : 0xf200) | n, imm12); w32(s, a, b, `${sub ? 'subw' : 'addw'} ${rname(rd)}, ${rname(n)}, #${imm12}`); break; }
    case 1: { const top = s.rng.below(2); const imm = s.rng.below(0x10000); const w = t32Mov16(top ? 0xf2c00000 : 0xf2400000, rd, imm); s.buf.t32(w, `${top ? 'movt' : 'movw'} ${rname(rd)}, #${imm}`); break; }
    case 2: { // SSAT / USAT (shifted), or the 16-bit lane forms
      const u = s.rng.below(2);
      const lanes = s.rng.below(3) === 0;
      const sh = lanes ? 1 : s.rng.below(2);
      const imm5 = lanes ? 0 : s.rng.between(sh, 31);
      const sat = lanes ? s.rng.below(16) : s.rng.below(32);
      w32(s, 0xf300 | (u << 7) | (sh << 5) | rn, ((imm5 >> 2) << 12) | (rd << 8) | ((imm5 & 3) << 6) | sat, `${u ? 'usat' : 'ssat'}${lanes ? '16' : ''} ${rname(rd)}, #${sat}, ${rname(rn)}, ${sh ? 'asr' : 'lsl'} #${imm5}`);
      break;
    }
    case 3: { const u = s.rng.below(2); const lsb = s.rng.below(32); const w = s.rng.between(1, 32 - lsb);
      w32(s, 0xf340 | (u << 7) | rn, ((lsb >> 2) << 12) | (rd << 8) | ((lsb & 3) << 6) | (w - 1), `${u ? 'ubfx' : 'sbfx'} ${rname(rd)}, ${rname(rn)}, #${lsb}, #${w}`); break; }
    case 4: { const lsb = s.rng.below(32); const msb = s.rng.between(lsb, 31); const src = s.rng.below(4) === 0 ? 15 : rn;
      w32(s, 0xf360 | src, ((lsb >> 2) << 12) | (rd << 8) | ((lsb & 3) << 6) | msb, `${src === 15 ? 'bfc' : 'bfi'} ${rname(rd)}, ${rname(src)}, #${lsb}, #${msb - lsb + 1}`); break; }
    default: { const rm = reg(s); const tb = s.rng.below(2); const imm5 = s.rng.below(32);
      w32(s, 0xeac0 | rn, ((imm5 >> 2) << 12) | (rd << 8) | ((imm5 & 3) << 6) | (tb << 5) | rm, `${tb ? 'pkhtb' : 'pkhbt'} ${rname(rd)}, ${rname(rn)}, ${rname(rm)}, #${imm5}`); }
  }
}

function genRegister(s: T32State): void {
  const rd = reg(s);
  const rn = reg(s);
  const rm = reg(s);
  switch (s.rng.below(7)) {
    case 0: { const t = s.rng.below(4); const f = s.rng.below(2); w32(s, 0xfa00 | (t << 5) | (f << 4) | rn, 0xf000 | (rd << 8) | rm, `${['lsl', 'lsr', 'asr', 'ror'][t]}${f ? 's' : ''}.w ${rname(rd)}, ${rname(rn)}, ${rname(rm)}`); break; }
    case 1: { const op = s.rng.below(6); const rot = s.rng.below(4); const n = s.rng.below(2) ? 15 : rn;
      w32(s, 0xfa00 | (op << 4) | n, 0xf080 | (rd << 8) | (rot << 4) | rm, `${['sxtah', 'uxtah', 'sxtab16', 'uxtab16', 'sxtab', 'uxtab'][op]}${n === 15 ? '(no add)' : ''} ${rname(rd)}, ${rname(n)}, ${rname(rm)}, ror #${rot * 8}`); break; }
    case 2: { const op = [0, 1, 2, 4, 5, 6][s.rng.below(6)]!; const pre = [0, 1, 2, 4, 5, 6][s.rng.below(6)]!;
      w32(s, 0xfa80 | (op << 4) | rn, 0xf000 | (rd << 8) | (pre << 4) | rm, `parallel op1=${op} op2=${pre} ${rname(rd)}, ${rname(rn)}, ${rname(rm)}`); break; }
    case 3: { const op = s.rng.below(4); w32(s, 0xfa80 | rn, 0xf080 | (rd << 8) | (op << 4) | rm, `${['qadd', 'qdadd', 'qsub', 'qdsub'][op]} ${rname(rd)}, ${rname(rm)}, ${rname(rn)}`); break; }
    case 4: { const op = s.rng.below(4); w32(s, 0xfa90 | rm, 0xf080 | (rd << 8) | (op << 4) | rm, `${['rev', 'rev16', 'rbit', 'revsh'][op]}.w ${rname(rd)}, ${rname(rm)}`); break; }
    case 5: w32(s, 0xfab0 | rm, 0xf080 | (rd << 8) | rm, `clz ${rname(rd)}, ${rname(rm)}`); break;
    default: w32(s, 0xfaa0 | rn, 0xf080 | (rd << 8) | rm, `sel ${rname(rd)}, ${rname(rn)}, ${rname(rm)}`);
  }
}

function genMultiply(s: T32State): void {
  const rd = reg(s);
  const rn = reg(s);
  const rm = reg(s);
  const ra = s.rng.below(3) === 0 ? 15 : reg(s);
  const raAcc = ra === 15 ? reg(s) : ra;
  const pick = s.rng.below(9);
  const x = s.rng.below(4);
  // [op1, op2 field (bits 7..4), Ra, name]
  const forms: [number, number, number, string][] = [
    [0, 0, ra, ra === 15 ? 'mul' : 'mla'], [0, 1, raAcc, 'mls'], [1, x, ra, 'smla<xy>'], [2, x & 1, ra, 'smlad'],
    [3, x & 1, ra, 'smlaw'], [4, x & 1, ra, 'smlsd'], [5, x & 1, ra, 'smmla'], [6, x & 1, raAcc, 'smmls'], [7, 0, ra, 'usada8'],
  ];
  const [op1, op2, a, name] = forms[pick]!;
  w32(s, 0xfb00 | (op1 << 4) | rn, (a << 12) | (rd << 8) | (op2 << 4) | rm, `${name} ${rname(rd)}, ${rname(rn)}, ${rname(rm)}, ${rname(a)}`);
}

function genLongMultiply(s: T32State): void {
  const rlo = reg(s);
  const rhi = reg(s, rlo);
  const rn = reg(s);
  const rm = reg(s);
  const x = s.rng.below(4);
  // [op1, op2, name]; the divides put 1111 in RdLo's place.
  const forms: [number, number, string][] = [
    [0, 0, 'smull'], [2, 0, 'umull'], [4, 0, 'smlal'], [6, 0, 'umlal'], [6, 6, 'umaal'], [4, 8 | x, 'smlal<xy>'],
    [4, 12 | (x & 1), 'smlald'], [5, 12 | (x & 1), 'smlsld'], [1, 15, 'sdiv'], [3, 15, 'udiv'],
  ];
  const [op1, op2, name] = forms[s.rng.below(forms.length)]!;
  const divide = op2 === 15;
  w32(s, 0xfb80 | (op1 << 4) | rn, ((divide ? 15 : rlo) << 12) | (rhi << 8) | (op2 << 4) | rm, `${name} ${divide ? '' : `${rname(rlo)}, `}${rname(rhi)}, ${rname(rn)}, ${rname(rm)}`);
}

function genStatus(s: T32State): void {
  const r = reg(s);
  if (s.rng.below(2)) {
    w32(s, 0xf3ef, 0x8000 | (r << 8), `mrs ${rname(r)}, APSR`);
    return;
  }
  const mask = 1 + s.rng.below(3);
  w32(s, 0xf380 | r, 0x8000 | (mask << 10), `msr APSR_${['', 'g', 'nzcvq', 'nzcvqg'][mask]}, ${rname(r)}`);
}

function genBarrier(s: T32State): void {
  const forms: [number, string][] = [[0x8f5f, 'dmb sy'], [0x8f4f, 'dsb sy'], [0x8f6f, 'isb sy'], [0x8f2f, 'clrex'], [0x8000, 'nop.w']];
  const [hw2, text] = forms[s.rng.below(forms.length)]!;
  w32(s, hw2 === 0x8000 ? 0xf3af : 0xf3bf, hw2, text);
}

const WEIGHTS: Weighted<(s: T32State) => void>[] = [
  [10, genT16], [2, genT16Misc], [6, genDpImm], [6, genDpReg], [4, genPlainImm], [5, genRegister], [4, genMultiply],
  [3, genLongMultiply], [1, genStatus], [1, genBarrier],
];

/** One random register-only instruction (16- or 32-bit). */
export function genT32Alu(s: T32State): void {
  pickWeighted(s.rng, WEIGHTS)(s);
}
