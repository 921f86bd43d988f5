// A threaded program (cross-thread self-modifying code, mmap/munmap churn
// while other threads run, TLS) runs 50 times in a row with the same output
// every time: the MTTCG machinery must not flake.

import { spawn } from 'node:child_process';
import t from 'tap';
import { CLI, guestElf } from '../../harness/guest-runner.js';

const RUNS = Number(process.env.MTTCG_REPEAT_RUNS ?? 50);
const EXPECTED = [
  'cross-thread smc: 20 rounds, wrong results 0',
  'mmap/munmap churn: 20 rounds, bad 0; compute thread results a30ce153',
  'main tls 7',
  '',
].join('\n');

function runOnce(): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // Without tap's NODE_OPTIONS loaders, which would be inherited by the emulator.
    const env = { ...process.env, NODE_OPTIONS: '' };
    const p = spawn(process.execPath, [CLI, 'run', '--timeout', '60', guestElf('conf-threads-mem'), '20'], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// Two runs at a time: each run is mostly process and worker start-up, and the
// machine has two cores. Every run is still checked on its own.
const PARALLEL = 2;

t.test(`conf-threads-mem ${RUNS} times without a flake`, async (t) => {
  let ok = 0;
  let started = 0;
  const lane = async (): Promise<void> => {
    while (started < RUNS) {
      started++;
      const r = await runOnce();
      if (r.status === 0 && r.stdout === EXPECTED) ok++;
      else t.fail(`run failed: status ${r.status}\n${r.stdout}${r.stderr}`);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  t.equal(ok, RUNS, `${ok}/${RUNS} runs gave the expected output`);
});
