// Machine code of a generated guest program, in one instruction set (A32 or
// T32), with a listing line per instruction for mismatch reports.

export type Isa = 'a32' | 't32';

export interface ListingLine {
  readonly addr: number;
  /** Hex encoding as the ARM ARM writes it (T32: the two halfwords, first one first). */
  readonly encoding: string;
  readonly text: string;
}

const hex = (v: number, digits: number): string => (v >>> 0).toString(16).padStart(digits, '0');

export class CodeBuffer {
  private readonly bytes: number[] = [];
  readonly listing: ListingLine[] = [];

  constructor(readonly isa: Isa, readonly base: number) {}

  /** Address of the next instruction. */
  get addr(): number {
    return this.base + this.bytes.length;
  }

  private push16(v: number): void {
    this.bytes.push(v & 0xff, (v >>> 8) & 0xff);
  }

  /** An A32 instruction word. */
  a32(word: number, text: string): void {
    if (this.isa !== 'a32') throw new Error('a32() in a T32 buffer');
    this.listing.push({ addr: this.addr, encoding: hex(word, 8), text });
    this.push16(word & 0xffff);
    this.push16(word >>> 16);
  }

  /** A 16-bit T32 instruction. */
  t16(hw: number, text: string): void {
    if (this.isa !== 't32') throw new Error('t16() in an A32 buffer');
    this.listing.push({ addr: this.addr, encoding: hex(hw, 4), text });
    this.push16(hw);
  }

  /** A 32-bit T32 instruction given as hw1 << 16 | hw2 (the first halfword is stored first). */
  t32(word: number, text: string): void {
    if (this.isa !== 't32') throw new Error('t32() in an A32 buffer');
    this.listing.push({ addr: this.addr, encoding: `${hex(word >>> 16, 4)} ${hex(word & 0xffff, 4)}`, text });
    this.push16(word >>> 16);
    this.push16(word & 0xffff);
  }

  /** An A32 instruction inside Thumb code (interworking tests call into it); 4-aligned. */
  armWord(word: number, text: string): void {
    if (this.bytes.length & 3) throw new Error('armWord: not 4-aligned');
    this.listing.push({ addr: this.addr, encoding: hex(word, 8), text: `(arm) ${text}` });
    this.push16(word & 0xffff);
    this.push16(word >>> 16);
  }

  /** Raw data inside the code (literal pools, branch tables); listed as data. */
  data16(hw: number, text = '.hword'): void {
    this.listing.push({ addr: this.addr, encoding: hex(hw, 4), text });
    this.push16(hw);
  }

  /** Replaces an instruction already emitted at addr (a fixup of a forward reference). */
  patch(addr: number, encoding: number, text: string): void {
    const i = this.listing.findIndex((l) => l.addr === addr);
    const old = this.listing[i];
    if (!old) throw new Error(`patch: no instruction at 0x${addr.toString(16)}`);
    const off = addr - this.base;
    const wide = old.encoding.length > 4;
    if (old.encoding.length === 8) {
      // An A32 word (little-endian, low halfword first).
      this.bytes.splice(off, 4, encoding & 0xff, (encoding >>> 8) & 0xff, (encoding >>> 16) & 0xff, encoding >>> 24);
      this.listing[i] = { addr, encoding: hex(encoding, 8), text: this.isa === 'a32' ? text : `(arm) ${text}` };
    } else if (wide) {
      const hw1 = encoding >>> 16;
      const hw2 = encoding & 0xffff;
      this.bytes.splice(off, 4, hw1 & 0xff, hw1 >>> 8, hw2 & 0xff, hw2 >>> 8);
      this.listing[i] = { addr, encoding: `${hex(hw1, 4)} ${hex(hw2, 4)}`, text };
    } else {
      this.bytes.splice(off, 2, encoding & 0xff, (encoding >>> 8) & 0xff);
      this.listing[i] = { addr, encoding: hex(encoding, 4), text };
    }
  }

  /** Pads to a 4-byte boundary with a T32 NOP (A32 code is always aligned). */
  align4(): void {
    if (this.bytes.length & 2) this.t16(0xbf00, 'nop');
  }

  /** Listing lines from address `from` up to (not including) `to`. */
  linesBetween(from: number, to: number): ListingLine[] {
    return this.listing.filter((l) => l.addr >= from && l.addr < to);
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
