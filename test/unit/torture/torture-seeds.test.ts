// Torture by seeds (mttcg torture --seeds A..B; docs/scheduler.md): the plan
// runs every cell once per seed under --sched, without a qemu-arm column; a
// cell of seeded runs says how many seeds failed and the first that did.

import t from 'tap';
import { UsageError } from '../../../src/cli/option-parser.js';
import { cellOfRuns } from '../../../src/torture/assemble-matrix.js';
import { cellText } from '../../../src/torture/matrix-text.js';
import { planTorture } from '../../../src/torture/run-matrix.js';
import { tortureSweepParts } from '../../../src/torture/torture-sweep.js';
import { fakeRun, REQUEST } from '../../helpers/torture-runs.js';

t.test('every cell runs every seed under --sched; columns /sched; no peer', async (t) => {
  const plan = planTorture({ ...REQUEST, qemu: true, seeds: { first: 5, last: 7 }, schedSteps: 1000 });
  t.same(plan.runs.map((r) => `${r.case.name}#${r.seed}`), ['treiber#5', 'treiber#6', 'treiber#7', 'syscall-monitor#5', 'syscall-monitor#6', 'syscall-monitor#7']);
  t.same(plan.columns.map((c) => c.column.label), ['cmpxchg@2/sched'], 'no qemu-arm column: it cannot be seeded');
  const defs = JSON.stringify(tortureSweepParts(plan).definition);
  t.match(defs, /seed:6,steps=1000,events=memory/, 'the sweep definition holds each run\'s --sched value');
  t.throws(() => planTorture({ ...REQUEST, seeds: { first: 3, last: 2 } }), UsageError);
  t.throws(() => planTorture({ ...REQUEST, strexFail: 2 }), UsageError);
  const sf = planTorture({ ...REQUEST, strexFail: 0.5 });
  t.same(sf.columns[0]!.runArgs, ['--strategy', 'cmpxchg', '--strex-fail', '0.5']);
  t.equal(sf.columns[0]!.column.label, 'cmpxchg@2/strex-fail=0.5');
});

t.test('a seeded cell: k of N seeds failed, the first failing seed', async (t) => {
  const seeded = (seed: number, observed: 'pass' | 'fail') => {
    const r = fakeRun('treiber', seed, observed);
    return { ...r, result: { ...r.result, seed } };
  };
  const cell = cellOfRuns([seeded(9, 'fail'), seeded(3, 'pass'), seeded(7, 'fail'), seeded(4, 'pass')]);
  t.equal(cell.failedRuns, 2);
  t.equal(cell.firstFailingSeed, 7, 'the lowest failing seed');
  t.equal(cellText(cell), 'xfail? 2/4 s7');
  const clean = cellOfRuns([seeded(1, 'pass'), seeded(2, 'pass')]);
  t.equal(clean.firstFailingSeed, null);
  t.equal(cellText(clean), 'pass? 0/2');
});
