// Parser and validator for 32-bit little-endian ARM ELF executables (ET_EXEC
// or ET_DYN, static or naming an interpreter in PT_INTERP) and shared
// objects (the interpreter itself). Pure: bytes in, a checked description of
// what to load out; the loader does the mapping. Every offset
// and size is checked against the file length and the 32-bit address space,
// so a malformed file fails here with a readable ElfError, never later.

/** A problem with the guest executable, worded for the user. */
export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

/** PF_* bits of ElfSegment.flags. */
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

/** A PT_LOAD segment, with the load bias already applied to vaddr. */
export interface ElfSegment {
  vaddr: number;
  memsz: number;
  offset: number;
  filesz: number;
  /** PF_R=4, PF_W=2, PF_X=1 */
  flags: number;
}

/** The PT_TLS template (initialised .tdata followed by zeroed .tbss). */
export interface ElfTlsSegment {
  vaddr: number;
  memsz: number;
  offset: number;
  filesz: number;
  align: number;
}

export interface ElfImage {
  /** Entry point, load bias applied. */
  entry: number;
  type: 'exec' | 'dyn';
  /** Bias added to every vaddr (always 0 for ET_EXEC). */
  loadBias: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  /** Address of the program headers in guest memory (for AT_PHDR). */
  phdrVaddr: number;
  /** PT_LOAD segments in program-header order. */
  segments: ElfSegment[];
  tlsSegment?: ElfTlsSegment;
  /** e_flags (EF_ARM_*). */
  flags: number;
  /** EABI version from e_flags (5 for current toolchains). */
  eabiVersion: number;
  /** PT_GNU_STACK asks for an executable stack (true when the header is absent). */
  gnuStackExecutable: boolean;
  /** The program interpreter PT_INTERP names (a dynamically linked program), or undefined. */
  interp?: string;
  /** Page-aligned span of the PT_LOAD segments, load bias applied: [lo, hi). */
  spanLo: number;
  spanHi: number;
  /** Non-fatal oddities worth telling the user about. */
  warnings: string[];
}

const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const ELFCLASS32 = 1;
const ELFCLASS64 = 2;
const ELFDATA2LSB = 1;
const ELFDATA2MSB = 2;
const ET_REL = 1;
const ET_EXEC = 2;
const ET_DYN = 3;
const ET_CORE = 4;
const EM_ARM = 40;
const PT_LOAD = 1;
const PT_INTERP = 3;
const PT_PHDR = 6;
const PT_TLS = 7;
const PT_GNU_STACK = 0x6474e551;
const TWO_32 = 0x1_0000_0000;
const PAGE = 4096;

const MACHINE_NAMES: Record<number, string> = {
  0: 'none', 3: 'x86 (i386)', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390',
  40: 'ARM', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V', 258: 'LoongArch',
};

const TYPE_NAMES: Record<number, string> = {
  0: 'ET_NONE', [ET_REL]: 'ET_REL (relocatable object)', [ET_CORE]: 'ET_CORE (core dump)',
};

const hex = (n: number): string => '0x' + (n >>> 0).toString(16);

interface RawPhdr {
  index: number;
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align: number;
}

/**
 * Parses and validates an ARM ELF executable.
 * @param loadBias added to every vaddr and the entry of an ET_DYN image
 *   (PIE, shared object); page-aligned, negative for a prelinked image placed
 *   lower. Ignored for ET_EXEC, whose addresses are fixed.
 * @throws ElfError describing the first problem found.
 */
export function parseElf(bytes: Uint8Array, loadBias = 0): ElfImage {
  checkIdent(bytes);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (off: number): number => dv.getUint16(off, true);
  const u32 = (off: number): number => dv.getUint32(off, true);

  const eType = u16(16);
  const machine = u16(18);
  const entryRaw = u32(24);
  const phoff = u32(28);
  const flags = u32(36);
  const phentsize = u16(42);
  const phnum = u16(44);

  if (machine !== EM_ARM) {
    const name = MACHINE_NAMES[machine] ?? 'unknown';
    throw new ElfError(`ELF machine is ${name} (${machine}), not ARM (${EM_ARM})`);
  }
  if (eType !== ET_EXEC && eType !== ET_DYN) {
    const name = TYPE_NAMES[eType] ?? `type ${eType}`;
    throw new ElfError(`ELF type ${name} is not an executable`);
  }
  if (phentsize !== PHDR_SIZE) {
    throw new ElfError(`e_phentsize is ${phentsize}, expected ${PHDR_SIZE}`);
  }
  if (phnum === 0) throw new ElfError('no program headers (e_phnum is 0)');
  if (phoff + phnum * phentsize > bytes.length) {
    throw new ElfError('program header table lies outside the file');
  }

  const bias = eType === ET_DYN ? loadBias : 0;
  if (!Number.isInteger(bias) || Math.abs(bias) >= TWO_32 || bias % PAGE !== 0) {
    throw new ElfError(`load bias ${bias} must be a page-aligned 32-bit offset`);
  }

  const warnings: string[] = [];
  const eabiVersion = flags >>> 24;
  if (eabiVersion !== 5) {
    warnings.push(`EF_ARM_ABI version is ${eabiVersion}, not 5: mttcg follows the EABI5 conventions` +
      (eabiVersion === 0 ? ' (an old-ABI, OABI, program: its system calls are swi #0x9000NN)' : ''));
  }

  const phdrs: RawPhdr[] = [];
  for (let i = 0; i < phnum; i++) {
    const base = phoff + i * phentsize;
    phdrs.push({
      index: i,
      type: u32(base),
      offset: u32(base + 4),
      vaddr: u32(base + 8),
      filesz: u32(base + 16),
      memsz: u32(base + 20),
      flags: u32(base + 24),
      align: u32(base + 28),
    });
  }

  const interps = phdrs.filter((p) => p.type === PT_INTERP);
  if (interps.length > 1) throw new ElfError('more than one PT_INTERP program header');
  const interp = interps.length ? interpreterPath(interps[0]!, bytes) : undefined;

  const segments: ElfSegment[] = [];
  let tlsSegment: ElfTlsSegment | undefined;
  let ptPhdr: number | undefined;
  let gnuStackExecutable = true;
  for (const p of phdrs) {
    if (p.type === PT_LOAD) {
      checkFileRange(p, bytes.length);
      if (p.filesz > p.memsz) throw new ElfError(`segment ${p.index}: p_filesz > p_memsz`);
      const vaddr = biased(p, bias);
      segments.push({ vaddr, memsz: p.memsz, offset: p.offset, filesz: p.filesz, flags: p.flags & 7 });
    } else if (p.type === PT_TLS) {
      checkFileRange(p, bytes.length);
      if (p.filesz > p.memsz) throw new ElfError(`segment ${p.index}: p_filesz > p_memsz`);
      const vaddr = biased(p, bias);
      tlsSegment = { vaddr, memsz: p.memsz, offset: p.offset, filesz: p.filesz, align: p.align };
    } else if (p.type === PT_PHDR) {
      ptPhdr = biased(p, bias);
    } else if (p.type === PT_GNU_STACK) {
      gnuStackExecutable = (p.flags & PF_X) !== 0;
    }
  }
  if (segments.length === 0) throw new ElfError('no PT_LOAD segment');
  checkOverlap(segments, phdrs);

  const entry = entryRaw + bias;
  if (entry < 0 || entry >= TWO_32) throw new ElfError(`entry point ${hex(entryRaw)} + load bias exceeds 32 bits`);
  const inExec = segments.some(
    (s) => (s.flags & PF_X) !== 0 && entry >= s.vaddr && entry < s.vaddr + s.memsz,
  );
  if (!inExec) warnings.push(`entry point ${hex(entry)} is not inside an executable PT_LOAD segment`);

  const phdrVaddr = ptPhdr ?? findPhdrVaddr(segments, phoff, phnum * phentsize);
  const spanLo = Math.min(...segments.map((s) => s.vaddr)) & ~(PAGE - 1);
  const spanHi = Math.max(...segments.map((s) => Math.ceil((s.vaddr + s.memsz) / PAGE) * PAGE));
  const image: ElfImage = {
    entry,
    type: eType === ET_EXEC ? 'exec' : 'dyn',
    loadBias: bias,
    phoff,
    phentsize,
    phnum,
    phdrVaddr,
    segments,
    flags,
    eabiVersion,
    gnuStackExecutable,
    spanLo: spanLo >>> 0,
    spanHi,
    warnings,
  };
  if (tlsSegment) image.tlsSegment = tlsSegment;
  if (interp !== undefined) image.interp = interp;
  return image;
}

/** e_ident checks, then the header length. */
function checkIdent(bytes: Uint8Array): void {
  const magic = [0x7f, 0x45, 0x4c, 0x46];
  for (let i = 0; i < magic.length; i++) {
    if (i >= bytes.length) {
      if (i === 0) throw new ElfError('not an ELF file (empty file)');
      break;
    }
    if (bytes[i] !== magic[i]) throw new ElfError('not an ELF file (bad magic)');
  }
  if (bytes.length < EHDR_SIZE) throw new ElfError('truncated ELF header');
  const cls = bytes[4];
  if (cls === ELFCLASS64) {
    throw new ElfError('ELF is 64-bit; mttcg runs 32-bit ARM (ELFCLASS32) programs');
  }
  if (cls !== ELFCLASS32) throw new ElfError(`ELF class ${cls} is invalid`);
  const data = bytes[5];
  if (data === ELFDATA2MSB) throw new ElfError('ELF is big-endian; mttcg runs little-endian ARM');
  if (data !== ELFDATA2LSB) throw new ElfError(`ELF data encoding ${data} is invalid`);
}

/** Longest interpreter path accepted (the kernel's limit is PATH_MAX). */
const INTERP_MAX = 4096;

/** The NUL-terminated path in a PT_INTERP segment. */
function interpreterPath(p: RawPhdr, bytes: Uint8Array): string {
  if (p.filesz < 2 || p.filesz > INTERP_MAX || p.offset + p.filesz > bytes.length) {
    throw new ElfError(`PT_INTERP (program header ${p.index}): size ${p.filesz} at offset ${hex(p.offset)} is not a path inside the file`);
  }
  const raw = bytes.subarray(p.offset, p.offset + p.filesz);
  const nul = raw.indexOf(0);
  if (nul !== raw.length - 1) throw new ElfError(`PT_INTERP (program header ${p.index}) is not one NUL-terminated path`);
  return Buffer.from(raw.subarray(0, nul)).toString('latin1');
}

function checkFileRange(p: RawPhdr, fileLength: number): void {
  // A segment with nothing in the file (bss only) may have any offset, as Linux and qemu-arm accept.
  if (p.filesz > 0 && p.offset + p.filesz > fileLength) {
    throw new ElfError(`segment ${p.index}: file range lies outside the file`);
  }
}

/** vaddr + bias, checking that [vaddr, vaddr + memsz) stays inside the 32-bit space. */
function biased(p: RawPhdr, bias: number): number {
  const vaddr = p.vaddr + bias;
  if (vaddr < 0 || vaddr + p.memsz > TWO_32) {
    throw new ElfError(
      `segment ${p.index}: memory range ${hex(vaddr)} + ${hex(p.memsz)} exceeds the 32-bit address space`,
    );
  }
  return vaddr;
}

function checkOverlap(segments: ElfSegment[], phdrs: RawPhdr[]): void {
  const loads = phdrs.filter((p) => p.type === PT_LOAD);
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      const a = segments[i]!;
      const b = segments[j]!;
      if (a.memsz === 0 || b.memsz === 0) continue;
      if (a.vaddr < b.vaddr + b.memsz && b.vaddr < a.vaddr + a.memsz) {
        throw new ElfError(`segments ${loads[i]!.index} and ${loads[j]!.index} overlap in memory`);
      }
    }
  }
}

/**
 * Where the program headers sit in memory without PT_PHDR: inside the
 * PT_LOAD whose file range holds them, else (like the kernel and qemu) the
 * first PT_LOAD's vaddr - offset + e_phoff.
 */
function findPhdrVaddr(segments: ElfSegment[], phoff: number, size: number): number {
  for (const s of segments) {
    if (phoff >= s.offset && phoff + size <= s.offset + s.filesz) {
      return s.vaddr + (phoff - s.offset);
    }
  }
  const first = segments[0]!;
  return (first.vaddr - first.offset + phoff) >>> 0;
}
