// Shards of a sweep (src/sweep/shard.ts, sweep-plan.ts): the partition is
// disjoint, covers the plan, is balanced and depends only on the units'
// names; --shard and a Slurm job array's environment choose the shard; the
// plan's hash ignores the spelling of the command and the shard.

import t from 'tap';
import { UsageError } from '../../../src/cli/option-parser.js';
import { argvWithoutShard } from '../../../src/cli/shard-option.js';
import { hostInfo } from '../../../src/host/host-info.js';
import { assignShards, parseShard, resolveShard, shardedPath, shardFromEnv } from '../../../src/sweep/shard.js';
import { makeSweepHeader, shardsOfUnits, sweepRunOf, type SweepUnits } from '../../../src/sweep/sweep-plan.js';

const units = Array.from({ length: 101 }, (_, i) => `case-${i % 7} strategy-${i % 5}@${1 + (i % 3)} #${1 + (i % 4)}`);
const unique = [...new Set(units)];

t.test('the parts are disjoint, cover the units, differ in size by at most one, and depend on the names only', async (t) => {
  for (const n of [1, 2, 3, 7, 200]) {
    const of = assignShards(unique, n);
    t.equal(of.length, unique.length);
    t.ok(of.every((k) => Number.isInteger(k) && k >= 1 && k <= n), `${n} shards: every unit in exactly one shard 1..${n}`);
    const sizes = Array.from({ length: n }, (_, k) => of.filter((x) => x === k + 1).length);
    t.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${n} shards: sizes ${Math.min(...sizes)}..${Math.max(...sizes)}`);
    const reversed = assignShards([...unique].reverse(), n).reverse();
    t.same(reversed, of, `${n} shards: the order the units are listed in does not matter`);
  }
  const three = assignShards(unique, 3);
  t.not(new Set(three.slice(0, 30)).size, 1, 'neighbouring units (one column) are spread over shards');
});

t.test('torture and benchmark units are dealt out together; a header names the units of its shard', async (t) => {
  const plan: SweepUnits = { torture: unique.slice(0, 40), bench: unique.slice(40) };
  const of = shardsOfUnits(plan, 3);
  const host = hostInfo();
  const runs = [1, 2, 3].map((k) =>
    sweepRunOf(makeSweepHeader({ command: 'report', profile: 'quick', describe: 'x', argv: [], definition: { d: 1 }, units: plan, shard: { index: k, count: 3 }, host })),
  );
  const torture = runs.flatMap((r) => [...r.torture]).sort();
  const bench = runs.flatMap((r) => [...r.bench]).sort();
  t.same(torture, [...plan.torture].sort(), 'the shards\' torture units are the plan\'s, each once');
  t.same(bench, [...plan.bench].sort(), 'the shards\' benchmark units are the plan\'s, each once');
  t.same([...runs[1]!.torture].sort(), plan.torture.filter((_, i) => of.torture[i] === 2).sort());
  t.equal(new Set(runs.map((r) => r.header.planHash)).size, 1, 'one plan hash for every shard');
  const other = makeSweepHeader({ command: 'report', profile: 'quick', describe: 'y', argv: ['--spelled', 'otherwise'], definition: { d: 1 }, units: plan, shard: { index: 1, count: 1 }, host });
  t.equal(other.planHash, runs[0]!.header.planHash, 'the hash ignores the argv, the description and the shard');
  const changed = makeSweepHeader({ command: 'report', profile: 'quick', describe: 'x', argv: [], definition: { d: 2 }, units: plan, shard: { index: 1, count: 3 }, host });
  t.not(changed.planHash, runs[0]!.header.planHash, 'a different definition is a different plan');
});

t.test('--shard K/N', async (t) => {
  t.same(parseShard('2/3'), { index: 2, count: 3 });
  for (const bad of ['0/3', '4/3', '3', 'a/b', '1/0', '-1/2', '1/200000']) t.throws(() => parseShard(bad), UsageError, `'${bad}' is refused`);
  t.throws(() => parseShard('4/3'), /shard 4 of 3 does not exist/);
  t.same(argvWithoutShard(['--cases', 'a', '--shard', '2/3', '--out', 'f', '--shard=1/2']), ['--cases', 'a', '--out', 'f']);
  t.equal(shardedPath('sweep/torture.jsonl', { index: 2, count: 3 }), 'sweep/torture.shard-2-of-3.jsonl');
  t.equal(shardedPath('sweep/torture.jsonl', { index: 1, count: 1 }), 'sweep/torture.jsonl', 'the whole plan keeps the name');
  t.equal(shardedPath('out', { index: 1, count: 2 }), 'out.shard-1-of-2');
});

t.test('a Slurm job array task\'s environment chooses the shard; --shard wins', async (t) => {
  t.equal(shardFromEnv({}), null, 'outside an array: no shard');
  t.same(shardFromEnv({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' }), { index: 2, count: 3 });
  t.same(shardFromEnv({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '1', MTTCG_SHARDS: '3' }), { index: 2, count: 3 }, 'a resubmitted task (--array=2) takes N from MTTCG_SHARDS');
  t.throws(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '1' }), /set MTTCG_SHARDS/, 'a task id above the count says what to set');
  t.throws(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '3' }), /--array=1-N/, 'arrays count from 1');
  t.throws(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '1' }), /MTTCG_SHARDS/);
  t.same(resolveShard('1/2', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' }), { index: 1, count: 2 });
  t.same(resolveShard(undefined, {}), { index: 1, count: 1 });
});
