// Planning (validation, defaults, order), op-count choice and the outcome of
// single runs (a failing guest, a BENCH line that does not match).

import t from 'tap';
import { UsageError } from '../../../src/cli/option-parser.js';
import { strategyNames } from '../../../src/machine/strategy-registry.js';
import { nativeAvailable, planBench, PROFILES } from '../../../bench/runner/bench-plan.js';
import { MAX_CALIBRATION_RUNS, OpCounts, opsPerThreadFor, roundOps } from '../../../bench/runner/op-counts.js';
import { runPoint } from '../../../bench/runner/point-runner.js';
import { findWorkload, hasProgram, WORKLOADS } from '../../../bench/runner/workloads.js';

t.test('defaults: every registered strategy, vCPUs 1,2,4, 5 repeats, all workloads', async (t) => {
  const plan = planBench({ peers: ['mttcg'] });
  t.same(plan.series.map((s) => s.strategy), strategyNames());
  t.same(plan.vcpus, [1, 2, 4]);
  t.equal(plan.repeat, 5);
  t.equal(plan.workloads.length, WORKLOADS.length);
  // the corpus programs' points are left out (with a note) where the corpus is not fetched
  const runnable = WORKLOADS.filter((w) => hasProgram(w, 'mttcg')).length;
  t.equal(plan.points.length, runnable * strategyNames().length * 3 * 5);
  const quick = planBench({ peers: ['mttcg'], quick: true });
  t.equal(quick.repeat, 3, 'three runs: a point needs two evidence runs for an interval');
  t.same(quick.workloads.map((w) => w.name), PROFILES.quick.workloads);
  t.ok(quick.policy.targetMs < plan.policy.targetMs);
  // A first run under half its target is re-run: a quarter kept warm-up-dominated first runs (docs/benchmarks.md).
  t.equal(quick.policy.minMs, quick.policy.targetMs / 2);
  t.equal(plan.policy.minMs, plan.policy.targetMs / 2);
});

t.test('strategy specs become run arguments; repeats are rounds over the points, in series order', async (t) => {
  const plan = planBench({ peers: ['mttcg'], strategies: ['aie:aie-stores=always', 'cmpxchg'], workloads: ['spinlock-swp'], vcpus: [4, 1], repeat: 2 });
  t.same(plan.series[0], { peer: 'mttcg', strategy: 'aie:aie-stores=always', strategyArgs: ['--strategy', 'aie', '--aie-stores', 'always'] });
  t.same(plan.vcpus, [1, 4], 'vCPUs ascending: each point calibrates from the previous');
  t.same(
    plan.points.map((p) => `${p.strategy} ${p.vcpus} ${p.repeat}`),
    ['aie:aie-stores=always 1 1', 'aie:aie-stores=always 4 1', 'cmpxchg 1 1', 'cmpxchg 4 1', 'aie:aie-stores=always 1 2', 'aie:aie-stores=always 4 2', 'cmpxchg 1 2', 'cmpxchg 4 2'],
  );
});

t.test('bad input is a usage error', async (t) => {
  const bad = [
    { strategies: ['nonesuch'] },
    { strategies: ['aie:no-such-option=1'] },
    { strategies: ['cmpxchg', 'cmpxchg'] },
    { strategies: ['qemu-arm'] },
    { workloads: ['atomic-add-3'] },
    { vcpus: [0] },
    { vcpus: [65] },
    { vcpus: [] },
    { repeat: 0 },
    { opsPerThread: 1.5 },
    { targetMs: -1 },
  ];
  for (const o of bad) t.throws(() => planBench({ peers: ['mttcg'], ...o }), UsageError, JSON.stringify(o));
});

t.test('op counts: rounded, aimed at the target from the guess, then from what was measured', async (t) => {
  t.equal(roundOps(123456), 120000);
  t.equal(roundOps(0.2), 1);
  t.equal(roundOps(7), 7);
  t.equal(roundOps(5e12), 1e9);
  t.equal(opsPerThreadFor(1e6, 2, 100), 50000);
  const w = findWorkload('atomic-add-1')!;
  const c = new OpCounts({ targetMs: 100, minMs: 25, fixedOpsPerThread: null });
  t.equal(c.propose('s', w, 'native', 1), roundOps(w.guessOpsPerSec.native / 10));
  c.observe('s', 1000, 1e6); // 1e6 ops/s
  t.equal(c.propose('s', w, 'native', 4), 25000, 'the total rate carries over to more vCPUs');
  t.equal(c.propose('other', w, 'qemu-arm', 1), roundOps(w.guessOpsPerSec['qemu-arm'] / 10), 'series are separate');
  c.observeTimeout('s', 1e6, 10000);
  t.equal(c.propose('s', w, 'native', 1), 5000, 'a timeout halves the rate it implies');
  t.ok(c.isCalibrationRun(10e6, 0, 100), 'a 10 ms run is too short for a 100 ms target');
  t.notOk(c.isCalibrationRun(30e6, 0, 100));
  t.notOk(c.isCalibrationRun(10e6, MAX_CALIBRATION_RUNS, 100), 'calibration is bounded');
  const fixed = new OpCounts({ targetMs: 100, minMs: 25, fixedOpsPerThread: 77 });
  t.equal(fixed.propose('s', w, 'mttcg', 4), 77);
  t.notOk(fixed.isCalibrationRun(1, 0, 77));
});

const native = nativeAvailable() ? false : 'native binaries do not run here';

t.test('runPoint: a measured native point', { skip: native }, async (t) => {
  const o = await runPoint({ workload: findWorkload('atomic-add-1024')!, peer: 'native', strategyArgs: [], vcpus: 2, opsPerThread: 5000, timeoutSeconds: 30 });
  t.equal(o.ok, true, String(o.error));
  t.equal(o.ops, 10000);
  t.ok(o.ns > 0);
  t.same(o.args, ['bench/guest/native/atomic-add', '2', '5000', '1024']);
});

t.test('runPoint: failures become errors, never exceptions', { skip: native }, async (t) => {
  const w = findWorkload('atomic-add-1')!;
  const badVariant = await runPoint({ workload: { ...w, variant: '3' }, peer: 'native', strategyArgs: [], vcpus: 1, opsPerThread: 10, timeoutSeconds: 30 });
  t.equal(badVariant.ok, false);
  t.match(badVariant.error, /^exit 2: bad counters '3'/);
  t.equal(badVariant.haveLine, false);
  t.equal(badVariant.ns, 0);
  const wrongName = await runPoint({ workload: { ...w, name: 'renamed' }, peer: 'native', strategyArgs: [], vcpus: 1, opsPerThread: 10, timeoutSeconds: 30 });
  t.equal(wrongName.ok, false);
  t.match(wrongName.error, /names workload 'atomic-add-1', expected 'renamed'/);
  const missing = await runPoint({ workload: { ...w, program: 'no-such-program' }, peer: 'native', strategyArgs: [], vcpus: 1, opsPerThread: 10, timeoutSeconds: 30 });
  t.equal(missing.ok, false);
  t.match(missing.error, /could not start/);
});
