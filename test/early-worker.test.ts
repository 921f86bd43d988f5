// The first vCPU worker started by `mttcg run`'s entry before the run
// command loads (src/machine/early-worker.ts; cold start, docs/translator.md
// "Start-up"): the pool adopts it instead of starting another, a threaded
// guest runs as through main.js, a run that ends before the worker is
// adopted (usage error, --help, a bad program) exits at once with its own
// status, and a worker that fails before it is adopted is reported as a
// crashed vCPU, never a hang.

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, guestElf, ROOT } from '../harness/guest-runner.js';

const BIN = join(ROOT, 'bin', 'mttcg');
const RUN_MAIN = join(ROOT, 'dist', 'bundle', 'run-main.js');

interface Run {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  // The worker path: the first thread goes to the worker at once (no solo phase, test/solo-phase.test.ts).
  const all: NodeJS.ProcessEnv = { ...process.env, MTTCG_SOLO: '0', ...env };
  delete all.MTTCG_NO_BUNDLE;
  const r = spawnSync(cmd, args, { env: all, encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The cold-trace phase names of a run, `thread phase`, in the order written. */
const marks = (stderr: string): string[] =>
  stderr.split('\n').flatMap((l) => {
    const m = /^mttcg-cold: [0-9.]+ (\S+) (.*?)(?: cpu=[0-9.]+)? tcpu=/.exec(l);
    return m ? [`${m[1]} ${m[2]}`] : [];
  });

const skip = existsSync(RUN_MAIN) ? false : 'the build bundled nothing (esbuild is not installed)';

t.test('the entry starts the first worker before the run command loads, and the pool adopts it', { skip }, async (t) => {
  const r = run(BIN, ['run', '--clean-env', guestElf('conf-args'), 'a'], { MTTCG_COLD_TRACE: '1' });
  t.equal(r.status, 0, `exit 0 (${r.stderr.slice(-300)})`);
  const m = marks(r.stderr);
  const at = (x: string): number => m.indexOf(x);
  t.ok(at('main first worker created (entry)') >= 0, 'the entry created a worker');
  t.ok(at('main first worker created (entry)') < at('main run command loaded'), 'before the run command loaded');
  t.ok(at('main first worker started (adopted)') >= 0, 'the pool adopted it');
  t.equal(m.filter((x) => x.endsWith(' worker modules evaluated')).length, 1, 'one worker loaded in all (no second one for slot 0)');
  t.ok(at('vcpu0 vCPU data received') < at('vcpu0 thread received'), 'the adopted worker got its vCPU data, then its thread');
  t.match(r.stdout, /argv\[1\] \[a\]/, 'the guest ran');
});

t.test('a threaded guest prints and exits the same through the early worker as through main.js', { skip }, async (t) => {
  const args = ['run', guestElf('conf-threads')];
  const direct = run(process.execPath, [CLI, ...args]);
  const launched = run(BIN, args);
  t.equal(direct.status, 0, 'main.js exits 0');
  t.equal(launched.status, direct.status, 'the same status');
  t.equal(launched.stdout, direct.stdout, 'the same output');
});

t.test('a run that ends before the worker is adopted exits with its own status, at once', { skip }, async (t) => {
  const usage = run(BIN, ['run', '--no-such-option', guestElf('conf-args')]);
  t.equal(usage.status, 2, 'a usage error: 2');
  t.equal(run(BIN, ['run', '--help']).status, 0, '--help: 0');
  const notElf = run(BIN, ['run', join(ROOT, 'package.json')]);
  t.equal(notElf.status, 1, `a file that is not an ELF: 1 (${notElf.stderr.trim()})`);
  t.match(notElf.stderr, /not an ELF file/, 'with its message');
});

t.test('an early worker that fails before it is adopted is a crashed vCPU, not a hang', { skip }, async (t) => {
  const r = run(BIN, ['run', guestElf('conf-args')], { MTTCG_INJECT_FAULT: 'early-worker-crash' });
  t.equal(r.signal, null, 'the run ended by itself');
  t.equal(r.status, 70, 'internal error status');
  t.match(r.stderr, /internal error in the vCPU of thread \d+: fault injected by MTTCG_INJECT_FAULT=early-worker-crash/, 'the worker\'s error');
});
