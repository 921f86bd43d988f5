// Torture by seeds in a sweep: every seed of every cell is a unit of its
// own, so the shards of a seeded plan split the seeds between them (each
// seed once), and the plan's hash tells seed ranges and scheduler settings
// apart.

import t from 'tap';
import { hostInfo } from '../../../src/host/host-info.js';
import { makeSweepHeader, sweepRunOf } from '../../../src/sweep/sweep-plan.js';
import { planTorture, runsOfShard, type TortureRequest } from '../../../src/torture/run-matrix.js';
import { tortureSweepParts } from '../../../src/torture/torture-sweep.js';

const REQUEST: TortureRequest = { specs: ['cmpxchg'], cases: ['treiber', 'atomic-add'], threads: [2], qemu: false, seeds: { first: 100, last: 129 } };
const host = hostInfo();

function headerOf(request: TortureRequest, index: number, count: number) {
  const parts = tortureSweepParts(planTorture(request));
  return makeSweepHeader({ command: 'torture', profile: 'quick', describe: parts.describe, argv: [], definition: parts.definition, units: { torture: parts.units, bench: [] }, shard: { index, count }, host });
}

t.test('the shards of a seeded plan split its seeds, each seed of each cell once', async (t) => {
  const plan = planTorture(REQUEST);
  t.equal(plan.runs.length, 60, '2 cells x 30 seeds');
  const parts = [1, 2, 3].map((k) => runsOfShard(plan, sweepRunOf(headerOf(REQUEST, k, 3))));
  const seen = parts.flat().map((r) => `${r.case.name} ${r.seed}`).sort();
  t.same(seen, plan.runs.map((r) => `${r.case.name} ${r.seed}`).sort(), 'every (cell, seed) in exactly one shard');
  t.ok(parts.every((p) => p.length === 20), 'balanced: 20 runs each');
  for (const p of parts) t.ok(new Set(p.map((r) => r.case.name)).size === 2, 'each shard has seeds of both cells');
  t.match(headerOf(REQUEST, 1, 3).describe, /seeds 100\.\.129/, 'the plan says which seeds it runs');
});

t.test('seed ranges and scheduler settings are different plans', async (t) => {
  const base = headerOf(REQUEST, 1, 3).planHash;
  t.equal(headerOf(REQUEST, 2, 5).planHash, base, 'the shard does not change the plan');
  t.not(headerOf({ ...REQUEST, seeds: { first: 100, last: 130 } }, 1, 3).planHash, base, 'another seed range');
  t.not(headerOf({ ...REQUEST, schedSteps: 999 }, 1, 3).planHash, base, 'another PCT depth');
  t.not(headerOf({ ...REQUEST, seeds: null }, 1, 3).planHash, base, 'free runs');
});
