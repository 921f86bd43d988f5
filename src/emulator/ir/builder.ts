// Builds the op list of one TB (QEMU's tcg-op.c). Temps are numbers: the first
// globals.count are the guest globals, the rest are TB-local temporaries.

import { Cond } from './cond.js';
import type { IrGlobals } from './globals.js';
import { OPCODES, type Op, type Opcode } from './opcodes.js';

export type Temp = number;
export type Label = number;

export class IrBuilder {
  readonly ops: Op[] = [];
  private nextTemp: number;
  private nextLabel = 0;

  constructor(readonly globals: IrGlobals) {
    this.nextTemp = globals.count;
  }

  get tempCount(): number {
    return this.nextTemp;
  }

  get labelCount(): number {
    return this.nextLabel;
  }

  newTemp(): Temp {
    return this.nextTemp++;
  }

  newLabel(): Label {
    return this.nextLabel++;
  }

  emit(opc: Opcode, ...args: number[]): void {
    const d = OPCODES[opc];
    if (args.length !== d.outs + d.ins + d.consts) {
      throw new Error(`internal: op ${opc} takes ${d.outs + d.ins + d.consts} args, got ${args.length}`);
    }
    this.ops.push({ opc, args });
  }

  // ---- value-producing helpers: each returns a fresh temp ----

  const(value: number): Temp {
    const t = this.newTemp();
    this.emit('movi', t, value | 0);
    return t;
  }

  copy(a: Temp): Temp {
    const t = this.newTemp();
    this.emit('mov', t, a);
    return t;
  }

  unary(opc: 'neg' | 'not' | 'clz' | 'bswap32' | 'bswap16' | 'rbit' | 'ext8s' | 'ext8u' | 'ext16s' | 'ext16u', a: Temp): Temp {
    const t = this.newTemp();
    this.emit(opc, t, a);
    return t;
  }

  binary(
    opc: 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'andc' | 'shl' | 'shr' | 'sar' | 'rotr' | 'divs' | 'divu',
    a: Temp,
    b: Temp,
  ): Temp {
    const t = this.newTemp();
    this.emit(opc, t, a, b);
    return t;
  }

  binaryImm(
    opc: 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'andc' | 'shl' | 'shr' | 'sar' | 'rotr',
    a: Temp,
    imm: number,
  ): Temp {
    return this.binary(opc, a, this.const(imm));
  }

  setcond(c: Cond, a: Temp, b: Temp): Temp {
    const t = this.newTemp();
    this.emit('setcond', t, a, b, c);
    return t;
  }

  movcond(c: Cond, a: Temp, b: Temp, ifTrue: Temp, ifFalse: Temp): Temp {
    const t = this.newTemp();
    this.emit('movcond', t, a, b, ifTrue, ifFalse, c);
    return t;
  }

  extract(a: Temp, pos: number, len: number, signed: boolean): Temp {
    const t = this.newTemp();
    this.emit(signed ? 'sextract' : 'extract', t, a, pos, len);
    return t;
  }

  deposit(a: Temp, b: Temp, pos: number, len: number): Temp {
    const t = this.newTemp();
    this.emit('deposit', t, a, b, pos, len);
    return t;
  }

  /** 64-bit product of two 32-bit values: [lo, hi]. */
  mul2(signed: boolean, a: Temp, b: Temp): [Temp, Temp] {
    const lo = this.newTemp();
    const hi = this.newTemp();
    this.emit(signed ? 'muls2' : 'mulu2', lo, hi, a, b);
    return [lo, hi];
  }

  add2(alo: Temp, ahi: Temp, blo: Temp, bhi: Temp): [Temp, Temp] {
    const lo = this.newTemp();
    const hi = this.newTemp();
    this.emit('add2', lo, hi, alo, ahi, blo, bhi);
    return [lo, hi];
  }

  sub2(alo: Temp, ahi: Temp, blo: Temp, bhi: Temp): [Temp, Temp] {
    const lo = this.newTemp();
    const hi = this.newTemp();
    this.emit('sub2', lo, hi, alo, ahi, blo, bhi);
    return [lo, hi];
  }

  ldEnv(slot: number): Temp {
    const t = this.newTemp();
    this.emit('ld_env', t, slot);
    return t;
  }

  stEnv(slot: number, v: Temp): void {
    this.emit('st_env', v, slot);
  }

  load(addr: Temp, memop: number, pc: number): Temp {
    const t = this.newTemp();
    this.emit('qemu_ld', t, addr, memop, pc);
    return t;
  }

  store(addr: Temp, value: Temp, memop: number, pc: number): void {
    this.emit('qemu_st', value, addr, memop, pc);
  }

  /** Writes a global (guest register or flag). */
  setGlobal(g: Temp, v: Temp): void {
    this.emit('mov', g, v);
  }

  brcond(c: Cond, a: Temp, b: Temp, label: Label): void {
    this.emit('brcond', a, b, c, label);
  }

  setLabel(label: Label): void {
    this.emit('set_label', label);
  }
}
