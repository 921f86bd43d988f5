// Random VFPv3-D16 instructions for the differential tester: every
// data-processing instruction in both precisions (random registers, so
// operands alias and S registers overlap D registers), VMOV immediate and
// register, VCMP/VCMPE with VMRS APSR_nzcv followed by conditional VFP
// instructions, every VCVT form (integer, fixed point, precision), every
// transfer between core and VFP registers, VMRS/VMSR (new rounding mode,
// FZ, DN, flags in the middle of a case), VLDR/VSTR, VLDM/VSTM in every
// mode, VPUSH/VPOP. Words are built as A32 encodings; in T32 the same word
// with the condition field 1110 is the instruction (hw1:hw2), and a
// condition comes from a one-instruction IT block before it.
// UNPREDICTABLE forms are never generated.

import type { SeededRandom } from '../seeded-random.js';
import { emitMovImm32 } from './harness-encodings.js';
import type { CodeBuffer } from './code-buffer.js';
import type { CaseLayout } from './program.js';
import { randomFpscr } from './vfp-values.js';
import { pickWeighted, type Weighted } from './weighted.js';

const COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', ''];
/** Core registers a sequence may write (never sp or pc). */
const CORE = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14];

export interface VfpState {
  readonly rng: SeededRandom;
  readonly buf: CodeBuffer;
  readonly layout: CaseLayout;
  /** sp relative to its starting value (VPUSH/VPOP keep it inside the scratch memory). */
  spOffset: number;
}

const rname = (r: number): string => (r === 13 ? 'sp' : r === 14 ? 'lr' : `r${r}`);
const sname = (s: number): string => `s${s}`;
const dname = (d: number): string => `d${d}`;

function core(s: VfpState, ...not: number[]): number {
  for (;;) {
    const r = CORE[s.rng.below(CORE.length)]!;
    if (!not.includes(r)) return r;
  }
}

/** AL mostly; any condition now and then (in T32 through an IT block). */
function cond(s: VfpState): number {
  return s.rng.below(4) === 0 ? s.rng.below(15) : 14;
}

function emit(s: VfpState, c: number, bits: number, text: string): void {
  const [mn, ...rest] = text.split(' ');
  const conditional = `${mn}${COND[c]} ${rest.join(' ')}`.trim();
  if (s.buf.isa === 'a32') {
    s.buf.a32(((c << 28) | bits) >>> 0, conditional);
    return;
  }
  // IT <cond> with mask 1000: a block of this one instruction.
  if (c !== 14) s.buf.t16(0xbf08 | (c << 4), `it ${COND[c]}`);
  s.buf.t32((0xe0000000 | bits) >>> 0, c !== 14 ? conditional : text);
}

/** Vd/Vn/Vm fields: D register d -> (low 4 bits, extra bit); S register s -> (s >> 1, s & 1). */
function vfield(reg: number, dp: boolean): [number, number] {
  return dp ? [reg & 15, reg >> 4] : [reg >> 1, reg & 1];
}

/** A data-processing word: bits 27:24 = 1110 and the register fields placed. */
function dpWord(opc1: number, opc2: number, dp: boolean, opc3: number, d: number, n: number, m: number): number {
  const [vd, dx] = vfield(d, dp);
  const [vn, nx] = vfield(n, dp);
  const [vm, mx] = vfield(m, dp);
  return (0x0e000a00 | ((opc1 & 0xb) << 20) | (dx << 22) | (vn << 16) | (opc2 << 16) | (vd << 12) | ((dp ? 1 : 0) << 8) |
    (nx << 7) | (opc3 << 6) | (mx << 5) | vm) >>> 0;
}

function reg(s: VfpState, dp: boolean): number {
  return s.rng.below(dp ? 16 : 32);
}

const THREE_OP: readonly [string, number, number][] = [
  ['vmla', 0x0, 0], ['vmls', 0x0, 1], ['vnmls', 0x1, 0], ['vnmla', 0x1, 1], ['vmul', 0x2, 0], ['vnmul', 0x2, 1],
  ['vadd', 0x3, 0], ['vsub', 0x3, 1], ['vdiv', 0x8, 0],
];

function genThreeOp(s: VfpState): void {
  const dp = s.rng.below(2) === 1;
  const [name, opc1, op] = THREE_OP[s.rng.below(THREE_OP.length)]!;
  const [d, n, m] = [reg(s, dp), reg(s, dp), reg(s, dp)];
  const nm = dp ? dname : sname;
  emit(s, cond(s), dpWord(opc1, 0, dp, op, d, n, m), `${name}.f${dp ? 64 : 32} ${nm(d)}, ${nm(n)}, ${nm(m)}`);
}

/** The two-register forms in the "other" space (opc1 = 1x11): opc2, opc3 and the mnemonic. */
const TWO_OP: readonly [string, number, number][] = [
  ['vmov', 0, 1], ['vabs', 0, 3], ['vneg', 1, 1], ['vsqrt', 1, 3], ['vcmp', 4, 1], ['vcmpe', 4, 3],
];

function genTwoOp(s: VfpState): void {
  const dp = s.rng.below(2) === 1;
  const [name, opc2, opc3] = TWO_OP[s.rng.below(TWO_OP.length)]!;
  const [d, m] = [reg(s, dp), reg(s, dp)];
  const nm = dp ? dname : sname;
  emit(s, cond(s), dpWord(0xb, opc2, dp, opc3, d, 0, m), `${name}.f${dp ? 64 : 32} ${nm(d)}, ${nm(m)}`);
}

function genCompareAndBranchLike(s: VfpState): void {
  // VCMP{E} (register or #0), VMRS APSR_nzcv, then conditional VFP instructions that read the flags.
  const dp = s.rng.below(2) === 1;
  const e = s.rng.below(2);
  const d = reg(s, dp);
  const nm = dp ? dname : sname;
  if (s.rng.below(3) === 0) {
    const [vd, dx] = vfield(d, dp);
    emit(s, 14, (0x0eb50a40 | (dx << 22) | (vd << 12) | ((dp ? 1 : 0) << 8) | (e << 7)) >>> 0, `vcmp${e ? 'e' : ''}.f${dp ? 64 : 32} ${nm(d)}, #0`);
  } else {
    const m = reg(s, dp);
    emit(s, 14, dpWord(0xb, 4, dp, 1 | (e << 1), d, 0, m), `vcmp${e ? 'e' : ''}.f${dp ? 64 : 32} ${nm(d)}, ${nm(m)}`);
  }
  emit(s, 14, 0x0ef1fa10, 'vmrs APSR_nzcv, fpscr');
  for (let i = s.rng.between(1, 3); i > 0; i--) genThreeOp(s);
}

function genVmovImm(s: VfpState): void {
  const dp = s.rng.below(2) === 1;
  const d = reg(s, dp);
  const imm = s.rng.below(256);
  const [vd, dx] = vfield(d, dp);
  emit(s, cond(s), (0x0eb00a00 | (dx << 22) | ((imm >> 4) << 16) | (vd << 12) | ((dp ? 1 : 0) << 8) | (imm & 15)) >>> 0,
    `vmov.f${dp ? 64 : 32} ${(dp ? dname : sname)(d)}, #imm8=0x${imm.toString(16)}`);
}

function genConvert(s: VfpState): void {
  const dp = s.rng.below(2) === 1;
  const fnm = dp ? dname : sname;
  const f = `f${dp ? 64 : 32}`;
  switch (s.rng.below(4)) {
    case 0: { // between precisions: sz is the source's
      const d = reg(s, !dp);
      const m = reg(s, dp);
      emit(s, cond(s), dpWord(0xb, 7, dp, 3, 0, 0, 0) | vfieldBits(d, !dp, 'd') | vfieldBits(m, dp, 'm'),
        `vcvt.f${dp ? 32 : 64}.${f} ${(dp ? sname : dname)(d)}, ${fnm(m)}`);
      return;
    }
    case 1: { // integer in Sm to floating point
      const signed = s.rng.below(2);
      const d = reg(s, dp);
      const m = reg(s, false);
      emit(s, cond(s), dpWord(0xb, 8, dp, 1 | (signed << 1), 0, 0, 0) | vfieldBits(d, dp, 'd') | vfieldBits(m, false, 'm'),
        `vcvt.${f}.${signed ? 's' : 'u'}32 ${fnm(d)}, ${sname(m)}`);
      return;
    }
    case 2: { // floating point to integer in Sd; op bit 7 = 1: round toward zero
      const signed = s.rng.below(2);
      const rz = s.rng.below(2);
      const d = reg(s, false);
      const m = reg(s, dp);
      emit(s, cond(s), dpWord(0xb, 0xc | signed, dp, 1 | (rz << 1), 0, 0, 0) | vfieldBits(d, false, 'd') | vfieldBits(m, dp, 'm'),
        `vcvt${rz ? '' : 'r'}.${signed ? 's' : 'u'}32.${f} ${sname(d)}, ${fnm(m)}`);
      return;
    }
    default: { // fixed point, in place; frac_bits = size - imm4:i >= 0
      const toFixed = s.rng.below(2);
      const unsigned = s.rng.below(2);
      const sx = s.rng.below(2);
      const size = sx ? 32 : 16;
      const imm = s.rng.between(0, sx ? 31 : 16);
      const d = reg(s, dp);
      const [vd, dx] = vfield(d, dp);
      const word = (0x0eba0a40 | (dx << 22) | (toFixed << 18) | (unsigned << 16) | (vd << 12) | ((dp ? 1 : 0) << 8) |
        (sx << 7) | ((imm & 1) << 5) | (imm >> 1)) >>> 0;
      const t = `${unsigned ? 'u' : 's'}${size}`;
      emit(s, cond(s), word, `vcvt.${toFixed ? `${t}.${f}` : `${f}.${t}`} ${fnm(d)}, ${fnm(d)}, #${size - imm}`);
    }
  }
}

/** Register field bits for the D (bits 22, 15:12) or M (bits 5, 3:0) position. */
function vfieldBits(reg: number, dp: boolean, pos: 'd' | 'm'): number {
  const [v, x] = vfield(reg, dp);
  return pos === 'd' ? (x << 22) | (v << 12) : (x << 5) | v;
}

function genTransfer(s: VfpState): void {
  switch (s.rng.below(6)) {
    case 0: { // VMOV Sn <-> Rt
      const toCore = s.rng.below(2);
      const n = reg(s, false);
      const rt = core(s);
      const [vn, nx] = vfield(n, false);
      emit(s, cond(s), (0x0e000a10 | (toCore << 20) | (vn << 16) | (rt << 12) | (nx << 7)) >>> 0,
        toCore ? `vmov ${rname(rt)}, ${sname(n)}` : `vmov ${sname(n)}, ${rname(rt)}`);
      return;
    }
    case 1: { // VMOV Sm, Sm+1 <-> Rt, Rt2 (m < 31; Rt != Rt2 when loading)
      const toCore = s.rng.below(2);
      const m = s.rng.below(31);
      const rt = core(s);
      const rt2 = toCore ? core(s, rt) : core(s);
      const [vm, mx] = vfield(m, false);
      emit(s, cond(s), (0x0c400a10 | (toCore << 20) | (rt2 << 16) | (rt << 12) | (mx << 5) | vm) >>> 0,
        toCore ? `vmov ${rname(rt)}, ${rname(rt2)}, ${sname(m)}, ${sname(m + 1)}` : `vmov ${sname(m)}, ${sname(m + 1)}, ${rname(rt)}, ${rname(rt2)}`);
      return;
    }
    case 2: { // VMOV Dm <-> Rt, Rt2
      const toCore = s.rng.below(2);
      const m = reg(s, true);
      const rt = core(s);
      const rt2 = toCore ? core(s, rt) : core(s);
      emit(s, cond(s), (0x0c400b10 | (toCore << 20) | (rt2 << 16) | (rt << 12) | m) >>> 0,
        toCore ? `vmov ${rname(rt)}, ${rname(rt2)}, ${dname(m)}` : `vmov ${dname(m)}, ${rname(rt)}, ${rname(rt2)}`);
      return;
    }
    case 3: { // VMOV.32 Dd[x] <-> Rt
      const toCore = s.rng.below(2);
      const d = reg(s, true);
      const x = s.rng.below(2);
      const rt = core(s);
      emit(s, cond(s), (0x0e000b10 | (x << 21) | (toCore << 20) | (d << 16) | (rt << 12)) >>> 0,
        toCore ? `vmov.32 ${rname(rt)}, ${dname(d)}[${x}]` : `vmov.32 ${dname(d)}[${x}], ${rname(rt)}`);
      return;
    }
    case 4: { // VMRS Rt / APSR_nzcv
      const rt = s.rng.below(4) === 0 ? 15 : core(s);
      emit(s, cond(s), (0x0ef10a10 | (rt << 12)) >>> 0, `vmrs ${rt === 15 ? 'APSR_nzcv' : rname(rt)}, fpscr`);
      return;
    }
    default: { // VMSR FPSCR from a register holding a new status
      const rt = core(s);
      const v = randomFpscr(s.rng);
      emitMovImm32(s.buf, rt, v);
      emit(s, cond(s), (0x0ee10a10 | (rt << 12)) >>> 0, `vmsr fpscr, ${rname(rt)}`);
    }
  }
}

function genLoadStore(s: VfpState): void {
  const dp = s.rng.below(2) === 1;
  const load = s.rng.below(2);
  const words = dp ? 2 : 1;
  const base = core(s);
  const pick = s.rng.below(4);
  if (pick < 2) { // VLDR/VSTR [base, #+/-imm]
    const u = s.rng.below(2);
    const imm = s.rng.below(9);
    const addr = s.layout.scratch + 128 + (u ? -imm * 4 : imm * 4) + (s.rng.between(-8, 8) * 4);
    emitMovImm32(s.buf, base, addr);
    const d = reg(s, dp);
    const [vd, dx] = vfield(d, dp);
    emit(s, cond(s), (0x0d000a00 | (u << 23) | (dx << 22) | (load << 20) | (base << 16) | (vd << 12) | ((dp ? 1 : 0) << 8) | imm) >>> 0,
      `${load ? 'vldr' : 'vstr'} ${(dp ? dname : sname)(d)}, [${rname(base)}, #${u ? '' : '-'}${imm * 4}]`);
    return;
  }
  // VLDM/VSTM: IA (optional writeback) or DB (writeback); sometimes the FLDMX/FSTMX odd imm8.
  const count = s.rng.between(1, dp ? 6 : 8);
  const first = s.rng.below((dp ? 16 : 32) - count + 1);
  const db = s.rng.below(2);
  const w = db ? 1 : s.rng.below(2);
  const odd = dp && s.rng.below(6) === 0 ? 1 : 0;
  const imm = count * words + odd;
  const addr = s.layout.scratch + 128 + (db ? imm * 2 : -imm * 2) - ((imm * 2) & 3);
  emitMovImm32(s.buf, base, addr);
  const [vd, dx] = vfield(first, dp);
  const p = db;
  const u = db ? 0 : 1;
  emit(s, cond(s), (0x0c000a00 | (p << 24) | (u << 23) | (dx << 22) | (w << 21) | (load << 20) | (base << 16) | (vd << 12) |
    ((dp ? 1 : 0) << 8) | imm) >>> 0,
    `${load ? 'vldm' : 'vstm'}${db ? 'db' : 'ia'}${odd ? 'x' : ''} ${rname(base)}${w ? '!' : ''}, {${(dp ? dname : sname)(first)}-${(dp ? dname : sname)(first + count - 1)}}`);
}

function genPushPop(s: VfpState): void {
  const dp = s.rng.below(2) === 1;
  const count = s.rng.between(1, 4);
  const bytes = count * (dp ? 8 : 4);
  // Push if there is room below sp, pop if something is above; sp stays inside the scratch memory.
  const push = s.spOffset - bytes >= -112 && (s.spOffset + bytes > 112 || s.rng.below(2) === 0);
  const first = s.rng.below((dp ? 16 : 32) - count + 1);
  const [vd, dx] = vfield(first, dp);
  const word = push ? 0x0d2d0a00 : 0x0cbd0a00;
  emit(s, 14, (word | (dx << 22) | (vd << 12) | ((dp ? 1 : 0) << 8) | (count * (dp ? 2 : 1))) >>> 0,
    `${push ? 'vpush' : 'vpop'} {${(dp ? dname : sname)(first)}-${(dp ? dname : sname)(first + count - 1)}}`);
  s.spOffset += push ? -bytes : bytes;
}

type Family = (s: VfpState) => void;

const FAMILIES: readonly Weighted<Family>[] = [
  [30, genThreeOp], [12, genTwoOp], [8, genCompareAndBranchLike], [5, genVmovImm], [15, genConvert],
  [14, genTransfer], [12, genLoadStore], [4, genPushPop],
];

/** One random VFP atom (an instruction, or a short group such as a base set-up and its access). */
export function genVfpAtom(s: VfpState): void {
  pickWeighted(s.rng, FAMILIES)(s);
}
