// The loader on unusual ELFs (issue 13 items 5, 6, 7, 12), each made at test
// time by patching the program headers of a committed guest ELF:
// - a PT_LOAD on a page the loader maps itself (the kuser helper page, the
//   sigreturn page, the main stack) is refused at load time with exit 1, as
//   qemu-arm refuses it ("Error mapping file"), instead of being overwritten;
// - a data segment larger than --memory ends the run with 137 and a message
//   naming --memory, not an internal error (70);
// - a bss-only segment (p_filesz 0) whose p_offset lies past the end of the
//   file loads, as under Linux and qemu-arm;
// - EABI4 and old-ABI (EABI version 0) ELFs run with a warning on stderr.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { guestElf, qemuAvailable, runMttcg, runQemu } from '../harness/guest-runner.js';

const tmp = mkdtempSync(join(tmpdir(), 'mttcg-loader-'));
const noStack = /\n\s+at .*\(.*:\d+:\d+\)/;
const PT_LOAD = 1;
const PT_GNU_STACK = 0x6474e551;

/** conf-args.elf with its program headers edited by `edit` (the DataView of the whole file, the phdr offsets). */
function patched(name: string, edit: (dv: DataView, phdrs: number[], bytes: Uint8Array) => Uint8Array | void): string {
  const bytes = new Uint8Array(readFileSync(guestElf('conf-args')));
  const dv = new DataView(bytes.buffer);
  const phoff = dv.getUint32(28, true);
  const phnum = dv.getUint16(44, true);
  const phdrs = Array.from({ length: phnum }, (_, i) => phoff + 32 * i);
  const out = edit(dv, phdrs, bytes) ?? bytes;
  const file = join(tmp, `${name}.elf`);
  writeFileSync(file, out, { mode: 0o755 });
  return file;
}

const loads = (dv: DataView, phdrs: number[]): number[] => phdrs.filter((o) => dv.getUint32(o, true) === PT_LOAD);

/** The data segment moved to vaddr (and paddr). */
function dataAt(vaddr: number): string {
  return patched(`data-at-${vaddr.toString(16)}`, (dv, phdrs) => {
    const data = loads(dv, phdrs)[1]!;
    dv.setUint32(data + 8, vaddr, true);
    dv.setUint32(data + 12, vaddr, true);
  });
}

t.test('a segment on a page the loader maps itself is refused at load time', async (t) => {
  const cases: [number, RegExp][] = [
    [0xffff0000, /kuser helper page/],
    [0x3ffff000, /sigreturn page/],
    [0x40100000, /main stack/],
  ];
  for (const [vaddr, what] of cases) {
    const elf = dataAt(vaddr);
    const r = runMttcg(elf);
    t.equal(r.status, 1, `data at 0x${vaddr.toString(16)}: exit status 1`);
    t.match(r.stderr, what, 'names the reserved range');
    t.match(r.stderr, /PT_LOAD segment 1 \[0x[0-9a-f]{8}, 0x[0-9a-f]{8}\)/, 'and the segment');
    t.equal(r.stdout, '', 'nothing ran');
    t.notMatch(r.stderr, noStack);
    if (qemuAvailable()) t.match(runQemu(elf).stderr, /Error mapping file/, 'qemu-arm refuses it too');
  }
});

t.test('a data segment bigger than --memory: exit 137 naming --memory', async (t) => {
  const elf = patched('data-20mib', (dv, phdrs, bytes) => {
    const data = loads(dv, phdrs)[1]!;
    const vaddr = dv.getUint32(data + 8, true);
    const size = 20 << 20;
    // The 20 MiB of initialised data go at the end of the file, at an offset congruent with vaddr.
    const offset = Math.ceil(bytes.length / 4096) * 4096 + (vaddr & 0xfff);
    const out = new Uint8Array(offset + size).fill(1);
    out.set(bytes);
    out.fill(0, bytes.length, offset);
    const odv = new DataView(out.buffer);
    odv.setUint32(data + 4, offset, true);
    odv.setUint32(data + 16, size, true);
    odv.setUint32(data + 20, size + 0x10000, true);
    return out;
  });
  const r = runMttcg(elf, [], ['--memory', '16']);
  t.equal(r.status, 137, 'the documented out-of-memory status');
  t.match(r.stderr, /guest memory exhausted \(16 MiB\); run with a larger --memory/);
  t.notMatch(r.stderr, /internal error/);
  t.notMatch(r.stderr, noStack);
});

t.test('a bss-only segment whose file offset lies past the end of the file loads', async (t) => {
  const elf = patched('bss-past-eof', (dv, phdrs) => {
    const stack = phdrs.find((o) => dv.getUint32(o, true) === PT_GNU_STACK)!;
    // PT_LOAD, offset far past EOF, vaddr 0x400000, filesz 0, memsz 8 KiB, RW, align 4 KiB
    [PT_LOAD, 0x7fff0000, 0x400000, 0x400000, 0, 0x2000, 6, 0x1000].forEach((v, i) => dv.setUint32(stack + 4 * i, v, true));
  });
  const r = runMttcg(elf, ['x']);
  t.equal(r.status, 0, `runs (${r.stderr.trim()})`);
  t.match(r.stdout, /^argc 2$/m);
  if (qemuAvailable()) t.equal(runQemu(elf, ['x']).status, 0, 'as under qemu-arm');
});

t.test('EABI4 and old-ABI ELFs run with a warning', async (t) => {
  for (const [version, extra] of [[4, /EABI5 conventions$/m], [0, /OABI.*swi #0x9000NN/]] as const) {
    const elf = patched(`eabi${version}`, (dv) => dv.setUint32(36, (version << 24) >>> 0, true));
    const r = runMttcg(elf, ['x']);
    t.equal(r.status, 0, `EABI version ${version}: runs`);
    t.match(r.stderr, new RegExp(`EF_ARM_ABI version is ${version}, not 5`), 'says so on stderr');
    t.match(r.stderr, extra);
  }
  const clean = runMttcg(guestElf('conf-args'), ['x']);
  t.notMatch(clean.stderr, /EF_ARM_ABI/, 'an EABI5 program gets no warning');
});
