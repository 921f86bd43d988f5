// What mttcg does not emulate of the VFP/Advanced SIMD space ends the
// program with SIGILL and a report naming the pc and the word
// (torture-tests/vfp/vfp-undef): NEON, VFPv4 fused multiply-add, the
// half-precision conversions and d16-d31, which qemu-arm -cpu cortex-a9
// executes (its CPU has them; mttcg advertises none of them in AT_HWCAP),
// and FPEXC, which is privileged on both. A VMSR that turns on short vectors
// is reported as unsupported (qemu-arm accepts the write). The `none` run is
// the control: the same program finishes normally.

import { join } from 'node:path';
import t from 'tap';
import { qemuAvailable, ROOT, runMttcg, runQemu } from '../harness/guest-runner.js';

const ELF = join(ROOT, 'torture-tests', 'vfp', 'vfp-undef.elf');
const haveQemu = qemuAvailable();

const CASES: { what: string; word: string; qemuStatus: number; report?: RegExp }[] = [
  { what: 'neon', word: 'f2210802', qemuStatus: 0 },
  { what: 'neon-t32', word: 'ef210802', qemuStatus: 0 },
  { what: 'vfma', word: 'eea10b02', qemuStatus: 132 },
  { what: 'cvtb', word: 'eeb20a60', qemuStatus: 0 },
  { what: 'd16', word: 'eef00b40', qemuStatus: 0 },
  { what: 'fpexc', word: 'eef80a10', qemuStatus: 132 },
  { what: 'shortvec', word: 'eee10a10', qemuStatus: 0, report: /unsupported instruction 0xeee10a10 at pc 0x[0-9a-f]{8}/ },
];

t.test('unemulated VFP/NEON instructions: SIGILL naming pc and word', async (t) => {
  for (const c of CASES) {
    const m = runMttcg(ELF, [c.what]);
    t.equal(m.status, 132, `${c.what}: mttcg exits with SIGILL's status`);
    t.equal(m.stdout, `before ${c.what}\n`, `${c.what}: the program ran up to the instruction`);
    t.match(m.stderr, c.report ?? new RegExp(`SIGILL: undefined instruction 0x${c.word} at pc 0x[0-9a-f]{8}`), `${c.what}: the report names the word and the pc`);
    if (haveQemu) t.equal(runQemu(ELF, [c.what], ['-cpu', 'cortex-a9']).status, c.qemuStatus, `${c.what}: qemu-arm -cpu cortex-a9 exits ${c.qemuStatus}`);
  }
  const ok = runMttcg(ELF, ['none']);
  t.equal(ok.status, 0, 'control: without the instruction the program finishes');
  t.equal(ok.stdout, 'before none\nafter\n');
});
