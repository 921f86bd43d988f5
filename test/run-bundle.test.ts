// The bundled run command (scripts/bundle.mjs, loaded by src/cli/main.ts):
// the build writes it when esbuild is installed (a devDependency, so after
// `npm install` it always is), a guest runs the same through it as through
// the unbundled modules (threads too: the pool's workers start from the
// bundled worker), its usage errors are still usage errors (exit 2 and
// the usage text, not an internal error), and every bundle is pure ASCII.

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../src/host/repository-root.js';

const CLI = join(REPOSITORY_ROOT, 'dist', 'src', 'cli', 'main.js');
const BUNDLE = join(REPOSITORY_ROOT, 'dist', 'bundle');
const GUEST = join(REPOSITORY_ROOT, 'torture-tests', 'guest', 'conf-threads.elf');

function esbuildInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

function run(args: string[], bundled: boolean): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  if (bundled) delete env.MTTCG_NO_BUNDLE;
  else env.MTTCG_NO_BUNDLE = '1';
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

t.test('the build bundles the run command and the vCPU worker', { skip: esbuildInstalled() ? false : 'esbuild is not installed' }, async (t) => {
  t.ok(existsSync(join(BUNDLE, 'run-command.js')), 'dist/bundle/run-command.js');
  t.ok(existsSync(join(BUNDLE, 'vcpu-worker.js')), 'dist/bundle/vcpu-worker.js');
});

t.test('the bundles take Node\'s modules as they are, not as copied namespaces', { skip: esbuildInstalled() ? false : 'esbuild is not installed' }, async (t) => {
  // `import * as fs from 'node:fs'` would be a getter-per-property copy at each site, at every thread's start.
  for (const name of ['vcpu-worker', 'run-main', 'run-command']) {
    const source = readFileSync(join(BUNDLE, `${name}.cjs`), 'utf8');
    t.notMatch(source, /__toESM\(require\("node:/, `${name}.cjs: no __toESM(require("node:...")) left`);
    t.match(source, /^var \w+ = require\("node:fs"\);$/m, `${name}.cjs: node:fs required as it is`);
  }
});

t.test('every bundle is pure ASCII (Node reads it as a one-byte string)', { skip: esbuildInstalled() ? false : 'esbuild is not installed' }, async (t) => {
  // One non-ASCII character anywhere (esbuild keeps a few comments with em dashes) makes the whole source a
  // two-byte string, off the UTF-8 decoder's ASCII fast path, at every thread's load.
  for (const name of ['vcpu-worker', 'run-main', 'run-command', 'code-cache', 'early-worker']) {
    const bytes = readFileSync(join(BUNDLE, `${name}.cjs`));
    const at = bytes.findIndex((b) => b > 0x7f);
    t.equal(at, -1, `${name}.cjs: ${at < 0 ? 'ASCII only' : `a non-ASCII byte at ${at}`}`);
  }
});

t.test('a threaded guest prints the same bundled and unbundled', async (t) => {
  const bundled = run(['run', GUEST], true);
  const plain = run(['run', GUEST], false);
  t.equal(bundled.status, 0, `bundled run exits 0 (${bundled.stderr.slice(0, 300)})`);
  t.equal(plain.status, 0, 'unbundled run exits 0');
  t.equal(bundled.stdout, plain.stdout, 'same output');
});

t.test('a usage error of the bundled run command is a usage error', async (t) => {
  const r = run(['run', '--no-such-option', GUEST], true);
  t.equal(r.status, 2, 'exit status 2');
  t.match(r.stderr, /^mttcg: unknown option --no-such-option\nusage: mttcg COMMAND/, 'the message and the usage text');
  t.notMatch(r.stderr, /internal error/, 'not an internal error');
});
