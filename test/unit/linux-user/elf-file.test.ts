// Tests for elf-file.ts: a real guest ELF from torture-tests/guest, and
// hand-built malformed headers, each rejected with a readable ElfError.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ElfError, PF_R, PF_W, PF_X, parseElf } from '../../../src/emulator/linux-user/elf-file.js';

/** Finds a repository file from dist/ or src/, walking up from this file, else from cwd. */
function repoFile(rel: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, rel);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return resolve(rel);
    dir = up;
  }
}

interface Ph {
  type: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  flags: number;
  align?: number;
}

interface ElfOpts {
  cls?: number;
  data?: number;
  type?: number;
  machine?: number;
  flags?: number;
  entry?: number;
  phoff?: number;
  phentsize?: number;
  phs?: Ph[];
  /** Extra bytes of "code" after the program headers. */
  tail?: number;
}

const PT_LOAD = 1;
const PT_INTERP = 3;
const PT_PHDR = 6;
const PT_GNU_STACK = 0x6474e551;

/** A minimal ELF: header, program headers at 52, then `tail` zero bytes. */
function makeElf(o: ElfOpts = {}): Uint8Array {
  const tail = o.tail ?? 16;
  const nph = o.phs?.length ?? 1;
  const size = 52 + 32 * nph + tail;
  const phs = o.phs ?? [
    { type: PT_LOAD, offset: 0, vaddr: 0x10000, filesz: size, memsz: size, flags: PF_R | PF_X },
  ];
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, o.cls ?? 1, o.data ?? 1, 1, 0]);
  dv.setUint16(16, o.type ?? 2, true);
  dv.setUint16(18, o.machine ?? 40, true);
  dv.setUint32(20, 1, true);
  dv.setUint32(24, o.entry ?? 0x10000 + 52 + 32 * nph, true);
  dv.setUint32(28, o.phoff ?? 52, true);
  dv.setUint32(36, o.flags ?? 0x05000200, true);
  dv.setUint16(40, 52, true);
  dv.setUint16(42, o.phentsize ?? 32, true);
  dv.setUint16(44, phs.length, true);
  phs.forEach((p, i) => {
    const at = 52 + 32 * i;
    dv.setUint32(at, p.type, true);
    dv.setUint32(at + 4, p.offset, true);
    dv.setUint32(at + 8, p.vaddr, true);
    dv.setUint32(at + 12, p.vaddr, true);
    dv.setUint32(at + 16, p.filesz, true);
    dv.setUint32(at + 20, p.memsz, true);
    dv.setUint32(at + 24, p.flags, true);
    dv.setUint32(at + 28, p.align ?? 0x1000, true);
  });
  return b;
}

const load = (over: Partial<Ph>): Ph => ({
  type: PT_LOAD,
  offset: 0,
  vaddr: 0x10000,
  filesz: 0x80,
  memsz: 0x80,
  flags: PF_R | PF_X,
  ...over,
});

/** What an ElfError with a message matching `re` looks like to t.match. */
const elfErr = (re: RegExp) => ({ name: 'ElfError', message: re });

/** The ElfError parseElf throws for these bytes (fails the caller's check if none). */
function elfError(bytes: Uint8Array, bias?: number): { name: string; message: string } {
  try {
    parseElf(bytes, bias);
  } catch (e) {
    if (e instanceof ElfError) return e;
    return { name: 'not an ElfError', message: String(e) };
  }
  return { name: 'did not throw', message: '' };
}

t.test('parses a real static armel guest', (t) => {
  const path = repoFile('torture-tests/guest/conf-arith.elf');
  const bytes = new Uint8Array(readFileSync(path));
  const img = parseElf(bytes);
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  t.equal(img.type, 'exec');
  t.equal(img.entry, dv.getUint32(24, true));
  t.ok(img.entry >= 0x10000 && img.entry < 0x100000, 'entry is in the usual text range');
  t.equal(img.phentsize, 32);
  t.equal(img.phoff, 52);
  t.equal(img.eabiVersion, 5);
  t.same(img.warnings, []);
  const text = img.segments.find((s) => s.flags & PF_X);
  t.ok(text, 'has an executable PT_LOAD');
  t.equal(text?.vaddr, 0x10000);
  t.equal(text?.offset, 0);
  t.ok(img.entry >= text!.vaddr && img.entry < text!.vaddr + text!.memsz, 'entry is in text');
  const data = img.segments.find((s) => s.flags & PF_W);
  t.ok(data, 'has a writable PT_LOAD');
  t.ok(data!.vaddr >= text!.vaddr + text!.memsz, 'data lies above text');
  t.ok(data!.filesz <= data!.memsz, 'bss follows data');
  t.equal(img.phdrVaddr, 0x10000 + 52, 'program headers are mapped with the text');
  t.ok(img.tlsSegment, 'static glibc has PT_TLS');
  t.equal(img.gnuStackExecutable, false);
  t.end();
});

t.test('a minimal valid ELF', (t) => {
  const img = parseElf(makeElf());
  t.equal(img.entry, 0x10054);
  t.equal(img.segments.length, 1);
  t.equal(img.phdrVaddr, 0x10034);
  t.equal(img.gnuStackExecutable, true, 'no PT_GNU_STACK: legacy executable stack');
  t.equal(img.tlsSegment, undefined);
  t.end();
});

t.test('header-level rejections', (t) => {
  t.match(elfError(makeElf().subarray(0, 40)), elfErr(/truncated ELF header/));
  t.match(elfError(new Uint8Array([0x7f, 0x45])), elfErr(/truncated ELF header/));
  const bad = makeElf();
  bad[1] = 0x50;
  t.match(elfError(bad), elfErr(/not an ELF file \(bad magic\)/));
  t.match(elfError(new TextEncoder().encode('#!/bin/sh\necho hi\n')), elfErr(/bad magic/));
  t.match(elfError(new Uint8Array(0)), elfErr(/not an ELF file/));
  t.match(elfError(makeElf({ cls: 2 })), elfErr(/ELF is 64-bit; mttcg runs 32-bit ARM \(ELFCLASS32\)/));
  t.match(elfError(makeElf({ cls: 7 })), elfErr(/ELF class 7 is invalid/));
  t.match(elfError(makeElf({ data: 2 })), elfErr(/ELF is big-endian/));
  t.match(elfError(makeElf({ machine: 62 })), elfErr(/ELF machine is x86-64 \(62\), not ARM \(40\)/));
  t.match(elfError(makeElf({ machine: 183 })), elfErr(/AArch64 \(183\)/));
  t.match(elfError(makeElf({ type: 1 })), elfErr(/ET_REL.*not an executable/));
  t.match(elfError(makeElf({ type: 4 })), elfErr(/ET_CORE/));
  t.match(elfError(makeElf({ phentsize: 56 })), elfErr(/e_phentsize is 56/));
  t.end();
});

t.test('a hard-float (armhf) ELF loads like a soft-float one (the VFP is emulated)', (t) => {
  const img = parseElf(makeElf({ flags: 0x05000400 }));
  t.equal(img.eabiVersion, 5);
  t.same(img.warnings, []);
  t.end();
});

t.test('EABI version other than 5 is a warning only', (t) => {
  const img = parseElf(makeElf({ flags: 0x04000000 }));
  t.equal(img.eabiVersion, 4);
  t.match(img.warnings.join('\n'), /EF_ARM_ABI version is 4/);
  t.end();
});

t.test('program header rejections', (t) => {
  const rw = PF_R | PF_W;
  const stackOnly: Ph = { type: PT_GNU_STACK, offset: 0, vaddr: 0, filesz: 0, memsz: 0, flags: rw };
  const cases: Array<[string, ElfOpts, RegExp]> = [
    ['phoff past the end', { phoff: 1000 }, /program header table lies outside the file/],
    ['phoff near 2^32', { phoff: 0xfffffff0 }, /program header table lies outside the file/],
    ['filesz past the end', { phs: [load({ filesz: 10000, memsz: 10000 })] }, /segment 0: file range lies outside the file/],
    ['offset near 2^32', { phs: [load({ offset: 0xffffff00 })] }, /segment 0: file range lies outside the file/],
    ['filesz > memsz', { phs: [load({ filesz: 0x40, memsz: 0x20 })] }, /segment 0: p_filesz > p_memsz/],
    ['no PT_LOAD', { phs: [stackOnly] }, /no PT_LOAD segment/],
    [
      'wraps past 4 GiB',
      { phs: [load({}), load({ vaddr: 0xfffff000, filesz: 0, memsz: 0x2000, flags: rw })] },
      /segment 1: memory range .* exceeds the 32-bit address space/,
    ],
    ['overlap', { phs: [load({}), load({ vaddr: 0x10040, flags: rw })] }, /segments 0 and 1 overlap/],
  ];
  for (const [name, opts, re] of cases) t.match(elfError(makeElf(opts)), elfErr(re), name);
  t.end();
});

t.test('a segment ending exactly at 4 GiB is accepted', (t) => {
  const img = parseElf(
    makeElf({ phs: [load({}), load({ vaddr: 0xfffff000, filesz: 0, memsz: 0x1000, flags: PF_R | PF_W })] }),
  );
  t.equal(img.segments[1]?.vaddr, 0xfffff000);
  t.end();
});

t.test('PT_INTERP names the interpreter of a dynamically linked program', (t) => {
  // 84 = 52 + 32: the path sits right after the program headers, in the tail.
  const withPath = (path: string, filesz = path.length + 1): Uint8Array => {
    const b = makeElf({
      type: 3, tail: 64,
      phs: [{ type: PT_INTERP, offset: 52 + 64, vaddr: 52 + 64, filesz, memsz: filesz, flags: PF_R }, load({ vaddr: 0, filesz: 52 + 64 + 64, memsz: 52 + 64 + 64 })],
    });
    b.set(new TextEncoder().encode(path), 52 + 64);
    return b;
  };
  const img = parseElf(withPath('/lib/ld-linux.so.3'));
  t.equal(img.interp, '/lib/ld-linux.so.3', 'the path, without its NUL');
  t.equal(parseElf(makeElf()).interp, undefined, 'a static program has none');
  t.match(elfError(withPath('/lib/ld.so', 5)), elfErr(/PT_INTERP \(program header 0\) is not one NUL-terminated path/), 'no NUL at the end');
  t.match(elfError(withPath('/lib/ld.so', 1)), elfErr(/PT_INTERP \(program header 0\): size 1/), 'too short for a path');
  t.match(elfError(withPath('/x', 4000)), elfErr(/is not a path inside the file/), 'past the end of the file');
  t.end();
});

t.test('the span of the PT_LOAD segments is page-aligned and biased', (t) => {
  const bytes = makeElf({
    type: 3,
    phs: [load({ vaddr: 0 }), load({ offset: 0x80, vaddr: 0x10080, filesz: 0, memsz: 0x1000, flags: PF_R | PF_W })],
  });
  const at0 = parseElf(bytes);
  t.same([at0.spanLo, at0.spanHi], [0, 0x12000]);
  const biased = parseElf(bytes, 0x40000000);
  t.same([biased.spanLo, biased.spanHi], [0x40000000, 0x40012000]);
  t.end();
});

t.test('static-pie ET_DYN gets the load bias', (t) => {
  const bytes = makeElf({
    type: 3,
    entry: 0x60,
    phs: [
      { type: PT_PHDR, offset: 52, vaddr: 52, filesz: 64, memsz: 64, flags: PF_R },
      load({ vaddr: 0 }),
      load({ offset: 0x80, vaddr: 0x1080, filesz: 0, memsz: 0x100, flags: PF_R | PF_W }),
    ],
  });
  const img = parseElf(bytes, 0x400000);
  t.equal(img.type, 'dyn');
  t.equal(img.loadBias, 0x400000);
  t.equal(img.entry, 0x400060);
  t.same(
    img.segments.map((s) => s.vaddr),
    [0x400000, 0x401080],
  );
  t.equal(img.phdrVaddr, 0x400034, 'PT_PHDR is used, biased');
  t.equal(parseElf(bytes).entry, 0x60, 'default bias is 0');
  t.match(elfError(bytes, 0x1234), elfErr(/load bias .* page-aligned/));
  t.match(elfError(bytes, 0xfffff000), elfErr(/exceeds the 32-bit address space/));
  t.equal(parseElf(makeElf(), 0x400000).entry, 0x10054, 'ET_EXEC ignores the bias');
  t.end();
});

t.test('entry outside executable code is a warning', (t) => {
  const img = parseElf(makeElf({ entry: 0x20001 }));
  t.match(img.warnings.join('\n'), /not inside an executable PT_LOAD/);
  t.end();
});

t.test('any EABI5 ELF loads: hard-float or soft-float header, ARM or Thumb entry', (t) => {
  const hard = parseElf(makeElf({ flags: 0x05000400 }));
  t.equal(hard.flags, 0x05000400, 'a hard-float (armhf) header is accepted');
  t.same(hard.warnings, [], 'without a warning');
  const thumb = parseElf(makeElf({ entry: 0x10055 }));
  t.equal(thumb.entry, 0x10055, 'a Thumb entry keeps bit 0 (the loader starts in Thumb state)');
  t.same(thumb.warnings, [], 'without a warning');
  t.end();
});
