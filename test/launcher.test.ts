// The `mttcg` command as a user runs it (package.json "bin": bin/mttcg, a
// shell launcher that execs Node on dist/src/cli/main.js, for `run` on its
// bundle dist/bundle/run-main.js; cold start, docs/translator.md
// "Start-up"). It must be invisible: the same output,
// exit statuses and usage errors as `node dist/src/cli/main.js`, through the
// symlink npm makes too, every byte of a large output on stdout and on
// stderr, a guest killed by a signal reported as such. Node starts without
// NODE_EXTRA_CA_CERTS (it parses that file at every start) while the guest
// still sees the variable, and sees no trace of how it was passed.

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { busyboxPath, CLI, guestElf, ROOT } from '../harness/guest-runner.js';

const BIN = join(ROOT, 'bin', 'mttcg');
const RUN_MAIN = join(ROOT, 'dist', 'bundle', 'run-main.js');
const BUSYBOX = busyboxPath();
const NO_BUSYBOX = 'busybox-static:armel not fetched (sh scripts/fetch-busybox.sh)';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Run {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

t.test('the launcher prints and exits as main.js does, also through a symlink', async (t) => {
  const args = ['run', '--clean-env', '--env', 'CONF_ARGS_VAR=launched', guestElf('conf-args'), 'one', 'two words'];
  const direct = run(process.execPath, [CLI, ...args]);
  const launched = run(BIN, args);
  t.equal(direct.status, 0, `main.js exits 0 (${direct.stderr.slice(0, 200)})`);
  t.equal(launched.status, 0, `bin/mttcg exits 0 (${launched.stderr.slice(0, 200)})`);
  t.equal(launched.stdout, direct.stdout, 'the same output');
  t.match(launched.stdout, /CONF_ARGS_VAR=launched/, 'the guest ran');
  const link = join(mkdtempSync(join(tmpdir(), 'mttcg-launcher-')), 'mttcg');
  symlinkSync(BIN, link); // as npm links node_modules/.bin/mttcg
  const linked = run(link, args);
  t.equal(linked.status, 0, 'through a symlink: exit 0');
  t.equal(linked.stdout, direct.stdout, 'through a symlink: the same output');
});

t.test('`mttcg run` starts from its bundle (without main.js), and MTTCG_NO_BUNDLE=1 runs main.js', { skip: existsSync(RUN_MAIN) ? false : 'the build bundled nothing (esbuild is not installed)' }, async (t) => {
  const args = ['run', '--clean-env', '--env', 'CONF_ARGS_VAR=x', guestElf('conf-args')];
  const traced: NodeJS.ProcessEnv = { ...process.env, MTTCG_COLD_TRACE: '1' };
  delete traced.MTTCG_NO_BUNDLE;
  const bundled = run(BIN, args, traced);
  t.equal(bundled.status, 0, 'exit 0');
  t.match(bundled.stderr, /main run-main bundle evaluated/, 'the run-main bundle ran');
  t.notMatch(bundled.stderr, /main module evaluated/, 'main.js did not');
  const plain = run(BIN, args, { ...traced, MTTCG_NO_BUNDLE: '1' });
  t.match(plain.stderr, /main main module evaluated/, 'MTTCG_NO_BUNDLE=1: main.js ran');
  t.equal(plain.stdout, bundled.stdout, 'the same output');
  const help = run(BIN, ['run', '--help']);
  t.equal(help.status, 0, 'run --help exits 0');
  t.match(help.stdout, /^usage: mttcg run \[options\] PROGRAM/, 'and prints the run command\'s usage');
});

t.test('usage errors and a guest killed by a signal keep their statuses', async (t) => {
  const usage = run(BIN, ['run', '--no-such-option', guestElf('conf-args')]);
  t.equal(usage.status, 2, 'a usage error exits 2');
  t.match(usage.stderr, /^mttcg: unknown option --no-such-option\nusage: mttcg COMMAND/, 'with the message and the usage text');
  t.equal(run(BIN, ['help']).status, 0, 'help exits 0');
  const segv = run(BIN, ['run', guestElf('conf-segv')]);
  const direct = run(process.execPath, [CLI, 'run', guestElf('conf-segv')]);
  t.equal(segv.status, direct.status, `a guest ending on SIGSEGV: the same status as main.js's (${direct.status})`);
  t.equal(segv.status, 128 + 11, '128 + SIGSEGV');
  t.equal(segv.stdout, direct.stdout, 'the output before the fault');
});

t.test('Node starts without NODE_EXTRA_CA_CERTS; the guest still sees it', { skip: BUSYBOX ? false : NO_BUSYBOX }, async (t) => {
  // Node warns at start when the file cannot be read: the launcher's Node never reads it.
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: '/nonexistent/extra-ca.pem' };
  const script = 'echo "[$NODE_EXTRA_CA_CERTS] [${MTTCG_NODE_EXTRA_CA_CERTS-unset}]"';
  const direct = run(process.execPath, [CLI, 'run', BUSYBOX!, 'sh', '-c', script], env);
  t.match(direct.stderr, /Ignoring extra certs from/, 'node main.js: Node read the file (the check can fail)');
  const launched = run(BIN, ['run', BUSYBOX!, 'sh', '-c', script], env);
  t.equal(launched.status, 0, `exit 0 (${launched.stderr.slice(0, 200)})`);
  t.notMatch(launched.stderr, /Ignoring extra certs/, 'bin/mttcg: Node did not read it');
  t.equal(launched.stdout, '[/nonexistent/extra-ca.pem] [unset]\n', 'the guest sees the variable, not how it travelled');
  const unset = { ...process.env };
  delete unset.NODE_EXTRA_CA_CERTS;
  const none = run(BIN, ['run', BUSYBOX!, 'sh', '-c', 'echo "[${NODE_EXTRA_CA_CERTS-unset}]"'], unset);
  t.equal(none.stdout, '[unset]\n', 'unset stays unset');
  const empty = run(BIN, ['run', BUSYBOX!, 'sh', '-c', 'echo "[${NODE_EXTRA_CA_CERTS-unset}]"'], { ...unset, NODE_EXTRA_CA_CERTS: '' });
  t.equal(empty.stdout, '[]\n', 'set but empty stays set and empty');
});

t.test('every byte of a large output arrives, on stdout and on stderr, before the exit', { skip: BUSYBOX ? false : NO_BUSYBOX }, async (t) => {
  const size = 300_000; // many times a pipe's buffer
  const expected = `${'0'.repeat(size - 1)}7\n`;
  const out = run(BIN, ['run', BUSYBOX!, 'printf', `%0${size}d\\n`, '7']);
  t.equal(out.status, 0, 'exit 0');
  t.ok(out.stdout === expected, `stdout complete (${out.stdout.length} of ${expected.length} bytes)`);
  const err = run(BIN, ['run', '--allow-dir', '.', BUSYBOX!, 'sh', '-c', `printf %0${size}d\\\\n 7 >&2; exit 3`]);
  t.equal(err.status, 3, 'the guest\'s exit status');
  t.ok(err.stderr === expected, `stderr complete (${err.stderr.length} of ${expected.length} bytes)`);
});
