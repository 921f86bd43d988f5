// bench/lib/core-gauge.ts: a gauge pinned to each core samples a fixed loop;
// a window's samples, the baseline and the slowdown come from them.
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import t from 'tap';
import { CoreGauges } from '../../../bench/lib/core-gauge.js';

const haveTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

t.test('gauges sample on their cores; a window holds the samples inside it', { skip: (!haveTaskset || cpus().length < 2) && 'needs taskset and two cores' }, async (t) => {
  const g = await CoreGauges.start([0, 1], 2);
  const from = Number(process.hrtime.bigint());
  // At least 200 ms, and until each core has 10 samples (a loaded host drops samples the gauge was
  // switched out in), up to 30 s.
  const start = Date.now();
  const enough = (): boolean => [0, 1].every((c) => g.samplesBetween(c, from, Infinity).length >= 10);
  do await new Promise((resolve) => setTimeout(resolve, 50));
  while ((Date.now() - start < 200 || !enough()) && Date.now() - start < 30_000);
  const to = Number(process.hrtime.bigint());
  await new Promise((resolve) => setTimeout(resolve, 50));
  await g.stop();
  for (const core of [0, 1]) {
    const xs = g.samplesBetween(core, from, to);
    t.ok(xs.length >= 10, `core ${core}: ${xs.length} samples in ${((to - from) / 1e6).toFixed(0)} ms at one per 2 ms (some dropped where the gauge waited for the core)`);
    t.ok(xs.every((x) => x > 1000 && x < 50_000_000), 'each a loop time of a sensible size');
    const base = g.baseline(core);
    t.ok(base > 0 && base <= Math.max(...xs), `baseline ${base} ns, the 5th percentile`);
    const s = g.slowdown(core, from, to);
    t.ok(s.ratio >= 1 && s.n === xs.length, `slowdown ${s.ratio.toFixed(3)} over ${s.n} samples`);
  }
  t.equal(g.samplesBetween(0, to + 1e12, to + 2e12).length, 0, 'no samples in a window in the future');
  t.ok(Number.isNaN(g.slowdown(0, to + 1e12, to + 2e12).ratio), 'a window without samples has no slowdown');
  t.throws(() => g.samplesBetween(5, from, to), /no gauge on core 5/);
});

t.test('a gauge that cannot be pinned is an error, not a silent figure', { skip: !haveTaskset && 'needs taskset' }, async (t) => {
  await t.rejects(CoreGauges.start([cpus().length + 7]), /could not be pinned/);
});
