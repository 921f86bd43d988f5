// A sweep on one machine, through the CLI (real mttcg and qemu-arm runs): a
// small torture plan run as the 3 tasks of a Slurm job array would run it
// (SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT in the environment, nothing
// else of Slurm) and a small benchmark plan run with --shard K/3, merged by
// `mttcg report --from`, draw the same report as an unsharded run of both
// plans (test/helpers/sweep-compare.ts says what "the same" covers: every
// verdict, unit and count, no time). Then the faults: a missing shard and a
// shard killed mid-write are named with the commands that run them again,
// and running those completes the sweep; records of another kind of host
// are never pooled (but those of another machine of the same kind are);
// files of another plan are refused. The cluster itself (sbatch, GNU
// parallel) is in test/acceptance/sweep-cluster.test.ts.

import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { hostInfo, hostKindOf } from '../src/host/host-info.js';
import { BENCH_PLAN, mttcg, planOf, reportShape, said, TORTURE_PLAN, withoutSlurm } from './helpers/sweep-compare.js';

const dir = mkdtempSync(join(tmpdir(), 'mttcg-sweep-'));
const whole = join(dir, 'whole');
const shards = join(dir, 'shards');
mkdirSync(whole);
mkdirSync(shards);
t.setTimeout(1_500_000);

const env = withoutSlurm(process.env);

async function ok(t: Test, args: readonly string[], runEnv = env): Promise<string> {
  const r = await mttcg(args, runEnv);
  t.equal(r.status, 0, `mttcg ${args.slice(0, 1).join(' ')} ... exits 0`, { diagnostic: r.status !== 0, said: said(r) });
  return r.stderr;
}

/** Merge `from` into `out` (expecting success). */
async function merge(t: Test, out: string, ...from: string[]): Promise<string> {
  return ok(t, ['report', '--from', ...from, '--out', out]);
}

t.test('a shard needs a file of its own', async (t) => {
  const r = await mttcg(['torture', '--cases', 'atomic-add', '--strategy', 'cmpxchg', '--no-qemu', '--shard', '1/2']);
  t.equal(r.status, 2, 'a usage error');
  t.match(r.stderr, /give --out FILE/);
  const bad = await mttcg(['bench', '--workloads', 'atomic-add-private', '--shard', '3/2', '--out', join(dir, 'x.jsonl')]);
  t.equal(bad.status, 2);
  t.match(bad.stderr, /shard 3 of 2 does not exist/);
});

t.test('the plans run unsharded, and as 3 shards (a Slurm array task\'s environment; --shard)', async (t) => {
  await ok(t, [...TORTURE_PLAN, '--out', join(whole, 'torture.jsonl')]);
  await ok(t, [...BENCH_PLAN, '--out', join(whole, 'bench.jsonl')]);
  for (const k of [1, 2, 3]) {
    const said = await ok(t, [...TORTURE_PLAN, '--out', join(shards, 'torture.jsonl')], { ...env, SLURM_ARRAY_TASK_ID: String(k), SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_JOB_ID: '77' });
    t.match(said, new RegExp(`shard ${k}/3 of plan`), `the task's environment made it shard ${k}/3`);
    await ok(t, [...BENCH_PLAN, '--out', join(shards, 'bench.jsonl'), '--shard', `${k}/3`]);
  }
  t.same(readdirSync(shards).sort(), [1, 2, 3].flatMap((k) => [`bench.shard-${k}-of-3.jsonl`, `torture.shard-${k}-of-3.jsonl`]).sort(), 'each shard wrote a file of its own');
  for (const kind of ['torture', 'bench']) {
    const w = planOf(join(whole, `${kind}.jsonl`));
    const parts = [1, 2, 3].map((k) => planOf(join(shards, `${kind}.shard-${k}-of-3.jsonl`)));
    t.ok(parts.every((h) => h.planHash === w.planHash), `${kind}: the shards and the unsharded run are one plan (${w.planHash})`);
    t.same(parts.map((h) => h.shard), [1, 2, 3].map((index) => ({ index, count: 3 })));
  }
});

t.test('merged shards draw the report an unsharded run draws', async (t) => {
  await merge(t, join(dir, 'r-whole'), whole);
  await merge(t, join(dir, 'r-shards'), shards);
  const a = reportShape(join(dir, 'r-whole'));
  const b = reportShape(join(dir, 'r-shards'));
  t.equal(a.tortureRuns.length, 4, 'the torture plan is 4 runs');
  t.equal(a.benchRecords.length, 4, 'the benchmark plan is 4 points');
  t.ok(a.tortureRuns.every((r) => (r as { cell: string }).cell === 'pass'), 'every torture run passed (as predicted)');
  t.same(b, a, 'the same runs, verdicts, outcomes, points and counts, in the same order');
  t.match(readFileSync(join(dir, 'r-shards/README.md'), 'utf8'), /merged from the 6 files of a sweep/);
  // the merged report's data is itself a sweep's files: it merges again to the same report
  await merge(t, join(dir, 'r-again'), join(dir, 'r-shards/data'));
  t.same(reportShape(join(dir, 'r-again')), a, 'a merged report\'s data merges again');
});

t.test('a missing shard and one killed mid-write are named with their commands; running those completes the sweep', async (t) => {
  renameSync(join(shards, 'torture.shard-2-of-3.jsonl'), join(dir, 'held-back.jsonl'));
  // shard 3 killed while writing its last run: that run is gone and half a line is left
  const cut = join(shards, 'torture.shard-3-of-3.jsonl');
  const lines = readFileSync(cut, 'utf8').split('\n').filter((l) => l.trim());
  const last = lines.map((l) => l.includes('"kind":"torture-run"')).lastIndexOf(true);
  t.ok(last > 0, 'shard 3 ran at least one run');
  writeFileSync(cut, [...lines.slice(0, last), ...lines.slice(last + 1)].join('\n') + '\n' + lines[last]!.slice(0, 40));
  const r = await mttcg(['report', '--from', shards, '--out', join(dir, 'r-missing')]);
  t.equal(r.status, 1, 'the merge fails');
  t.match(r.stderr, /shard 2\/3: no file of it among the inputs; missing \d+: torture /, 'names the missing shard and its units');
  t.match(r.stderr, /shard 3\/3: its file stops early; missing 1: torture /, 'and the killed one, with the run it lost');
  const again = [...r.stderr.matchAll(/run it again \(it resumes\): mttcg (torture .*)$/gm)].map((m) => m[1]!.split(' '));
  t.same(again.map((a) => a[a.indexOf('--shard') + 1]), ['2/3', '3/3'], 'with the command that runs each');
  t.ok(again.every((a) => a.includes('--resume')));
  for (const args of again) await ok(t, args);
  await merge(t, join(dir, 'r-completed'), shards);
  t.same(reportShape(join(dir, 'r-completed')), reportShape(join(dir, 'r-whole')), 'the completed sweep draws the unsharded report');
  const partial = await mttcg(['report', '--from', shards, '--out', join(dir, 'r-x'), '--shard', '1/2']);
  t.equal(partial.status, 2, '--from measures nothing: --shard does not go with it');
});

/** A copy of the shards with the records of torture shard 2 rewritten by `edit` (as if another machine ran that shard). */
function withShard2On(name: string, edit: (host: Record<string, unknown>) => Record<string, unknown>): string {
  const to = join(dir, name);
  cpSync(shards, to, { recursive: true });
  const f = join(to, 'torture.shard-2-of-3.jsonl');
  const lines = readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
  writeFileSync(f, lines.map((r) => JSON.stringify(r.kind === 'torture-run' ? { ...r, host: edit(r.host as Record<string, unknown>) } : r)).join('\n') + '\n');
  return to;
}

t.test('records of another kind of host are never pooled', async (t) => {
  const here = hostInfo();
  const otherFields = { ...here, cores: here.cores + 62, hostId: 'bignode00001' };
  const otherKind = hostKindOf(otherFields);
  const from = withShard2On('kinds', () => ({ ...otherFields, hostKind: otherKind }));
  const r = await mttcg(['report', '--from', from, '--out', join(dir, 'r-kinds')]);
  t.equal(r.status, 1, 'this kind lacks shard 2\'s runs: the merge fails rather than pool');
  t.match(r.stderr, new RegExp(`do not cover the plan on host kind ${here.hostKind}`));
  t.match(r.stderr, /shard 2\/3: its file stops early/);
  const other = await mttcg(['report', '--from', from, '--host', otherKind, '--out', join(dir, 'r-other')]);
  t.equal(other.status, 1, 'the other kind has shard 2\'s runs only');
  const tortureMissing = other.stderr.slice(other.stderr.indexOf('(mttcg torture'));
  t.match(tortureMissing, /: [23] of 4 units missing\n  shard 1\/3: /, 'of the torture plan, shards 1 and 3 are missing there');
  t.notMatch(tortureMissing, /shard 2\/3: /, 'and shard 2 is not');
  await ok(t, ['report', '--from', from, '--partial', '--out', join(dir, 'r-partial')]);
  const shape = reportShape(join(dir, 'r-partial'));
  const wholeRuns = reportShape(join(dir, 'r-whole')).tortureRuns.length;
  const shard2Runs = readFileSync(join(from, 'torture.shard-2-of-3.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"torture-run"')).length;
  t.ok(shard2Runs > 0);
  t.equal(shape.tortureRuns.length, wholeRuns - shard2Runs, '--partial draws this kind\'s runs alone');
  const report = JSON.parse(readFileSync(join(dir, 'r-partial/data/report.json'), 'utf8')) as { notes: string[] };
  t.match(report.notes.join('\n'), /never pooled/);
});

t.test('records of another machine of the same kind are pooled', async (t) => {
  const from = withShard2On('machines', (h) => ({ ...h, hostId: 'twin00000001' }));
  await merge(t, join(dir, 'r-machines'), from);
  t.same(reportShape(join(dir, 'r-machines')), reportShape(join(dir, 'r-whole')));
  const report = JSON.parse(readFileSync(join(dir, 'r-machines/data/report.json'), 'utf8')) as { notes: string[] };
  t.match(report.notes.join('\n'), /Records of 2 machines of one kind .* are pooled/);
});

t.test('files of different plans are refused', async (t) => {
  const other = join(dir, 'other-plan.jsonl');
  // another plan, cheaply: a two-thread case at one vCPU is n/a, so no process runs
  const otherPlan = ['torture', '--cases', 'litmus-mp-dmb', '--strategy', 'cmpxchg', '--threads', '1', '--no-qemu'];
  await ok(t, [...otherPlan, '--out', other]);
  const r = await mttcg(['report', '--from', shards, other, '--out', join(dir, 'r-plans')]);
  t.equal(r.status, 1);
  t.match(r.stderr, /the inputs come from 3 different plans/);
  t.match(r.stderr, new RegExp(`plan ${planOf(other).planHash} .*other-plan\\.jsonl`));
  const into = await mttcg([...otherPlan, '--shard', '1/3', '--out', join(shards, 'torture.jsonl'), '--resume']);
  t.equal(into.status, 2, 'a shard of another plan may not append to (or resume) a shard\'s file');
  t.match(into.stderr, /holds shard 1\/3 of plan \w+ .*; this run is shard 1\/3 of plan \w+ .*every shard of every plan appends to a file of its own/);
});
