// Cold start (issue 14): the phase marks of MTTCG_COLD_TRACE
// (src/host/cold-trace.ts) and the bundles' V8 code cache
// (src/host/code-cache.ts). A run without a cache writes one when its guest
// ends; the next run compiles from it; a corrupt cache is rejected by V8, the
// run still prints the same and replaces it; MTTCG_CODE_CACHE=off uses none.
// The pool's spares wait for a run's second thread: a single-threaded run
// starts one worker.

import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../src/host/repository-root.js';

const CLI = join(REPOSITORY_ROOT, 'dist', 'src', 'cli', 'main.js');
const GUEST = join(REPOSITORY_ROOT, 'torture-tests', 'guest', 'conf-args.elf');
const bundled = existsSync(join(REPOSITORY_ROOT, 'dist', 'bundle', 'vcpu-worker.cjs'));

interface Traced {
  readonly status: number | null;
  readonly stdout: string;
  /** Marks in order: `thread phase`. */
  readonly marks: string[];
  readonly times: number[];
}

function run(env: Record<string, string | undefined>): Traced {
  const r = spawnSync(process.execPath, [CLI, 'run', GUEST, 'a', 'b'], {
    // The worker path's phases: the first thread goes to the worker at once (the solo phase: test/solo-phase.test.ts).
    env: { ...process.env, MTTCG_SOLO: '0', ...env }, encoding: 'utf8', timeout: 120_000,
  });
  const marks: string[] = [];
  const times: number[] = [];
  for (const line of r.stderr.split('\n')) {
    const m = /^mttcg-cold: ([0-9.]+) (\S+) (.*) tcpu=\S+ twait=\S+$/.exec(line);
    if (!m) continue;
    times.push(Number(m[1]));
    marks.push(`${m[2]} ${m[3].replace(/ cpu=[0-9.]+$/, '')}`);
  }
  return { status: r.status, stdout: r.stdout, marks, times };
}

t.test('MTTCG_COLD_TRACE marks every phase, in order; nothing without it', async (t) => {
  const quiet = run({ MTTCG_COLD_TRACE: undefined });
  t.equal(quiet.status, 0, 'the guest runs');
  t.same(quiet.marks, [], 'no marks without the variable');
  const r = run({ MTTCG_COLD_TRACE: '1' });
  t.equal(r.stdout, quiet.stdout, 'the guest prints the same');
  const main = r.marks.filter((m) => m.startsWith('main '));
  t.same(main.filter((m) => !m.includes('bundle evaluated')), [
    'main node: V8 started', 'main node: environment created', 'main node: bootstrap complete',
    'main main module evaluated', 'main run command loaded', 'main options parsed',
    'main first worker started', 'main program loaded (ELF, guest memory)', 'main first thread handed over',
    'main guest exit reported', 'main run finished (workers stopped)', 'main process exit event',
  ], 'the main thread passes each phase once, in order');
  const mainTimes = r.times.filter((_, i) => r.marks[i]!.startsWith('main '));
  t.ok(mainTimes.every((x, i) => i === 0 || x >= mainTimes[i - 1]!), 'the main thread\'s times do not go back');
  for (const m of ['vcpu0 worker modules evaluated', 'vcpu0 thread received', 'vcpu0 vCPU ready', 'vcpu0 guest process ended']) {
    t.ok(r.marks.includes(m), m);
  }
  const at = (m: string): number => r.times[r.marks.indexOf(m)]!;
  t.ok(at('vcpu0 vCPU ready') >= at('main first worker started'), 'the worker measures from the process\'s start');
  t.ok(at('vcpu0 worker modules evaluated') > at('main first worker started'), 'the first worker starts before the program is loaded');
  t.notOk(r.marks.some((m) => m.startsWith('vcpu1 ')), 'no spare worker in a single-threaded run');
  t.ok(at('main guest exit reported') >= at('vcpu0 guest process ended'), 'the exit is reported after the guest ends');
});

t.test('the bundles run through a code cache that the first run writes', { skip: bundled ? false : 'not bundled (no esbuild)' }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-code-cache-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const uses = (r: Traced): string[] => r.marks.filter((m) => m.includes('bundle evaluated')).sort();
  const env = { MTTCG_COLD_TRACE: '1', MTTCG_CODE_CACHE: dir };
  const first = run(env);
  t.equal(first.status, 0, 'first run exits 0');
  t.same(uses(first), [
    'main run-command bundle evaluated (code cache absent)',
    'vcpu0 vcpu-worker bundle evaluated (code cache absent)',
  ], 'no cache yet');
  const files = readdirSync(dir).sort();
  t.match(files, [/^run-command-[0-9a-f]{16}-[0-9a-f]{8}\.v8$/, /^vcpu-worker-[0-9a-f]{16}-[0-9a-f]{8}\.v8$/], 'one cache per bundle, no temporary file left');
  const second = run(env);
  t.equal(second.stdout, first.stdout, 'the same output from the cache');
  t.same(uses(second), [
    'main run-command bundle evaluated (code cache used)',
    'vcpu0 vcpu-worker bundle evaluated (code cache used)',
  ], 'every bundle compiled from the cache');
  for (const f of files) writeFileSync(join(dir, f), Buffer.alloc(4096, 0x5a));
  const corrupt = run(env);
  t.equal(corrupt.status, 0, 'a corrupt cache still runs');
  t.equal(corrupt.stdout, first.stdout, 'and prints the same');
  t.ok(uses(corrupt).every((m) => m.endsWith('(code cache rejected)')), 'V8 rejects the corrupt cache');
  t.ok(uses(run(env)).every((m) => m.endsWith('(code cache used)')), 'the rejected cache was written again');
  const off = run({ MTTCG_COLD_TRACE: '1', MTTCG_CODE_CACHE: 'off' });
  t.equal(off.stdout, first.stdout, 'MTTCG_CODE_CACHE=off prints the same');
  t.ok(uses(off).every((m) => m.endsWith('(code cache off)')), 'and compiles without a cache');
});

t.test('a single-threaded run that ends in the solo phase starts no worker; a threaded one gets the pool and its spare', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-pool-start-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const workers = (program: string, args: string[]): { status: number | null; workers: number } => {
    const file = join(dir, `${program}.json`);
    const r = spawnSync(process.execPath, [CLI, 'run', '--stats-json', file, join(REPOSITORY_ROOT, 'torture-tests', 'guest', `${program}.elf`), ...args], {
      encoding: 'utf8', timeout: 120_000,
    });
    const stats = JSON.parse(readFileSync(file, 'utf8')) as { process: { vcpuWorkers: number } };
    return { status: r.status, workers: stats.process.vcpuWorkers };
  };
  const single = workers('conf-args', ['a']);
  t.equal(single.status, 0, 'conf-args exits 0');
  t.equal(single.workers, 0, 'no worker for a single-threaded run that ends in the solo phase (none made eagerly, no spare)');
  const threaded = workers('conf-threads', []);
  t.equal(threaded.status, 0, 'conf-threads exits 0');
  t.ok(threaded.workers >= 3, `${threaded.workers} workers: the first, the second thread's and a spare`);
});
