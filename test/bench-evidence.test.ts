// Real runs of the benchmark guests print the BENCH evidence fields
// consistently (native, qemu-arm and mttcg), and `mttcg run --stats` carries
// each vCPU's host-thread CPU and wall time. Nothing here asserts on how fast
// or how parallel a run was: that depends on the host's load.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { CLI, parseBenchLine } from '../bench/lib/peers.js';
import { nativeAvailable } from '../bench/runner/bench-plan.js';
import { parseEvidence } from '../bench/runner/point-runner.js';
import { findWorkload, guestElf, nativeBinary } from '../bench/runner/workloads.js';

function checkLine(t: Test, stdout: string, threads: number, opsPerThread: number, failuresCounted: boolean): void {
  const line = parseBenchLine(stdout);
  const e = parseEvidence(line.fields, threads);
  t.ok(e, `evidence fields in: ${stdout.trim()}`);
  if (!e) return;
  const chunk = Math.ceil(opsPerThread / 256);
  t.equal(e.chunks, threads * Math.ceil(opsPerThread / chunk), 'each thread ran its ops in at most 256 chunks');
  t.ok(e.concurrentChunks <= e.chunks);
  if (threads === 1) t.equal(e.concurrentChunks, 0, 'one thread has nothing to overlap with');
  t.ok(e.threadCpuNs.every((c) => c !== null && c > 0), 'every thread has a CPU time');
  t.ok(e.threadWallNs.every((w) => w > 0), 'and a wall time');
  t.equal(e.failures !== null, failuresCounted, failuresCounted ? 'failures are counted' : 'failures are not counted');
  t.match(line.fields.start, /^[1-9][0-9]*$/, 'the timed section\'s start on CLOCK_MONOTONIC');
  const w = e.window;
  t.ok(w, 'the contended window');
  if (!w) return;
  t.ok(w.ns > 0 && w.ns <= line.ns, `window ${w.ns} ns within the section's ${line.ns}`);
  t.ok(w.ops <= line.ops, `window ops ${w.ops} <= the section's ${line.ops}`);
  t.ok(w.threadOps.some((o) => o === opsPerThread), 'the first thread to finish did all its ops in the window');
  t.ok(w.threadOps.every((o) => o <= opsPerThread), 'no thread more than its ops');
  t.ok(w.threadWallNs.every((v, i) => v <= e.threadWallNs[i]!), 'each thread\'s window within its own section');
  t.ok(w.threadCpuNs.every((c, i) => c !== null && c <= e.threadCpuNs[i]!), 'and its window CPU within its section\'s');
}

t.test('real runs print the fields: native, qemu-arm and mttcg (CPU time from the vCPU thread)', async (t) => {
  const w = findWorkload('spinlock-swp')!;
  if (nativeAvailable()) {
    const r = spawnSync(nativeBinary(w), ['2', '3000', 'swp'], { encoding: 'utf8' });
    checkLine(t, r.stdout, 2, 3000, true);
    const add = spawnSync(nativeBinary(findWorkload('atomic-add-1')!), ['2', '3000', '1'], { encoding: 'utf8' });
    checkLine(t, add.stdout, 2, 3000, false); // x86-64 `lock add` cannot fail
  }
  const q = spawnSync('qemu-arm', [guestElf(w), '2', '3000', 'swp'], { encoding: 'utf8' });
  if (q.status === 0) checkLine(t, q.stdout, 2, 3000, true);
  const ldrex = findWorkload('spinlock-ldrex')!;
  const ql = spawnSync('qemu-arm', [guestElf(ldrex), '2', '20000', 'ldrex'], { encoding: 'utf8' });
  if (ql.status === 0) checkLine(t, ql.stdout, 2, 20000, true);
  const ml = spawnSync(process.execPath, [CLI, 'run', guestElf(ldrex), '2', '20000', 'ldrex'], { encoding: 'utf8' });
  t.equal(ml.status, 0, ml.stderr);
  checkLine(t, ml.stdout, 2, 20000, true);
  const dir = mkdtempSync(join(tmpdir(), 'evidence-test-'));
  const stats = join(dir, 'stats.json');
  const m = spawnSync(process.execPath, [CLI, 'run', '--stats-json', stats, guestElf(w), '2', '300', 'swp'], { encoding: 'utf8' });
  t.equal(m.status, 0, m.stderr);
  checkLine(t, m.stdout, 2, 300, true);
  const one = spawnSync(process.execPath, [CLI, 'run', guestElf(findWorkload('parallel-compute')!), '1', '100'], { encoding: 'utf8' });
  checkLine(t, one.stdout, 1, 100, false);
  const threads = (JSON.parse(readFileSync(stats, 'utf8')) as { threads: Record<string, number>[] }).threads;
  t.equal(threads.length, 3, 'the main thread and two workers');
  for (const th of threads) {
    t.ok(th.vcpuCpuNs! > 0 && th.vcpuWallNs! > 0, `vCPU ${th.tid}: its host thread's CPU and wall time in --stats`);
    t.ok(th.vcpuRunqueueWaitNs === undefined || th.vcpuRunqueueWaitNs >= 0);
  }
});
