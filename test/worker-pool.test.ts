// The pool of vCPU workers: threads reuse warm workers (and their
// translations), and a run that ends while threads are being created ends
// at once: a crashed worker during a create burst, or --timeout during one,
// never leaves a worker running after the report (issue 13 item 2).

import { spawn } from 'node:child_process';
import t from 'tap';
import { CLI, guestElf, ROOT } from '../harness/guest-runner.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

interface Ended {
  readonly status: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  readonly stdout: string;
}

/** Runs mttcg; a run still alive after `guardMs` is killed (a hang then shows as signal SIGKILL). */
function runAsync(args: readonly string[], env: NodeJS.ProcessEnv, guardMs: number): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'run', ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => child.kill('SIGKILL'), guardMs);
    child.on('close', (status, signal) => {
      clearTimeout(guard);
      resolve({ status, signal, stderr, stdout });
    });
  });
}

/** Runs the jobs two at a time. */
async function twoAtATime<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < jobs.length; i += 2) out.push(...(await Promise.all(jobs.slice(i, i + 2).map((j) => j()))));
  return out;
}

t.test('a worker crash during a create burst ends the run (no worker outlives the report)', async (t) => {
  const jobs: (() => Promise<Ended>)[] = [];
  for (let i = 0; i < 4; i++) {
    for (const prog of ['conf-threads', 'err-create-burst']) {
      jobs.push(() => runAsync([guestElf(prog)], { MTTCG_INJECT_FAULT: 'worker-crash' }, 60000));
    }
  }
  const results = await twoAtATime(jobs);
  const hung = results.filter((r) => r.signal !== null).length;
  t.equal(hung, 0, `no run hung after its report (${results.length} runs)`);
  for (const r of results.filter((x) => x.signal === null)) {
    t.equal(r.status, 70, 'internal error status');
    t.match(r.stderr, /internal error in the vCPU of thread \d+: fault injected/);
  }
});

t.test('--timeout during create bursts ends the run', async (t) => {
  const results = await twoAtATime([1, 2].map(() => () =>
    runAsync(['--timeout', '2', guestElf('err-create-burst'), '100000'], {}, 60000)));
  for (const r of results) {
    t.equal(r.signal, null, 'not killed by the guard');
    t.equal(r.status, 124, 'timeout status');
    t.match(r.stderr, /timed out after 2 s/);
  }
});

t.test('threads created one after another reuse a warm vCPU worker and its translations', async (t) => {
  const r = await runAsync(['--stats', join(ROOT, 'bench', 'process', 'thread-start.elf'), '12'], {}, 120000);
  t.equal(r.status, 0);
  const json = JSON.parse(r.stderr.slice(r.stderr.indexOf('{'))) as { threads: { tid: number; tbsTranslated: number }[] };
  const created = json.threads.filter((x) => x.tid !== 1000);
  t.equal(created.length, 12, 'a stats record per created thread');
  // The first creations may land on fresh workers; the last few must find a warm one.
  const late = created.slice(-4).map((x) => x.tbsTranslated);
  t.same(late, [0, 0, 0, 0], 'the last four threads translated nothing: their vCPU kept its TBs');
});

t.test('a fork + exit + wait loop keeps the pool at its start size and one spare', async (t) => {
  // The child gives its vCPU slot back before its parent can see it exit, so the parent's next
  // fork finds that warm worker free; else every round may start a worker (~200 ms of loading).
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-pool-'));
  const file = join(dir, 'stats.json');
  const r = await runAsync(['--stats-json', file, join(ROOT, 'bench', 'process', 'fork-wait.elf'), '30'], {}, 120000);
  const stats = JSON.parse(readFileSync(file, 'utf8')) as { process: { vcpuWorkers: number } };
  rmSync(dir, { recursive: true, force: true });
  t.equal(r.status, 0);
  const start = Math.max(2, availableParallelism());
  t.ok(stats.process.vcpuWorkers <= start + 1, `${stats.process.vcpuWorkers} workers started (the pool starts ${start}, plus one spare)`);
});
