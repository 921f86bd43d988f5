// Builds one guest program of the random differential tester: for each test
// case, code that sets every general register and the APSR flags from seeded
// input data, the random instruction sequence, and code that stores the
// registers, the flags, any extension state (e.g. VFP, see StateExtension)
// and the case's scratch memory, then writes them to stdout with write(2).
// The last case is followed by exit_group(0).
//
// Register contract for generators: r0-r12 and lr start random; sp points
// into the middle of the case's scratch memory (SCRATCH_BYTES), which starts
// random too and is compared after the case, so stores are checked.

import { SeededRandom } from '../seeded-random.js';
import { CodeBuffer, type Isa, type ListingLine } from './code-buffer.js';
import { writeElf, PF_R, PF_W, PF_X } from './elf-image.js';
import {
  emitLdm, emitLdrImm, emitMovImm32, emitMovw, emitMrsApsr, emitMsrApsr, emitStm, emitStrImm, emitSvc0, emitTpidrurw,
} from './harness-encodings.js';

export const TEXT_BASE = 0x00010000;
export const DATA_BASE = 0x00800000;
/** Scratch memory per case; sp starts at its middle. */
export const SCRATCH_BYTES = 256;
/** Registers r0..r15 (r15 replaced by APSR) as 16 words. */
const REG_BYTES = 64;
const APSR_SLOT = 15;

/** What a generator's sequence may rely on while it runs. */
export interface CaseLayout {
  /** Address of the case's scratch memory (SCRATCH_BYTES, 8-aligned). */
  readonly scratch: number;
  /** Initial sp (scratch + SCRATCH_BYTES / 2). */
  readonly sp: number;
}

/**
 * Architectural state beyond r0-r15 and APSR that a generator sets and
 * compares (i19v's VFP generator: d0-d15 and FPSCR).
 */
export interface StateExtension {
  /** Bytes of input state (multiple of 8), filled by fillInput. */
  readonly inputBytes: number;
  /** Bytes of output state (multiple of 8), written by emitStore's code. */
  readonly outputBytes: number;
  fillInput(rng: SeededRandom, input: DataView): void;
  /** Code loading the state from the input at the address in register rBase; may clobber r1-r3. */
  emitLoad(buf: CodeBuffer, rBase: number): void;
  /** Code storing the state to the output at the address in rBase (GPRs are saved already); may clobber r1-r12. */
  emitStore(buf: CodeBuffer, rBase: number): void;
  /** Named values of an output block, for mismatch reports. */
  describe(output: DataView): string[];
}

export interface RandomGenerator {
  readonly name: string;
  readonly isa: Isa;
  /** The ELF header claims hard-float (armhf) when true. */
  readonly hardFloat: boolean;
  readonly extension?: StateExtension;
  /** Emits one case's random sequence. It must fall through to its end (forward branches only). */
  emitSequence(rng: SeededRandom, buf: CodeBuffer, layout: CaseLayout): void;
}

export interface CaseInfo {
  readonly index: number;
  readonly layout: CaseLayout;
  readonly input: Uint8Array;
  /** Listing of the random sequence alone. */
  readonly sequence: ListingLine[];
}

export interface BuiltProgram {
  readonly elf: Uint8Array;
  readonly cases: CaseInfo[];
  /** Bytes each case writes to stdout. */
  readonly outputBytesPerCase: number;
}

/** Interesting 32-bit values: edges of signed/unsigned ranges, halfword and byte edges. */
const SPECIAL = [0, 1, 2, 0xffffffff, 0x80000000, 0x7fffffff, 0xffff, 0x8000, 0x7fff, 0xff, 0x80, 0x7f, 0xffff8000, 0x00010000, 0xfffffffe, 31, 32, 33];

export function randomWord(rng: SeededRandom): number {
  switch (rng.below(4)) {
    case 0: return SPECIAL[rng.below(SPECIAL.length)]! | 0;
    case 1: return rng.below(256) - 128;
    default: return rng.next() | 0;
  }
}

const align8 = (n: number): number => (n + 7) & ~7;

export function buildProgram(gen: RandomGenerator, seed: number, caseCount: number): BuiltProgram {
  const rng = new SeededRandom(seed);
  const ext = gen.extension;
  const inBytes = REG_BYTES + (ext?.inputBytes ?? 0);
  const extOut = ext?.outputBytes ?? 0;
  const outBytes = REG_BYTES + extOut + SCRATCH_BYTES;
  const perCase = align8(inBytes) + align8(outBytes);
  const data = new Uint8Array(perCase * caseCount);
  const dv = new DataView(data.buffer);
  const buf = new CodeBuffer(gen.isa, TEXT_BASE);
  const cases: CaseInfo[] = [];

  for (let k = 0; k < caseCount; k++) {
    const inAddr = DATA_BASE + k * perCase;
    const outAddr = inAddr + align8(inBytes);
    const scratch = outAddr + REG_BYTES + extOut;
    const layout: CaseLayout = { scratch, sp: scratch + SCRATCH_BYTES / 2 };
    const inOff = inAddr - DATA_BASE;
    for (let r = 0; r < 16; r++) dv.setInt32(inOff + 4 * r, randomWord(rng), true);
    dv.setUint32(inOff + 4 * 13, layout.sp, true);
    // APSR: random N Z C V Q and GE[3:0].
    dv.setUint32(inOff + 4 * APSR_SLOT, ((rng.next() & 0xf8000000) | (rng.below(16) << 16)) >>> 0, true);
    if (ext) ext.fillInput(rng, new DataView(data.buffer, inOff + REG_BYTES, ext.inputBytes));
    for (let i = 0; i < SCRATCH_BYTES; i++) data[scratch - DATA_BASE + i] = rng.below(256);

    // Set up: extension state, flags, sp and lr, then r0-r12 (r0 last, it is the base).
    emitMovImm32(buf, 0, inAddr);
    if (ext) {
      emitMovImm32(buf, 1, inAddr + REG_BYTES);
      ext.emitLoad(buf, 1);
    }
    emitLdrImm(buf, 1, 0, 4 * APSR_SLOT);
    emitMsrApsr(buf, 1);
    emitLdrImm(buf, 13, 0, 4 * 13);
    emitLdrImm(buf, 14, 0, 4 * 14);
    emitLdm(buf, 0, 0x1fff);

    const start = buf.addr;
    gen.emitSequence(rng, buf, layout);
    const sequence = buf.linesBetween(start, buf.addr);
    if (buf.isa === 't32') buf.align4();

    // Dump: park r0 in TPIDRURW, store r1-r12 and lr, then sp, r0 and APSR.
    emitTpidrurw(buf, 0, false);
    emitMovImm32(buf, 0, outAddr);
    emitStm(buf, 0, 0x5ffe); // r1-r12, lr at slots 0..12
    emitStrImm(buf, 13, 0, 4 * 13);
    emitTpidrurw(buf, 1, true);
    emitStrImm(buf, 1, 0, 4 * 14);
    emitMrsApsr(buf, 1);
    emitStrImm(buf, 1, 0, 4 * APSR_SLOT);
    if (ext) {
      emitMovImm32(buf, 0, outAddr + REG_BYTES);
      ext.emitStore(buf, 0);
    }
    // write(1, out, outBytes)
    emitMovImm32(buf, 1, outAddr);
    emitMovw(buf, 2, outBytes);
    emitMovw(buf, 0, 1);
    emitMovw(buf, 7, 4);
    emitSvc0(buf);
    cases.push({ index: k, layout, input: data.slice(inOff, inOff + inBytes), sequence });
  }
  emitMovw(buf, 0, 0);
  emitMovw(buf, 7, 248); // exit_group
  emitSvc0(buf);

  const elf = writeElf({
    entry: TEXT_BASE | (gen.isa === 't32' ? 1 : 0),
    hardFloat: gen.hardFloat,
    segments: [
      { vaddr: TEXT_BASE, bytes: buf.toBytes(), flags: PF_R | PF_X },
      { vaddr: DATA_BASE, bytes: data, flags: PF_R | PF_W },
    ],
  });
  return { elf, cases, outputBytesPerCase: outBytes };
}

/** Register order of a case's output block: r1..r12, lr, sp, r0, APSR. */
export function outputRegisters(block: DataView): { regs: number[]; apsr: number } {
  const regs: number[] = [];
  regs[0] = block.getUint32(4 * 14, true);
  for (let r = 1; r <= 12; r++) regs[r] = block.getUint32(4 * (r - 1), true);
  regs[14] = block.getUint32(4 * 12, true);
  regs[13] = block.getUint32(4 * 13, true);
  return { regs, apsr: block.getUint32(4 * APSR_SLOT, true) };
}

export const OUTPUT_REG_BYTES = REG_BYTES;
