// The claims table's verdicts are computed from data: each check is driven
// through every verdict it can give by editing the hand-written fixture
// (test/fixtures/report/), so a check that ignored its data would fail here.

import t from 'tap';
import { buildBenchView } from '../../../reports/lib/bench-view.js';
import { evaluateClaims, type ClaimResult } from '../../../reports/lib/claims.js';
import { classifyWorkload } from '../../../reports/lib/counter-metrics.js';
import type { BenchRecord } from '../../../reports/lib/input-types.js';
import { cloneSeries, fixtureInputs, observeCell, scalePoint } from '../../helpers/report-fixture.js';

const base = fixtureInputs();
const WITH_AIE = [...base.strategiesBuilt, 'aie'];

function claim(results: readonly ClaimResult[], id: string): ClaimResult {
  const c = results.find((r) => r.id === id);
  if (!c) throw new Error(`no claim ${id}`);
  return c;
}

function verdictOf(id: string, bench: readonly BenchRecord[], extra: Parameters<typeof fixtureInputs>[0] = {}): ClaimResult {
  return claim(evaluateClaims(fixtureInputs({ bench, ...extra })), id);
}

t.test('the fixture as written', async (t) => {
  const view = buildBenchView(base.bench);
  t.equal(classifyWorkload(view, 'atomic-add-1'), 'atomic', 'one LDREX per op: atomic');
  t.equal(classifyWorkload(view, 'parallel-compute'), 'non-atomic', 'a dozen LDREX per 100k ops: non-atomic');
  const r = evaluateClaims(base);
  t.same(r.map((c) => [c.id, c.verdict]), [
    ['aie-scales-as-native', 'not measured'],
    ['aie-5-percent', 'not measured'],
    ['tlbexcl-slow-path', 'refuted'],
    ['cmpxchg-aba-in-practice', 'supported'],
    ['stop-the-world-collapse', 'supported'],
  ]);
  t.match(claim(r, 'aie-scales-as-native').reason, /aie is not built/, 'a missing strategy says it is not built');
  t.match(claim(r, 'tlbexcl-slow-path').reason, /only stores/, 'the fixture has extra slow stores, not loads');
  t.match(claim(r, 'stop-the-world-collapse').measured, /8 vCPUs: 1\.3% of its 1-vCPU throughput/);
  t.match(claim(r, 'cmpxchg-aba-in-practice').measured, /treiber \(cmpxchg@2.*\): pass/);
  for (const c of r) {
    t.ok(c.quote.length > 0 && c.source.where.length > 0 && c.decidedBy.length > 0, `${c.id}: quote, source and measurement named`);
  }
});

t.test('AIE "scales as native"', async (t) => {
  const built = { strategiesBuilt: WITH_AIE };
  const good = [...base.bench, ...cloneSeries(base.bench, 'atomic-add-1', 'cmpxchg', 'aie', () => 1)];
  t.equal(verdictOf('aie-scales-as-native', good, built).verdict, 'supported', "cmpxchg's curve scales better than native's in the fixture");
  const bad = [...base.bench, ...cloneSeries(base.bench, 'atomic-add-1', 'cmpxchg', 'aie', (n) => (n === 1 ? 1 : 0.2))];
  const r = verdictOf('aie-scales-as-native', bad, built);
  t.equal(r.verdict, 'refuted', 'a curve that drops at 2 vCPUs does not scale as native');
  t.match(r.measured, /at 2 vCPUs/, 'only points within the host\'s 2 cores are used');
  const noNative = good.filter((x) => x.peer !== 'native');
  const n = verdictOf('aie-scales-as-native', noNative, built);
  t.equal(n.verdict, 'not measured', 'without the native peer there is nothing to compare with');
  t.match(n.reason, /native/);
  const failedNative = good.map((x) => (x.peer === 'native' ? { ...x, ok: false, opsPerSec: 0, error: 'exec format error' } : x));
  t.match(verdictOf('aie-scales-as-native', failedNative, built).reason, /native runs failed \(exec format error\)/);
  t.equal(verdictOf('aie-scales-as-native', base.bench, built).reason, 'no aie benchmark results in this run', 'built but not run says so');
});

t.test('AIE "5% overhead" on non-atomic code', async (t) => {
  const built = { strategiesBuilt: WITH_AIE };
  const cheap = [...base.bench, ...cloneSeries(base.bench, 'parallel-compute', 'unsafe', 'aie:aie-stores=always', () => 0.97)];
  const r = verdictOf('aie-5-percent', cheap, built);
  t.equal(r.verdict, 'supported', '3% slower than unsafe');
  t.match(r.measured, /aie:aie-stores=always on parallel-compute at 1 vCPU: 3\.0% slower than unsafe/);
  const dear = [...base.bench, ...cloneSeries(base.bench, 'parallel-compute', 'unsafe', 'aie:aie-stores=always', () => 0.8)];
  t.equal(verdictOf('aie-5-percent', dear, built).verdict, 'refuted', '20% slower is not 5%');
  const plainAie = [...base.bench, ...cloneSeries(base.bench, 'parallel-compute', 'unsafe', 'aie', () => 0.8)];
  t.match(verdictOf('aie-5-percent', plainAie, built).measured, /^aie on parallel-compute/, 'falls back to the default aie spec');
  const noUnsafe = cheap.filter((x) => x.strategy !== 'unsafe');
  t.match(verdictOf('aie-5-percent', noUnsafe, built).reason, /against cmpxchg/, 'cmpxchg is the reference when unsafe was not run');
});

t.test('stop-the-world "throughput near 0 beyond 4 threads"', async (t) => {
  const high = scalePoint(base.bench, 'atomic-add-1', 'stop-the-world', 8, 20);
  const r = verdictOf('stop-the-world-collapse', high);
  t.equal(r.verdict, 'refuted', '26% of the 1-vCPU throughput is not near 0');
  t.match(r.reason, /oversubscribed \(2 cores\)/, 'says the points past the cores are oversubscribed');
  const noEight = base.bench.filter((x) => x.vcpus <= 4);
  const n = verdictOf('stop-the-world-collapse', noEight);
  t.equal(n.verdict, 'not measured');
  t.match(n.reason, /above 4 vCPUs/);
});

t.test('TLB_EXCL "all access now follows slow-path"', async (t) => {
  const both = base.bench.map((x) => (x.strategy === 'tlbexcl' && x.workload === 'atomic-add-1' && x.counters
    ? { ...x, counters: { ...x.counters, slowLoads: x.counters.slowLoads! + x.ops } }
    : x));
  const r = verdictOf('tlbexcl-slow-path', both);
  t.equal(r.verdict, 'supported', 'one extra slow load and two extra slow stores per op');
  t.match(r.measured, /\+1\.02 slow loads\/op, \+2\.10 slow stores\/op/);
  const none = base.bench.filter((x) => x.strategy !== 'tlbexcl');
  t.equal(verdictOf('tlbexcl-slow-path', none).verdict, 'not measured');
  const noCounters = base.bench.map((x) => ({ ...x, counters: null }));
  t.equal(verdictOf('tlbexcl-slow-path', noCounters).verdict, 'not measured', 'no counters, no workload class, no verdict');
});

t.test('cmpxchg "ABA ... in practice"', async (t) => {
  const m = base.torture!;
  const lost = claim(evaluateClaims(fixtureInputs({ torture: observeCell(m, 'cmpxchg@2', 'treiber', 'fail') })), 'cmpxchg-aba-in-practice');
  t.equal(lost.verdict, 'refuted', 'the Treiber stack losing nodes under cmpxchg refutes it');
  t.match(lost.reason, /treiber failed/);
  const none = claim(evaluateClaims(fixtureInputs({ torture: null })), 'cmpxchg-aba-in-practice');
  t.equal(none.verdict, 'not measured');
  const noColumn = { ...m, columns: m.columns.filter((c) => c.strategy !== 'cmpxchg') };
  t.match(claim(evaluateClaims(fixtureInputs({ torture: noColumn })), 'cmpxchg-aba-in-practice').reason, /no cmpxchg column/);
});

t.test('no data: every claim is "not measured"', async (t) => {
  const r = evaluateClaims(fixtureInputs({ bench: [], torture: null }));
  t.same(r.map((c) => c.verdict), r.map(() => 'not measured'));
});
