// No refusal by header flag (issue 19 item 4): torture-tests/vfp/hf-general-regs
// is a freestanding armhf program built so that it holds no VFP instruction
// (`#pragma GCC target("general-regs-only")`), while its ELF header says
// hard-float like every armhf program. mttcg loads ELFs by what they execute:
// the program runs and prints what qemu-arm prints. The Thumb-entry and
// VFP-using hard-float programs are covered by differential-thumb and conf-vfp.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { qemuAvailable, ROOT, runMttcg, runQemu } from '../harness/guest-runner.js';

const ELF = join(ROOT, 'torture-tests', 'vfp', 'hf-general-regs.elf');
const EF_ARM_EABI_MASK = 0xff000000;
const EF_ARM_EABI_VER5 = 0x05000000;
const EF_ARM_ABI_FLOAT_HARD = 0x400;
const EXPECTED = 'hard-float ELF without VFP: argc 3 fnv1a ce3479bd\ncollatz steps 1..1000 59542\n';

/** The words of the ELF's .text section (ARM state: 4-byte instructions). */
function textWords(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = dv.getUint32(32, true);
  const shentsize = dv.getUint16(46, true);
  const shnum = dv.getUint16(48, true);
  const shstrndx = dv.getUint16(50, true);
  const strOff = dv.getUint32(shoff + shstrndx * shentsize + 16, true);
  const nameAt = (off: number): string => {
    let end = strOff + off;
    while (bytes[end] !== 0) end++;
    return Buffer.from(bytes.subarray(strOff + off, end)).toString('latin1');
  };
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    if (nameAt(dv.getUint32(sh, true)) !== '.text') continue;
    const off = dv.getUint32(sh + 16, true);
    const size = dv.getUint32(sh + 20, true);
    return Array.from({ length: size >>> 2 }, (_, k) => dv.getUint32(off + 4 * k, true));
  }
  throw new Error('no .text section');
}

/** Coprocessor 10/11 space (VFP) or Advanced SIMD (NEON) in the A32 encoding. */
function isFpWord(w: number): boolean {
  const cond = w >>> 28;
  if (cond === 0xf) return w >>> 25 === 0x79 || (w >>> 24 === 0xf4 && (w & (1 << 20)) === 0);
  const op = (w >>> 25) & 7;
  return (op === 6 || (op === 7 && (w & (1 << 24)) === 0)) && ((w >>> 9) & 7) === 5;
}

t.test('a hard-float ELF without VFP instructions runs', async (t) => {
  const bytes = new Uint8Array(readFileSync(ELF));
  const flags = new DataView(bytes.buffer, bytes.byteOffset).getUint32(36, true);
  t.equal(flags & EF_ARM_EABI_MASK, EF_ARM_EABI_VER5, 'the header says EABI version 5');
  t.equal(flags & EF_ARM_ABI_FLOAT_HARD, EF_ARM_ABI_FLOAT_HARD, 'the header says hard-float');
  const words = textWords(bytes);
  t.ok(words.length > 50, `.text holds code (${words.length} words)`);
  t.same(words.filter(isFpWord).map((w) => w.toString(16)), [], 'no VFP or NEON instruction in .text');
  t.ok(isFpWord(0xee300b01) && isFpWord(0xed9f0b02) && isFpWord(0xf2210802), 'the scan recognises vadd.f64, vldr, NEON vadd');

  const m = runMttcg(ELF, ['ab', 'cd']);
  t.equal(m.status, 0, `mttcg runs it: ${m.stderr}`);
  t.equal(m.stdout, EXPECTED);
  if (qemuAvailable()) {
    const q = runQemu(ELF, ['ab', 'cd']);
    t.equal(q.status, 0, 'qemu-arm runs it');
    t.equal(q.stdout, m.stdout, 'same output as qemu-arm');
  }
});
