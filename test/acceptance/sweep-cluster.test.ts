// A sweep on a real one-node Slurm cluster and with GNU parallel (issue 20):
// scripts/slurm-one-node.sh starts munged, slurmctld and slurmd on this
// host; the small torture plan and the small benchmark plan of
// test/helpers/sweep-compare.ts are submitted as 3-task job arrays
// (scripts/sweep-slurm.sbatch, the launcher docs/scale-out.md shows), then
// run again as 3 jobs of GNU parallel (the line docs/scale-out.md shows);
// each sweep's shards, merged by `mttcg report --from`, must draw the
// report an unsharded run of the same plans draws: the same units,
// verdicts, outcomes, points and counts (never times). The daemons this
// test started are stopped at its end.
//
// Needs root and Debian's slurm-wlm, munge and parallel: .ci/run installs
// them and sets MTTCG_SWEEP_CLUSTER=required, which turns their absence
// into a failure; elsewhere the test is skipped when they are missing.
// The wall times of the sweeps and of the unsharded runs are printed as
// comments (issue 20's note), never asserted.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import t from 'tap';
import { runCommand } from '../../harness/cli-child.js';
import { CLI } from '../../harness/guest-runner.js';
import { REPOSITORY_ROOT } from '../../src/host/repository-root.js';
import { BENCH_PLAN, mttcg, reportShape, said, TORTURE_PLAN, withoutSlurm } from '../helpers/sweep-compare.js';

const required = process.env.MTTCG_SWEEP_CLUSTER === 'required';
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['sbatch', 'slurmctld', 'slurmd', 'munged', 'parallel'].filter((c) => !has(c));
const isRoot = process.getuid?.() === 0;
const cannot = missing.length ? `missing: ${missing.join(', ')} (apt-get install slurm-wlm munge parallel)` : isRoot ? null : 'the Slurm and munge daemons need root';

t.setTimeout(3_300_000);

if (cannot !== null && !required) {
  t.plan(0, `sweep on a one-node Slurm cluster and GNU parallel: ${cannot}`);
} else {
  t.equal(cannot, null, 'the cluster can be started (MTTCG_SWEEP_CLUSTER=required)');
  if (cannot === null) await clusterSweeps();
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function load(): string {
  return `load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

async function clusterSweeps(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-cluster-'));
  const clusterDir = join(dir, 'slurm-cluster');
  const env = { ...withoutSlurm(process.env), PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
  const script = join(REPOSITORY_ROOT, 'scripts/slurm-one-node.sh');
  const started = spawnSync('sh', [script, 'start', clusterDir], { encoding: 'utf8', env });
  t.teardown(() => {
    spawnSync('sh', [script, 'stop', clusterDir], { encoding: 'utf8' });
  });
  if (!t.equal(started.status, 0, 'a one-node cluster started', { stderr: started.stderr })) return;
  const slurmEnv = { ...env, SLURM_CONF: join(clusterDir, 'slurm.conf') };

  const whole = join(dir, 'whole');
  mkdirSync(whole);
  let wholeMs = 0;
  await t.test('the plans unsharded, on this machine', async (t) => {
    const t0 = Date.now();
    for (const [plan, name] of [[TORTURE_PLAN, 'torture'], [BENCH_PLAN, 'bench']] as const) {
      const r = await mttcg([...plan, '--out', join(whole, `${name}.jsonl`)]);
      t.equal(r.status, 0, `mttcg ${name}`, { said: said(r) });
    }
    wholeMs = Date.now() - t0;
    const m = await mttcg(['report', '--from', whole, '--out', join(dir, 'r-whole')]);
    t.equal(m.status, 0, 'drawn', { said: said(m) });
    t.comment(`unsharded torture + bench: ${seconds(wholeMs)} (${load()}, ${readdirSync(whole).length} files)`);
  });
  const expected = reportShape(join(dir, 'r-whole'));

  await t.test('3-task Slurm job arrays (scripts/sweep-slurm.sbatch)', async (t) => {
    const out = join(dir, 'slurm');
    mkdirSync(out);
    const sbatch = join(REPOSITORY_ROOT, 'scripts/sweep-slurm.sbatch');
    const t0 = Date.now();
    for (const [plan, name, extra] of [[TORTURE_PLAN, 'torture', []], [BENCH_PLAN, 'bench', ['--exclusive']]] as const) {
      const args = ['--wait', '--array=1-3', ...extra, `--chdir=${REPOSITORY_ROOT}`, `--output=${join(dir, `${name}-%A_%a.log`)}`, sbatch, ...plan, '--out', join(out, `${name}.jsonl`)];
      const r = await runCommand('sbatch', args, 1_500_000, { ...slurmEnv, MTTCG_SHARDS: '3' });
      t.equal(r.status, 0, `sbatch --wait --array=1-3 ... ${name}`, { said: `${r.stdout}\n${said(r)}` });
    }
    const ms = Date.now() - t0;
    t.same(readdirSync(out).sort(), [1, 2, 3].flatMap((k) => [`bench.shard-${k}-of-3.jsonl`, `torture.shard-${k}-of-3.jsonl`]).sort(), 'each array task wrote its shard\'s file');
    const m = await mttcg(['report', '--from', out, '--out', join(dir, 'r-slurm')]);
    t.equal(m.status, 0, 'merged', { said: said(m) });
    t.same(reportShape(join(dir, 'r-slurm')), expected, 'the merged arrays draw the unsharded report');
    t.comment(`3-shard Slurm sweep (torture array, then bench array): ${seconds(ms)} against ${seconds(wholeMs)} unsharded (${load()})`);
  });

  await t.test('3 jobs of GNU parallel', async (t) => {
    const out = join(dir, 'parallel');
    mkdirSync(out);
    const t0 = Date.now();
    for (const [plan, name] of [[TORTURE_PLAN, 'torture'], [BENCH_PLAN, 'bench']] as const) {
      // the line of docs/scale-out.md, with this checkout's CLI
      const args = ['-j', '3', '--halt', 'never', process.execPath, CLI, ...plan, '--out', join(out, `${name}.jsonl`), '--shard', '{}/3', ':::', '1', '2', '3'];
      const r = await runCommand('parallel', args, 1_500_000, env);
      t.equal(r.status, 0, `parallel -j 3 ... ${name} --shard {}/3 ::: 1 2 3`, { said: said(r) });
    }
    const ms = Date.now() - t0;
    const m = await mttcg(['report', '--from', out, '--out', join(dir, 'r-parallel')]);
    t.equal(m.status, 0, 'merged', { said: said(m) });
    t.same(reportShape(join(dir, 'r-parallel')), expected, 'the merged jobs draw the unsharded report');
    t.comment(`3-shard GNU parallel sweep: ${seconds(ms)} against ${seconds(wholeMs)} unsharded (${load()})`);
  });

  const stopped = spawnSync('sh', [script, 'stop', clusterDir], { encoding: 'utf8' });
  t.equal(stopped.status, 0, 'the daemons this test started are stopped');
  for (const pidFile of ['slurmctld.pid', 'slurmd.pid']) t.notOk(readdirSync(clusterDir).includes(pidFile), `${pidFile} is gone`);
}
