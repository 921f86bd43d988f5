// Writes a minimal static ARM ELF executable (ELF32, little-endian, EABI5):
// an ELF header and one PT_LOAD per segment, no sections. The random
// differential tester builds its guest programs with it at test time, so
// nothing generated is committed and no assembler is needed.

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** e_flags: EABI version 5 plus the float ABI the file claims. */
export const EF_ARM_EABI5 = 0x05000000;
export const EF_ARM_ABI_FLOAT_SOFT = 0x200;
export const EF_ARM_ABI_FLOAT_HARD = 0x400;

export interface ElfSegmentSpec {
  readonly vaddr: number;
  readonly bytes: Uint8Array;
  /** PF_R | PF_W | PF_X */
  readonly flags: number;
}

export interface ElfSpec {
  /** Entry address; bit 0 set starts in Thumb state. */
  readonly entry: number;
  readonly segments: readonly ElfSegmentSpec[];
  readonly hardFloat?: boolean;
}

const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const PAGE = 4096;

export function writeElf(spec: ElfSpec): Uint8Array {
  const phoff = EHDR_SIZE;
  let offset = phoff + PHDR_SIZE * spec.segments.length;
  // Each segment's file offset is congruent to its address modulo the page size.
  const placed = spec.segments.map((s) => {
    if (s.vaddr % PAGE !== 0) throw new Error(`segment at 0x${s.vaddr.toString(16)} is not page-aligned`);
    offset = Math.ceil(offset / PAGE) * PAGE;
    const at = offset;
    offset += s.bytes.length;
    return { ...s, offset: at };
  });
  const out = new Uint8Array(offset);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0], 0); // ELFCLASS32, ELFDATA2LSB, EV_CURRENT, SYSV
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 40, true); // EM_ARM
  v.setUint32(20, 1, true); // EV_CURRENT
  v.setUint32(24, spec.entry >>> 0, true);
  v.setUint32(28, phoff, true);
  v.setUint32(32, 0, true); // no section headers
  v.setUint32(36, EF_ARM_EABI5 | (spec.hardFloat ? EF_ARM_ABI_FLOAT_HARD : EF_ARM_ABI_FLOAT_SOFT), true);
  v.setUint16(40, EHDR_SIZE, true);
  v.setUint16(42, PHDR_SIZE, true);
  v.setUint16(44, placed.length, true);
  v.setUint16(46, 40, true); // e_shentsize (no sections, but a conventional value)
  placed.forEach((s, i) => {
    const p = phoff + i * PHDR_SIZE;
    v.setUint32(p, 1, true); // PT_LOAD
    v.setUint32(p + 4, s.offset, true);
    v.setUint32(p + 8, s.vaddr >>> 0, true);
    v.setUint32(p + 12, s.vaddr >>> 0, true);
    v.setUint32(p + 16, s.bytes.length, true);
    v.setUint32(p + 20, s.bytes.length, true);
    v.setUint32(p + 24, s.flags, true);
    v.setUint32(p + 28, PAGE, true);
    out.set(s.bytes, s.offset);
  });
  return out;
}
