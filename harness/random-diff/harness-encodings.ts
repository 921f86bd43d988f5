// The few fixed instructions the harness wraps around each random sequence,
// encoded for the buffer's instruction set (ARM ARM A8 encodings A1 / T1-T4).

import type { CodeBuffer } from './code-buffer.js';

const AL = 0xe0000000;

/** MOVW + MOVT: rd = value (rd not SP/PC in T32). */
export function emitMovImm32(buf: CodeBuffer, rd: number, value: number): void {
  const lo = value & 0xffff;
  const hi = value >>> 16;
  emitMovw(buf, rd, lo);
  if (hi !== 0) emitMovt(buf, rd, hi);
}

export function emitMovw(buf: CodeBuffer, rd: number, imm16: number): void {
  if (buf.isa === 'a32') buf.a32(AL | 0x03000000 | ((imm16 >>> 12) << 16) | (rd << 12) | (imm16 & 0xfff), `movw r${rd}, #0x${imm16.toString(16)}`);
  else buf.t32(t32Mov16(0xf2400000, rd, imm16), `movw r${rd}, #0x${imm16.toString(16)}`);
}

export function emitMovt(buf: CodeBuffer, rd: number, imm16: number): void {
  if (buf.isa === 'a32') buf.a32(AL | 0x03400000 | ((imm16 >>> 12) << 16) | (rd << 12) | (imm16 & 0xfff), `movt r${rd}, #0x${imm16.toString(16)}`);
  else buf.t32(t32Mov16(0xf2c00000, rd, imm16), `movt r${rd}, #0x${imm16.toString(16)}`);
}

/** T32 MOVW/MOVT: imm16 split as imm4:i:imm3:imm8. */
export function t32Mov16(opcode: number, rd: number, imm16: number): number {
  const imm4 = imm16 >>> 12;
  const i = (imm16 >>> 11) & 1;
  const imm3 = (imm16 >>> 8) & 7;
  return (opcode | (i << 26) | (imm4 << 16) | (imm3 << 12) | (rd << 8) | (imm16 & 0xff)) >>> 0;
}

/** LDR rt, [rn, #imm] (imm 0..4095). */
export function emitLdrImm(buf: CodeBuffer, rt: number, rn: number, imm: number): void {
  if (buf.isa === 'a32') buf.a32(AL | 0x05900000 | (rn << 16) | (rt << 12) | imm, `ldr r${rt}, [r${rn}, #${imm}]`);
  else buf.t32((0xf8d00000 | (rn << 16) | (rt << 12) | imm) >>> 0, `ldr.w r${rt}, [r${rn}, #${imm}]`);
}

/** STR rt, [rn, #imm] (imm 0..4095). */
export function emitStrImm(buf: CodeBuffer, rt: number, rn: number, imm: number): void {
  if (buf.isa === 'a32') buf.a32(AL | 0x05800000 | (rn << 16) | (rt << 12) | imm, `str r${rt}, [r${rn}, #${imm}]`);
  else buf.t32((0xf8c00000 | (rn << 16) | (rt << 12) | imm) >>> 0, `str.w r${rt}, [r${rn}, #${imm}]`);
}

/** LDM rn, {list} without writeback. */
export function emitLdm(buf: CodeBuffer, rn: number, list: number): void {
  if (buf.isa === 'a32') buf.a32(AL | 0x08900000 | (rn << 16) | list, `ldm r${rn}, {0x${list.toString(16)}}`);
  else buf.t32((0xe8900000 | (rn << 16) | list) >>> 0, `ldm.w r${rn}, {0x${list.toString(16)}}`);
}

/** STM rn, {list} without writeback. */
export function emitStm(buf: CodeBuffer, rn: number, list: number): void {
  if (buf.isa === 'a32') buf.a32(AL | 0x08800000 | (rn << 16) | list, `stm r${rn}, {0x${list.toString(16)}}`);
  else buf.t32((0xe8800000 | (rn << 16) | list) >>> 0, `stm.w r${rn}, {0x${list.toString(16)}}`);
}

/** MSR APSR_nzcvqg, rn */
export function emitMsrApsr(buf: CodeBuffer, rn: number): void {
  if (buf.isa === 'a32') buf.a32(AL | 0x012cf000 | rn, `msr APSR_nzcvqg, r${rn}`);
  else buf.t32((0xf3808c00 | (rn << 16)) >>> 0, `msr APSR_nzcvqg, r${rn}`);
}

/** MRS rd, APSR */
export function emitMrsApsr(buf: CodeBuffer, rd: number): void {
  if (buf.isa === 'a32') buf.a32(AL | 0x010f0000 | (rd << 12), `mrs r${rd}, APSR`);
  else buf.t32((0xf3ef8000 | (rd << 8)) >>> 0, `mrs r${rd}, APSR`);
}

/** MCR/MRC p15, 0, rt, c13, c0, 2 (TPIDRURW): a register parked without touching memory. */
export function emitTpidrurw(buf: CodeBuffer, rt: number, read: boolean): void {
  const word = ((read ? 0xee1d0f50 : 0xee0d0f50) | (rt << 12)) >>> 0;
  const text = read ? `mrc p15, 0, r${rt}, c13, c0, 2` : `mcr p15, 0, r${rt}, c13, c0, 2`;
  // The coprocessor encodings are the same words in both sets (T32 hw1:hw2 = A32 with cond AL).
  if (buf.isa === 'a32') buf.a32(word, text);
  else buf.t32(word, text);
}

export function emitSvc0(buf: CodeBuffer): void {
  if (buf.isa === 'a32') buf.a32(AL | 0x0f000000, 'svc 0');
  else buf.t16(0xdf00, 'svc 0');
}
