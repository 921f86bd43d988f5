// conf-vfp (torture-tests/vfp): every VFP data-processing instruction on a
// pool of special operands under all 32 FPSCR statuses, as one hash per
// (instruction, status) group. mttcg's output must equal the committed
// qemu-arm -cpu cortex-a9 reference (conf-vfp.ref, `npm run golden:refs`);
// where qemu-arm is installed the reference is also checked against a fresh
// run, and a differing group is re-run verbosely on both sides so that the
// failure names the operands and the two results. The programs in
// torture-tests/vfp-libc do floating point through armhf glibc and libm, and
// check the VFP record of a signal frame (d0-d15, FPSCR, a signalling NaN
// put back by sigreturn).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import t from 'tap';
import { VFP_CONFORMANCE, VFP_LIBC_PROGRAMS } from '../harness/conformance.js';
import { qemuAvailable, QEMU_MISSING, runMttcg, runQemu } from '../harness/guest-runner.js';

const haveQemu = qemuAvailable();

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

t.test('conf-vfp: every instruction and status matches the qemu-arm reference', async (t) => {
  const ref = groups(readFileSync(VFP_CONFORMANCE.ref, 'utf8'));
  const m = runMttcg(VFP_CONFORMANCE.elf);
  t.equal(m.status, 0, `mttcg runs conf-vfp${m.stderr ? `: ${m.stderr}` : ''}`);
  const mg = groups(m.stdout);
  t.ok(ref.size > 1500, `the reference has ${ref.size} groups`);
  const bad = [...ref].filter(([k, v]) => mg.get(k) !== v).map(([k]) => k);
  t.equal(mg.size, ref.size, 'mttcg printed the same groups');
  t.same(bad, [], `${ref.size - bad.length} of ${ref.size} (instruction, status) groups match`);
  for (const key of bad.slice(0, 3)) {
    const [op, status] = key.split(' ') as [string, string];
    const mv = runMttcg(VFP_CONFORMANCE.elf, ['verbose', op, status]).stdout;
    if (haveQemu) {
      const qv = runQemu(VFP_CONFORMANCE.elf, ['verbose', op, status], VFP_CONFORMANCE.qemuOptions).stdout;
      t.comment(`${key}:\n${firstDifferences(qv, mv, 5).join('\n')}`);
    } else {
      t.comment(`${key} (mttcg, no qemu-arm to compare case by case):\n${mv.split('\n').slice(0, 5).join('\n')}`);
    }
  }
});

t.test('conf-vfp.ref is what qemu-arm prints today', { skip: haveQemu ? false : QEMU_MISSING }, async (t) => {
  const q = runQemu(VFP_CONFORMANCE.elf, [], VFP_CONFORMANCE.qemuOptions);
  t.equal(q.status, 0, 'qemu-arm runs conf-vfp');
  t.equal(q.stdout, readFileSync(VFP_CONFORMANCE.ref, 'utf8'), 'qemu-arm stdout is conf-vfp.ref (else: npm run golden:refs)');
});

t.test('armhf glibc programs (Thumb-2): libm, fenv, signal frames print what qemu-arm printed', async (t) => {
  for (const prog of VFP_LIBC_PROGRAMS) {
    const name = basename(prog.elf, '.elf');
    const ref = readFileSync(prog.ref, 'utf8');
    const m = runMttcg(prog.elf);
    t.equal(m.status, 0, `${name}: mttcg exits 0${m.stderr ? `: ${m.stderr}` : ''}`);
    t.equal(m.stdout, ref, `${name}: stdout is ${name}.ref`);
    if (haveQemu) t.equal(runQemu(prog.elf, [], prog.qemuOptions).stdout, ref, `${name}: qemu-arm stdout is ${name}.ref (else: npm run golden:refs)`);
  }
});
