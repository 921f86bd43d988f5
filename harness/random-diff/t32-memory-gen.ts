// Random Thumb memory instructions for the differential tester: the 16-bit
// register, immediate, SP-relative and literal forms, the 32-bit immediate
// (offset, pre/post-indexed, unprivileged), register and literal forms,
// LDRD/STRD, LDM/STM, PUSH/POP and LDREX/STREX{B,H,D} pairs.
//
// `prepareAccess` emits the set-up of one access (base and index registers,
// pointed into the case's scratch memory) and returns a function emitting the
// access itself as one instruction, so that an IT block can hold accesses
// whose set-up ran before the IT. The registers a prepared access needs are
// reserved (T32State.reserved) until the caller clears them.

import { emitMovImm32 } from './harness-encodings.js';
import { lo, reg, rname, w32, type T32State } from './t32-alu-gen.js';

export interface T32MemState extends T32State {
  /** The case's scratch memory: 256 bytes, sp starts at its middle. */
  readonly scratch: number;
  /** Bytes pushed below the initial sp (the generator keeps sp inside the scratch memory). */
  spDepth: number;
}

/** An address near the middle of the scratch memory, aligned to `align`. */
function scratchAddress(s: T32MemState, align: number, spread = 32): number {
  return s.scratch + 128 + (s.rng.between(-spread, spread) & ~(align - 1));
}

/** Sets a base register (not reserved), reserves it, and returns it. */
function setBase(s: T32MemState, low: boolean, align: number, spread?: number): number {
  const b = low ? lo(s) : reg(s);
  emitMovImm32(s.buf, b, scratchAddress(s, align, spread));
  s.reserved.add(b);
  return b;
}

/** A transfer register: not reserved, not the base when the access writes the base back. */
function transferReg(s: T32MemState, low: boolean, ...not: number[]): number {
  return low ? lo(s, ...not) : reg(s, ...not);
}

const T16_REG = ['str', 'strh', 'strb', 'ldrsb', 'ldr', 'ldrh', 'ldrb', 'ldrsh'];
const T16_REG_SIZE = [4, 2, 1, 1, 4, 2, 1, 2];

function prepareT16(s: T32MemState): () => void {
  const { rng, buf } = s;
  switch (rng.below(4)) {
    case 0: { // [Rn, Rm]
      const op = rng.below(8);
      const size = T16_REG_SIZE[op]!;
      const base = setBase(s, true, size);
      const rm = lo(s);
      buf.t16(0x2000 | (rm << 8) | (rng.below(16) * size), `movs ${rname(rm)}, #index`);
      s.reserved.add(rm);
      return () => { const rt = transferReg(s, true); buf.t16(0x5000 | (op << 9) | (rm << 6) | (base << 3) | rt, `${T16_REG[op]} r${rt}, [r${base}, r${rm}]`); };
    }
    case 1: { // [Rn, #imm5 * size]
      const kind = rng.below(3);
      const size = [4, 1, 2][kind]!;
      const load = rng.below(2);
      const base = setBase(s, true, size);
      const imm5 = rng.below(16);
      const hw = kind === 2 ? 0x8000 : kind === 1 ? 0x7000 : 0x6000;
      return () => { const rt = transferReg(s, true); buf.t16(hw | (load << 11) | (imm5 << 6) | (base << 3) | rt, `${load ? 'ldr' : 'str'}${['', 'b', 'h'][kind]} r${rt}, [r${base}, #${imm5 * size}]`); };
    }
    case 2: { // [SP, #imm8 * 4]
      const load = rng.below(2);
      const imm8 = rng.below(16);
      return () => { const rt = transferReg(s, true); buf.t16(0x9000 | (load << 11) | (rt << 8) | imm8, `${load ? 'ldr' : 'str'} r${rt}, [sp, #${imm8 * 4}]`); };
    }
    default: { // literal
      const imm8 = rng.below(64);
      return () => { const rt = transferReg(s, true); buf.t16(0x4800 | (rt << 8) | imm8, `ldr r${rt}, [pc, #${imm8 * 4}]`); };
    }
  }
}

/** [S, size] of the single-register T32 forms: LDRB LDRH LDR LDRSB LDRSH (stores use S = 0). */
const T32_SIZES: [number, number, string][] = [[0, 0, 'b'], [0, 1, 'h'], [0, 2, ''], [1, 0, 'sb'], [1, 1, 'sh']];

function prepareT32Single(s: T32MemState): () => void {
  const { rng } = s;
  const load = rng.below(2);
  const [sign, size, sfx] = load ? T32_SIZES[rng.below(5)]! : T32_SIZES[rng.below(3)]!;
  const bytes = 1 << size;
  const name = `${load ? 'ldr' : 'str'}${sfx}.w`;
  const hw1 = (base: number): number => 0xf800 | (sign << 8) | (size << 5) | (load << 4) | base;
  const form = rng.below(4);
  if (form === 3 && load) { // literal from Align(PC, 4), backwards only as far as there is code
    const back = rng.below(2) === 0 && s.buf.addr - s.buf.base > 256;
    const imm12 = rng.below(200);
    return () => { const rt = transferReg(s, false); w32(s, hw1(15) | (back ? 0 : 0x80), (rt << 12) | imm12, `${name} ${rname(rt)}, [pc, #${back ? '-' : ''}${imm12}]`); };
  }
  const base = setBase(s, false, bytes);
  if (form === 0) { // imm12
    const imm12 = rng.below(61) & -bytes;
    return () => { const rt = transferReg(s, false); w32(s, hw1(base) | 0x80, (rt << 12) | imm12, `${name} ${rname(rt)}, [${rname(base)}, #${imm12}]`); };
  }
  if (form === 1) { // imm8: negative offset, unprivileged, pre- or post-indexed with writeback
    const puw = [0b100, 0b110, 0b101, 0b111, 0b001, 0b011][rng.below(6)]!;
    const wback = (puw & 1) === 1;
    const imm8 = rng.below(61) & -bytes;
    return () => {
      const rt = transferReg(s, false, ...(wback ? [base] : []));
      w32(s, hw1(base), (rt << 12) | 0x800 | (puw << 8) | imm8, `${name} ${rname(rt)}, [${rname(base)}] puw=${puw.toString(2)} #${imm8}`);
    };
  }
  // [Rn, Rm, LSL #imm2]
  const rm = reg(s);
  const shift = rng.below(4);
  emitMovImm32(s.buf, rm, (rng.below(16) * bytes) >> shift);
  s.reserved.add(rm);
  return () => { const rt = transferReg(s, false); w32(s, hw1(base), (rt << 12) | (shift << 4) | rm, `${name} ${rname(rt)}, [${rname(base)}, ${rname(rm)}, lsl #${shift}]`); };
}

function prepareDual(s: T32MemState): () => void {
  const { rng } = s;
  const load = rng.below(2);
  const puw = [0b100, 0b110, 0b111, 0b101, 0b011, 0b001][rng.below(6)]!;
  const wback = (puw & 1) === 1;
  const imm8 = rng.below(16);
  const base = setBase(s, false, 4);
  return () => {
    const rt = transferReg(s, false, ...(wback ? [base] : []));
    const rt2 = transferReg(s, false, ...(wback ? [base] : []), ...(load ? [rt] : []));
    const p = puw >> 2;
    const u = (puw >> 1) & 1;
    w32(s, 0xe840 | (p << 8) | (u << 7) | ((puw & 1) << 5) | (load << 4) | base, (rt << 12) | (rt2 << 8) | imm8,
      `${load ? 'ldrd' : 'strd'} ${rname(rt)}, ${rname(rt2)}, [${rname(base)}] puw=${puw.toString(2)} #${imm8 * 4}`);
  };
}

function prepareMultiple(s: T32MemState): () => void {
  const { rng } = s;
  const load = rng.below(2);
  const wide = rng.below(2) === 0;
  const base = setBase(s, !wide, 4, 8);
  const w = rng.below(2);
  const db = wide && rng.below(2) === 1;
  return () => {
    let list = 0;
    const regs = wide ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14] : [0, 1, 2, 3, 4, 5, 6, 7];
    while (bitCount(list) < 2) {
      for (const r of regs) if (rng.below(3) === 0 && !s.reserved.has(r)) list |= 1 << r;
    }
    if (!wide) {
      // 16-bit LDM writes back unless the base is in the list; STM always does (base not in the list then).
      if (load && rng.below(3) === 0) list |= 1 << base;
      if (list === 0) list = 1 << lo(s, base);
      s.buf.t16(0xc000 | (load << 11) | (base << 8) | (list & 0xff), `${load ? 'ldm' : 'stm'} r${base}!, {0x${list.toString(16)}}`);
      return;
    }
    if (w) list &= ~(1 << base);
    while (bitCount(list) < 2) list |= 1 << reg(s, base);
    w32(s, (db ? 0xe900 : 0xe880) | (w << 5) | (load << 4) | base, list, `${load ? 'ldm' : 'stm'}${db ? 'db' : 'ia'}.w ${rname(base)}${w ? '!' : ''}, {0x${list.toString(16)}}`);
  };
}

function bitCount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

/** Emits the set-up of one random access and returns the emitter of the access (one instruction). */
export function prepareAccess(s: T32MemState): () => void {
  switch (s.rng.below(6)) {
    case 0: case 1: return prepareT16(s);
    case 2: case 3: return prepareT32Single(s);
    case 4: return prepareDual(s);
    default: return prepareMultiple(s);
  }
}

/** PUSH then POP (16- or 32-bit), keeping sp inside the scratch memory. */
export function genPushPop(s: T32MemState): void {
  const { rng, buf } = s;
  const wide = rng.below(2) === 0;
  const regs = wide ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [0, 1, 2, 3, 4, 5, 6, 7];
  let list = 0;
  for (const r of regs) if (rng.below(3) === 0 && !s.reserved.has(r)) list |= 1 << r;
  const lr = rng.below(2);
  if (bitCount(list) + lr < 2) list |= 3;
  if (wide) w32(s, 0xe92d, list | (lr << 14), `push.w {0x${(list | (lr << 14)).toString(16)}}`);
  else buf.t16(0xb400 | (lr << 8) | list, `push {0x${list.toString(16)}${lr ? ', lr' : ''}}`);
  // Pop into other registers now and then (still no SP or PC).
  let popList = list;
  if (rng.below(2)) {
    popList = 0;
    while (bitCount(popList) !== bitCount(list)) popList |= 1 << regs[rng.below(regs.length)]!;
  }
  if (wide) w32(s, 0xe8bd, popList | (lr << 14), `pop.w {0x${(popList | (lr << 14)).toString(16)}}`);
  else buf.t16(0xbc00 | popList, `pop {0x${popList.toString(16)}}`); // a pushed lr's slot is dropped below
  if (!wide && lr) buf.t16(0xb001, 'add sp, #4');
}

/** [T32 op (bits 5..4), suffix, alignment] of LDREXB/H/D and STREXB/H/D. */
const EXCL_SIZED: [number, string, number][] = [[0, 'b', 1], [1, 'h', 2], [3, 'd', 8]];

/** LDREX{,B,H,D} ... STREX{,B,H,D} to the same address, with CLREX in between now and then. */
export function genExclusivePair(s: T32MemState): void {
  const { rng } = s;
  const word = rng.below(2) === 0;
  const [op, sfx, align] = word ? [0, '', 4] : EXCL_SIZED[rng.below(3)]!;
  const dual = sfx === 'd';
  const base = setBase(s, false, align);
  const rt = reg(s, base);
  const rt2 = dual ? reg(s, base, rt) : 15;
  const st = reg(s, base);
  const st2 = dual ? reg(s, base) : 15;
  const status = reg(s, base, st, st2);
  const imm8 = word ? rng.below(8) : 0;
  if (word) w32(s, 0xe850 | base, (rt << 12) | 0xf00 | imm8, `ldrex ${rname(rt)}, [${rname(base)}, #${imm8 * 4}]`);
  else w32(s, 0xe8d0 | base, (rt << 12) | (rt2 << 8) | 0x4f | (op << 4), `ldrex${sfx} ${rname(rt)}, [${rname(base)}]`);
  if (rng.below(4) === 0) w32(s, 0xf3bf, 0x8f2f, 'clrex');
  if (word) w32(s, 0xe840 | base, (st << 12) | (status << 8) | imm8, `strex ${rname(status)}, ${rname(st)}, [${rname(base)}, #${imm8 * 4}]`);
  else w32(s, 0xe8c0 | base, (st << 12) | (st2 << 8) | 0x40 | (op << 4) | status, `strex${sfx} ${rname(status)}, ${rname(st)}, [${rname(base)}]`);
}
