// The linux-user guest programs (harness/linux-user-programs.ts) under the
// default strategy: stdout and exit status as qemu-arm's (the committed
// reference), apart from the listed lines where qemu-arm departs from the
// kernel. Where qemu-arm is installed, each reference is checked against a
// fresh run. Every other strategy that claims correctness runs the programs
// in test/acceptance.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { readRef } from '../harness/conformance.js';
import { guestElf, qemuAvailable, QEMU_MISSING, runMttcg } from '../harness/guest-runner.js';
import { compareOutputs, inScratch, LINUX_USER_PROGRAMS, runAgainstRef, runQemuLike } from '../harness/linux-user-programs.js';

t.test('linux-user programs match the qemu-arm reference', async (t) => {
  for (const p of LINUX_USER_PROGRAMS) {
    const c = runAgainstRef(p);
    t.equal(c.mttcg.status, p.status, `${p.name}: exit status ${c.mttcg.status} is qemu-arm's ${p.status}`);
    t.same(c.unexplained, [], `${p.name}: stdout matches ${p.name}.ref`);
    t.same(c.stale, [], `${p.name}: the known differences with qemu-arm are still there`);
    if (c.mttcg.stderr.trim()) t.comment(`${p.name} stderr: ${c.mttcg.stderr.trim()}`);
  }
});

t.test('the references are what qemu-arm prints today', { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
  for (const p of LINUX_USER_PROGRAMS) {
    const q = runQemuLike(p);
    t.equal(q.status, p.status, `${p.name}: qemu-arm exit status is the expected ${p.status}`);
    t.equal(q.stdout, readRef(p.name), `${p.name}: qemu-arm's stdout is ${p.name}.ref (else: npm run golden:refs)`);
  }
});

t.test('chdir stays inside the sandbox', async (t) => {
  const p = LINUX_USER_PROGRAMS.find((x) => x.name === 'conf-cwd')!;
  const r = inScratch(p, (cwd, scratch) => runMttcg(guestElf('conf-cwd'), ['outside'], scratch, 120000, cwd));
  t.equal(r.stdout, 'chdir /: ENOENT, cwd (start)\n', 'a directory outside --allow-dir looks missing, and the cwd stays');
  t.equal(r.status, 0);
});

t.test('semihosting files stay inside the sandbox', async (t) => {
  // Without --allow-dir the scratch directory is not the guest's: SYS_OPEN cannot create a file there.
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-semihost-'));
  try {
    const r = runMttcg(guestElf('conf-semihost'), ['alpha', 'beta'], [], 120000, dir);
    t.match(r.stdout, /open for writing failed/, 'SYS_OPEN of a file outside --allow-dir fails');
    t.same(readdirSync(dir), [], 'nothing was created on the host');
    t.equal(r.status, 7, 'the program still ends through SYS_EXIT_EXTENDED');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

t.test('the comparison catches a difference that is not listed', async (t) => {
  const p = LINUX_USER_PROGRAMS.find((x) => x.name === 'sig-context')!;
  const d = p.differences![0]!;
  t.same(compareOutputs(p, `a\n${d.qemu}\n`, `a\n${d.mttcg}\n`), { unexplained: [], stale: [] }, 'the listed difference is allowed');
  t.equal(compareOutputs(p, 'a\nb\n', 'a\nc\n').unexplained.length, 1, 'another one is not');
  t.equal(compareOutputs(p, 'a\n', 'a\n').stale.length, 1, 'a listed difference that vanished is reported');
});
