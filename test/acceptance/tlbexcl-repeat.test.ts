// Issue 6, item 7: under tlbexcl the ABA cases (plain stores, LL/SC pairs, a
// same-value store, the forced Treiber ABA) and the random Treiber stack pass
// repeated runs with no failure. A value-comparing STREX (cmpxchg) fails the
// four handshake cases in every round; the handshake verdict also requires
// that every round really put the other vCPU's store inside the window
// (timeouts=0), so a pass is not the absence of a race.
// Most of a run is process and worker start-up (about 2 s of CPU for a
// two-thread case, 4 s for treiber at 4 vCPUs), so the 20 runs of each case
// that issue 6 asks for cost about 4 CPU-minutes; they run two at a time.
// MTTCG_TLBEXCL_REPEAT=N changes the count for local experiments.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { CLI, ROOT } from '../../harness/guest-runner.js';

const RUNS = Number(process.env.MTTCG_TLBEXCL_REPEAT ?? 20);
const PARALLEL = 2;
const CASES: readonly { name: string; args: readonly string[] }[] = [
  { name: 'aba-plain', args: ['2', '20'] },
  { name: 'aba-llsc', args: ['2', '20'] },
  { name: 'store-same', args: ['2', '20'] },
  { name: 'treiber-aba', args: ['2', '20'] },
  { name: 'treiber', args: ['4', '2000'] },
];

interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runCase(name: string, args: readonly string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const elf = join(ROOT, 'torture-tests', 'atomics', `${name}.elf`);
    // Without tap's NODE_OPTIONS loaders, which the emulator's workers would inherit.
    const env = { ...process.env, NODE_OPTIONS: '' };
    const p = spawn(process.execPath, [CLI, 'run', '--strategy', 'tlbexcl', '--timeout', '120', elf, ...args], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs every job, at most PARALLEL at a time (the machine has two cores). */
async function pool<T>(jobs: readonly (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return out;
}

t.test(`tlbexcl: ABA and Treiber cases pass ${RUNS} times each`, async (t) => {
  const jobs = CASES.flatMap((c) => Array.from({ length: RUNS }, () => () => runCase(c.name, c.args)));
  const results = await pool(jobs);
  for (const [ci, c] of CASES.entries()) {
    let passed = 0;
    for (let r = 0; r < RUNS; r++) {
      const o = results[ci * RUNS + r]!;
      const line = o.stdout.split('\n').find((l) => l.startsWith('RESULT ')) ?? '';
      if (o.status === 0 && line.includes(`case=${c.name} status=pass`)) passed++;
      else t.fail(`${c.name} run ${r + 1}: exit ${o.status}\n${o.stdout}${o.stderr}`);
    }
    t.equal(passed, RUNS, `${c.name} ${c.args.join(' ')}: ${passed}/${RUNS} runs passed`);
  }
});
