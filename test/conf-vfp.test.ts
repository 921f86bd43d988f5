// conf-vfp (torture-tests/vfp) under mttcg and qemu-arm -cpu cortex-a9: every
// VFP data-processing instruction on a pool of special operands under all 32
// FPSCR statuses, compared as one hash per (instruction, status) group. A
// differing group is re-run verbosely on both sides so that the failure
// names the operands and the two results.

import { join } from 'node:path';
import t from 'tap';
import { qemuAvailable, QEMU_MISSING, ROOT, runMttcg, runQemu } from '../harness/guest-runner.js';

/** The CPU whose VFP mttcg matches (VFPv3, no short vectors); see docs/vfp.md. */
export const QEMU_VFP_CPU = ['-cpu', 'cortex-a9'];
const ELF = join(ROOT, 'torture-tests', 'vfp', 'conf-vfp.elf');

function groups(stdout: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'G') m.set(`${f[1]} ${f[2]}`, `${f[3]} ${f[4]}`);
  }
  return m;
}

function firstDifferences(a: string, b: string, max: number): string[] {
  const la = a.split('\n');
  const lb = b.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(la.length, lb.length) && out.length < max; i++) {
    if (la[i] !== lb[i]) out.push(`qemu:  ${la[i] ?? '(none)'}\nmttcg: ${lb[i] ?? '(none)'}`);
  }
  return out;
}

t.test('conf-vfp: every instruction and status matches qemu-arm', { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
  const q = runQemu(ELF, [], QEMU_VFP_CPU);
  const m = runMttcg(ELF);
  t.equal(q.status, 0, 'qemu-arm runs conf-vfp');
  t.equal(m.status, 0, `mttcg runs conf-vfp${m.stderr ? `: ${m.stderr}` : ''}`);
  const qg = groups(q.stdout);
  const mg = groups(m.stdout);
  t.ok(qg.size > 1500, `qemu-arm printed ${qg.size} groups`);
  const bad = [...qg].filter(([k, v]) => mg.get(k) !== v).map(([k]) => k);
  t.equal(mg.size, qg.size, 'mttcg printed the same groups');
  t.same(bad, [], `${qg.size - bad.length} of ${qg.size} (instruction, status) groups match`);
  for (const key of bad.slice(0, 3)) {
    const [op, status] = key.split(' ') as [string, string];
    const qv = runQemu(ELF, ['verbose', op, status], QEMU_VFP_CPU).stdout;
    const mv = runMttcg(ELF, ['verbose', op, status]).stdout;
    t.comment(`${key}:\n${firstDifferences(qv, mv, 5).join('\n')}`);
  }
});
