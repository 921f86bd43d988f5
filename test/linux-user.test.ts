// The linux-user guest programs (harness/linux-user-programs.ts) under the
// default strategy: stdout and exit status as qemu-arm's (the committed
// reference), apart from the listed lines where qemu-arm departs from the
// kernel. Where qemu-arm is installed, each reference is checked against a
// fresh run. Every other strategy that claims correctness runs the programs
// in test/acceptance.

import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { readRef } from '../harness/conformance.js';
import { CLI, guestElf, qemuAvailable, QEMU_MISSING, runMttcg } from '../harness/guest-runner.js';
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

t.test('file attributes change only inside --allow-dir', async (t) => {
  // The guest's stdout is a host file outside --allow-dir: fchmod and futimens on fd 1 must not touch it.
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-fileattrs-'));
  const scratch = mkdtempSync(join(tmpdir(), 'mttcg-fileattrs-allowed-'));
  try {
    const out = join(dir, 'stdout.txt');
    const fd = openSync(out, 'w', 0o644);
    chmodSync(out, 0o644);
    const before = statSync(out);
    const r = spawnSync(process.execPath, [CLI, 'run', '--allow-dir', scratch, guestElf('conf-fileattrs'), 'fd', '1'],
      { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 120000, cwd: scratch });
    closeSync(fd);
    t.equal(r.status, 0);
    t.equal(readFileSync(out, 'utf8'), 'fchmod 1: EPERM, futimens: EPERM\n', 'both refused');
    const after = statSync(out);
    t.equal(after.mode & 0o7777, 0o644, 'the mode is unchanged');
    t.not(after.mtimeMs, 1e12, 'the mtime was not set to the guest\'s time');
    t.ok(after.mtimeMs >= before.mtimeMs, 'the mtime only moved forward (the write)');
    // The program's own directory is readable, not writable: EROFS.
    const ro = runMttcg(guestElf('conf-fileattrs'), ['path', guestElf('conf-fileattrs')], ['--allow-dir', scratch], 120000, scratch);
    t.equal(ro.stdout, `chmod ${guestElf('conf-fileattrs')}: EROFS\n`, "the program's directory is read-only");
    // A host file outside every allowed directory looks missing.
    const hidden = runMttcg(guestElf('conf-fileattrs'), ['path', out], ['--allow-dir', scratch], 120000, scratch);
    t.equal(hidden.stdout, `chmod ${out}: ENOENT\n`, 'a file outside --allow-dir looks missing');
    t.equal(statSync(out).mode & 0o7777, 0o644, 'and keeps its mode');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
});

t.test('links cannot reach outside --allow-dir', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-links-outside-'));
  const scratch = mkdtempSync(join(tmpdir(), 'mttcg-links-allowed-'));
  try {
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'not for the guest\n');
    // A hard link to a file in the read-only program directory would make it writable: EROFS.
    const ro = runMttcg(guestElf('conf-links'), ['link', guestElf('conf-links')], ['--allow-dir', scratch], 120000, scratch);
    t.equal(ro.stdout, `link ${guestElf('conf-links')}: EROFS\n`, "the program's directory cannot be linked from");
    const outside = runMttcg(guestElf('conf-links'), ['link', secret], ['--allow-dir', scratch], 120000, scratch);
    t.equal(outside.stdout, `link ${secret}: ENOENT\n`, 'a file outside --allow-dir looks missing to link');
    t.equal(statSync(secret).nlink, 1, 'and got no second name');
    // A symlink may point anywhere, but following it is checked like any path.
    const esc = runMttcg(guestElf('conf-links'), ['escape', secret], ['--allow-dir', scratch], 120000, scratch);
    t.equal(esc.stdout, 'symlink: 0\nopen through it: ENOENT\n', 'a symlink out of --allow-dir leads nowhere');
    t.equal(readlinkSync(join(scratch, 'esc')), secret, 'the link itself was made as the guest asked');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
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
