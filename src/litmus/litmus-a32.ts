// A32 encodings (ARM ARM A8, encoding A1, condition AL unless named) of the
// instructions a litmus test and its harness use. Each returns the word and
// the listing text; emitA32 writes it to a CodeBuffer.

import type { CodeBuffer } from '../../harness/random-diff/code-buffer.js';
import { BARRIER_OPTIONS, type Instruction, type Operand } from './litmus-test.js';

export const enum Cond { EQ = 0x0, NE = 0x1, HS = 0x2, LO = 0x3, LT = 0xb, AL = 0xe }

export interface Encoded {
  readonly word: number;
  readonly text: string;
}

const w = (word: number, text: string): Encoded => ({ word: word >>> 0, text });
const AL = 0xe0000000;

/** The 12-bit modified immediate (rot:imm8) for value, or null if it has none. */
export function modifiedImmediate(value: number): number | null {
  const v = value >>> 0;
  for (let rot = 0; rot < 16; rot++) {
    // value = imm8 ROR (2*rot), so imm8 = value ROL (2*rot)
    const s = 2 * rot;
    const imm8 = s === 0 ? v : ((v << s) | (v >>> (32 - s))) >>> 0;
    if (imm8 <= 0xff) return (rot << 8) | imm8;
  }
  return null;
}

export function movw(rd: number, imm16: number): Encoded {
  return w(AL | 0x03000000 | ((imm16 >>> 12) << 16) | (rd << 12) | (imm16 & 0xfff), `movw r${rd}, #${imm16}`);
}

export function movt(rd: number, imm16: number): Encoded {
  return w(AL | 0x03400000 | ((imm16 >>> 12) << 16) | (rd << 12) | (imm16 & 0xfff), `movt r${rd}, #${imm16}`);
}

/** rd = value: MOVW, plus MOVT when the top half is not zero. */
export function movImm32(rd: number, value: number): Encoded[] {
  const v = value >>> 0;
  return v >>> 16 === 0 ? [movw(rd, v)] : [movw(rd, v & 0xffff), movt(rd, v >>> 16)];
}

const DP_OPCODE = { and: 0x0, eor: 0x1, sub: 0x2, add: 0x4, cmp: 0xa, mov: 0xd } as const;

/** Data processing: OP rd, rn, operand (S set for CMP, rn unused for MOV). */
export function dataProcessing(op: keyof typeof DP_OPCODE, rd: number, rn: number, src: Operand): Encoded {
  const s = op === 'cmp' ? 1 : 0;
  const head = AL | (DP_OPCODE[op] << 21) | (s << 20) | (rn << 16) | (rd << 12);
  const dst = op === 'cmp' ? `r${rn}` : op === 'mov' ? `r${rd}` : `r${rd}, r${rn}`;
  if (src.kind === 'reg') return w(head | src.reg, `${op} ${dst}, r${src.reg}`);
  const imm = modifiedImmediate(src.value);
  if (imm === null) throw new Error(`#${src.value >>> 0} has no A32 modified-immediate encoding (use MOV of a smaller value, or another register)`);
  return w(head | 0x02000000 | imm, `${op} ${dst}, #${src.value >>> 0}`);
}

/** LDR/STR rt, [rn, #imm] or [rn, rm] (offset addressing, no writeback). */
export function loadStore(load: boolean, rt: number, rn: number, offset: Operand): Encoded {
  const l = load ? 0x00100000 : 0;
  const name = load ? 'ldr' : 'str';
  if (offset.kind === 'reg') return w(AL | 0x07800000 | l | (rn << 16) | (rt << 12) | offset.reg, `${name} r${rt}, [r${rn}, r${offset.reg}]`);
  if (offset.value > 0xfff) throw new Error(`offset #${offset.value} is out of range (0..4095)`);
  return w(AL | 0x05800000 | l | (rn << 16) | (rt << 12) | offset.value, `${name} r${rt}, [r${rn}, #${offset.value}]`);
}

/** MUL rd, rn, rm */
export function mul(rd: number, rn: number, rm: number): Encoded {
  return w(AL | 0x00000090 | (rd << 16) | (rm << 8) | rn, `mul r${rd}, r${rn}, r${rm}`);
}

/** LSR rd, rm, #shift (1..31) */
export function lsrImm(rd: number, rm: number, shift: number): Encoded {
  return w(AL | 0x01a00020 | (rd << 12) | (shift << 7) | rm, `lsr r${rd}, r${rm}, #${shift}`);
}

/** SUBS rd, rn, #1 */
export function subsOne(rd: number, rn: number): Encoded {
  return w(AL | 0x02500001 | (rn << 16) | (rd << 12), `subs r${rd}, r${rn}, #1`);
}

export function ldrex(rt: number, rn: number): Encoded {
  return w(AL | 0x01900f9f | (rn << 16) | (rt << 12), `ldrex r${rt}, [r${rn}]`);
}

export function strex(rd: number, rt: number, rn: number): Encoded {
  return w(AL | 0x01800f90 | (rn << 16) | (rd << 12) | rt, `strex r${rd}, r${rt}, [r${rn}]`);
}

export function dmb(option: number = BARRIER_OPTIONS.sy): Encoded {
  return w(0xf57ff050 | option, `dmb #${option}`);
}

/** B<cond> to target from the instruction at addr. */
export function branch(cond: Cond, addr: number, target: number): Encoded {
  const off = (target - (addr + 8)) >> 2;
  return w((cond << 28) | 0x0a000000 | (off & 0xffffff), `b${cond === Cond.AL ? '' : `.${cond}`} 0x${target.toString(16)}`);
}

export function svc0(): Encoded {
  return w(AL | 0x0f000000, 'svc 0');
}

export function emitA32(buf: CodeBuffer, e: Encoded | readonly Encoded[]): void {
  for (const one of Array.isArray(e) ? (e as readonly Encoded[]) : [e as Encoded]) buf.a32(one.word, one.text);
}

const BRANCH_COND = { b: Cond.AL, beq: Cond.EQ, bne: Cond.NE } as const;

/**
 * Emits one test instruction. Branches are emitted to the placeholder target
 * 0 and returned as fixups (the label's address is known only at the end).
 */
export function emitTestInstruction(buf: CodeBuffer, ins: Instruction, labels: Map<string, number>, fixups: { addr: number; cond: Cond; label: string }[]): void {
  switch (ins.op) {
    case 'label': labels.set(ins.label, buf.addr); return;
    case 'ldr': case 'str': emitA32(buf, loadStore(ins.op === 'ldr', ins.rt, ins.addr.base, ins.addr.offset)); return;
    case 'ldrex': emitA32(buf, ldrex(ins.rt, ins.addr.base)); return;
    case 'strex': emitA32(buf, strex(ins.rd, ins.rt, ins.addr.base)); return;
    case 'dmb': emitA32(buf, dmb(BARRIER_OPTIONS[ins.option])); return;
    case 'dsb': emitA32(buf, w(0xf57ff040 | BARRIER_OPTIONS[ins.option], `dsb #${BARRIER_OPTIONS[ins.option]}`)); return;
    case 'isb': emitA32(buf, w(0xf57ff06f, 'isb')); return;
    case 'mov':
      if (ins.src.kind === 'imm' && modifiedImmediate(ins.src.value) === null) emitA32(buf, movImm32(ins.rd, ins.src.value));
      else emitA32(buf, dataProcessing('mov', ins.rd, 0, ins.src));
      return;
    case 'add': case 'sub': case 'eor': case 'and': emitA32(buf, dataProcessing(ins.op, ins.rd, ins.rn, ins.src)); return;
    case 'cmp': emitA32(buf, dataProcessing('cmp', 0, ins.rn, ins.src)); return;
    case 'b': case 'beq': case 'bne':
      fixups.push({ addr: buf.addr, cond: BRANCH_COND[ins.op], label: ins.label });
      emitA32(buf, branch(BRANCH_COND[ins.op], buf.addr, buf.addr));
      return;
  }
}

/** The registers an instruction reads or writes. */
export function registersOf(ins: Instruction): number[] {
  const ofOperand = (o: Operand): number[] => (o.kind === 'reg' ? [o.reg] : []);
  switch (ins.op) {
    case 'ldr': case 'str': case 'ldrex': return [ins.rt, ins.addr.base, ...ofOperand(ins.addr.offset)];
    case 'strex': return [ins.rd, ins.rt, ins.addr.base];
    case 'mov': return [ins.rd, ...ofOperand(ins.src)];
    case 'add': case 'sub': case 'eor': case 'and': return [ins.rd, ins.rn, ...ofOperand(ins.src)];
    case 'cmp': return [ins.rn, ...ofOperand(ins.src)];
    default: return [];
  }
}
