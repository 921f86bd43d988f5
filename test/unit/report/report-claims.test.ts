// The claims table's verdicts are computed from data: each check is driven
// through every verdict it can give by editing the fixture
// (test/helpers/report-fixture.ts), so a check that ignored its data would
// fail here. The rules under test: supported or refuted only when the whole
// 95% interval is on one side of the threshold, inconclusive when it
// straddles it, when the points are not evidence (no overlap, too little
// CPU, no contention), when a torture case never exercised its race, or
// when the data is missing; the same data always gives the same verdicts.

import { assembleMatrix } from '../../../src/torture/assemble-matrix.js';
import type { TortureColumn, TortureMatrix } from '../../../src/torture/matrix-types.js';
import type { TortureRunRecord } from '../../../src/torture/run-record.js';
import t from 'tap';
import { buildBenchView } from '../../../reports/lib/bench-view.js';
import { evaluateClaims, type ClaimResult } from '../../../reports/lib/claims.js';
import { decideByInterval } from '../../../reports/lib/claim-context.js';
import { classifyWorkload } from '../../../reports/lib/counter-metrics.js';
import type { BenchRecord } from '../../../reports/lib/input-types.js';
import {
  cloneSeries, editEvidence, fixtureInputs, fixtureTortureRuns, matrixOfRuns, observeRuns, scalePoint,
} from '../../helpers/report-fixture.js';

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

t.test('the verdict rule: the interval against the threshold', async (t) => {
  const samples = (xs: number[]): Float64Array => Float64Array.from({ length: 1000 }, (_, i) => xs[i % xs.length]!);
  t.equal(decideByInterval(0.9, samples([0.85, 0.9, 0.95]), 0.8, 'at least', 'percent').verdict, 'supported', 'whole interval above');
  t.equal(decideByInterval(0.6, samples([0.5, 0.6, 0.7]), 0.8, 'at least', 'percent').verdict, 'refuted', 'whole interval below');
  const straddle = decideByInterval(0.85, samples([0.7, 0.85, 0.9]), 0.8, 'at least', 'percent');
  t.equal(straddle.verdict, 'inconclusive', 'an interval that straddles the threshold decides nothing, although the median is above it');
  t.equal(straddle.basis, 'interval straddles');
  t.ok(Math.abs(straddle.stability.share - 2 / 3) < 0.01, 'stability: the share of resamples on the claim\'s side');
  t.equal(decideByInterval(0.04, samples([0.03, 0.04]), 0.05, 'at most', 'percent').verdict, 'supported', '"at most" claims the other way round');
  t.equal(decideByInterval(0.564, samples([0.2, 0.564, 0.9]), 0.05, 'at most', 'percent').verdict, 'refuted',
    'the 56% overhead of issue 12 is not "5% plus the spread": with its whole interval above 5% it is refuted');
  t.equal(decideByInterval(0.3, samples([0.01, 0.3, 0.5]), 0.05, 'at most', 'percent').verdict, 'inconclusive', 'and straddling 5% is inconclusive, not supported');
});

t.test('the fixture as written', async (t) => {
  const view = buildBenchView(base.bench);
  t.equal(classifyWorkload(view, 'atomic-add-1'), 'atomic', 'one LDREX per op: atomic');
  t.equal(classifyWorkload(view, 'parallel-compute'), 'non-atomic', 'a few LDREX per 10k ops: non-atomic');
  const r = evaluateClaims(base);
  t.same(r.map((c) => [c.id, c.verdict, c.basis]), [
    ['aie-scales-as-native', 'inconclusive', 'not measured'],
    ['aie-5-percent', 'inconclusive', 'not measured'],
    ['tlbexcl-slow-path', 'refuted', 'decided'],
    ['cmpxchg-aba-in-practice', 'supported', 'decided'],
    ['stop-the-world-collapse', 'supported', 'decided'],
  ]);
  t.match(claim(r, 'aie-scales-as-native').reason, /aie is not built/, 'a missing strategy says it is not built');
  t.match(claim(r, 'tlbexcl-slow-path').reason, /Only stores/, 'the fixture has extra slow stores, not loads');
  t.match(claim(r, 'stop-the-world-collapse').measured, /8 vCPUs: 1\.3% of its 1-vCPU throughput/);
  const collapse = claim(r, 'stop-the-world-collapse');
  t.ok(collapse.statistic!.interval!.hi <= 0.1, 'the whole interval is at most 10%');
  t.ok(collapse.stability!.share >= 0.975, 'a supported verdict is stable across resamples');
  t.match(collapse.restsOn.join(' '), /stop-the-world @8 \(3 of 3 runs evidence\)/, 'names the points it rests on');
  t.match(claim(r, 'cmpxchg-aba-in-practice').measured, /treiber \(cmpxchg@2.*\): 0 of 3 runs failed, 3 of 3 exercised the race/);
  for (const c of r) {
    t.ok(c.quote.length > 0 && c.source.where.length > 0 && c.decidedBy.length > 0, `${c.id}: quote, source and measurement named`);
    t.notMatch(`${c.source.who} ${c.source.where}`, /seeds|\.txt|issue \d/, `${c.id}: cites public sources, not files or issues a clone lacks`);
  }
});

t.test('the same data gives the same verdicts, intervals and stabilities, in any order', async (t) => {
  const a = evaluateClaims(base);
  const b = evaluateClaims(fixtureInputs({ bench: [...base.bench].reverse() }));
  t.same(b, a);
});

t.test('AIE "scales as native"', async (t) => {
  const built = { strategiesBuilt: WITH_AIE };
  const good = [...base.bench, ...cloneSeries(base.bench, 'atomic-add-1', 'cmpxchg', 'aie', () => 1)];
  t.equal(verdictOf('aie-scales-as-native', good, built).verdict, 'supported', "cmpxchg's curve scales better than native's in the fixture");
  const bad = [...base.bench, ...cloneSeries(base.bench, 'atomic-add-1', 'cmpxchg', 'aie', (n) => (n === 1 ? 1 : 0.2))];
  const r = verdictOf('aie-scales-as-native', bad, built);
  t.equal(r.verdict, 'refuted', 'a curve that drops at 2 vCPUs does not scale as native');
  t.match(r.measured, /at 2 vCPUs/, 'only points within the host\'s 2 cores are used');
  const wobbly = [...base.bench, ...cloneSeries(base.bench, 'atomic-add-1', 'cmpxchg', 'aie', (n, rep) => (n === 1 ? 1 : [0.25, 0.5, 0.9][rep - 1]!))];
  t.equal(verdictOf('aie-scales-as-native', wobbly, built).verdict, 'inconclusive', 'runs that disagree across the threshold decide nothing');
  const noNative = good.filter((x) => x.peer !== 'native');
  const n = verdictOf('aie-scales-as-native', noNative, built);
  t.equal(n.basis, 'not measured', 'without the native peer there is nothing to compare with');
  t.match(n.reason, /native/);
  const failedNative = good.map((x) => (x.peer === 'native' ? { ...x, ok: false, opsPerSec: 0, error: 'exec format error' } : x));
  t.match(verdictOf('aie-scales-as-native', failedNative, built).reason, /native runs failed \(exec format error\)/);
  t.match(verdictOf('aie-scales-as-native', base.bench, built).reason, /no aie benchmark results in this run/, 'built but not run says so');
  const turns = editEvidence(good, (x) => x.strategy === 'aie' && x.vcpus === 2, (e) => ({
    ...e, // thread 0 finished at a third of the time, the other went on alone
    threadCpuNs: e.threadCpuNs.map((c, i) => (i === 0 && c !== null ? c / 3 : c)),
    threadWallNs: e.threadWallNs.map((w, i) => (i === 0 ? w / 3 : w)),
  }));
  const ne = verdictOf('aie-scales-as-native', turns, built);
  t.equal(ne.verdict, 'inconclusive', 'points whose vCPUs took turns are not evidence: no verdict from them');
  t.equal(ne.basis, 'not evidence');
  t.match(ne.excluded.join(' '), /atomic-add-1 aie @2: not evidence: no overlap \(the vCPUs took turns or one went on alone\) \(3 runs\)/);
});

t.test('AIE "5% overhead" on non-atomic code', async (t) => {
  const built = { strategiesBuilt: WITH_AIE };
  const cheap = [...base.bench, ...cloneSeries(base.bench, 'parallel-compute', 'unsafe', 'aie:aie-stores=always', () => 0.99)];
  const r = verdictOf('aie-5-percent', cheap, built);
  t.equal(r.verdict, 'supported', '1% slower than unsafe, with repeats 2% apart: the whole interval is below 5%');
  t.match(r.measured, /aie:aie-stores=always on parallel-compute at 1 vCPU: 1\.0% slower than unsafe/);
  const dear = [...base.bench, ...cloneSeries(base.bench, 'parallel-compute', 'unsafe', 'aie:aie-stores=always', () => 0.8)];
  t.equal(verdictOf('aie-5-percent', dear, built).verdict, 'refuted', '20% slower is not 5%');
  const noisy = [...base.bench, ...cloneSeries(base.bench, 'parallel-compute', 'unsafe', 'aie:aie-stores=always', (_, rep) => [0.6, 0.95, 1.05][rep - 1]!)];
  const i = verdictOf('aie-5-percent', noisy, built);
  t.equal(i.verdict, 'inconclusive', 'an overhead whose interval straddles 5% is inconclusive, whatever the spread');
  t.equal(i.basis, 'interval straddles');
  t.ok(i.stability!.share > 0 && i.stability!.share < 1, 'and says how the resamples split');
  const plainAie = [...base.bench, ...cloneSeries(base.bench, 'parallel-compute', 'unsafe', 'aie', () => 0.8)];
  t.match(verdictOf('aie-5-percent', plainAie, built).measured, /^aie on parallel-compute/, 'falls back to the default aie spec');
  const noUnsafe = cheap.filter((x) => x.strategy !== 'unsafe');
  t.match(verdictOf('aie-5-percent', noUnsafe, built).reason, /against cmpxchg/, 'cmpxchg is the reference when unsafe was not run');
  const starved = editEvidence(cheap, (x) => x.strategy === 'unsafe' && x.vcpus === 1, (e) => ({ ...e, threadCpuNs: e.threadCpuNs.map((c) => c! * 0.3) }));
  const s = verdictOf('aie-5-percent', starved, built);
  t.equal(s.basis, 'not evidence', 'a baseline that got too little CPU decides nothing');
  t.match(s.excluded.join(' '), /too little CPU/);
});

t.test('stop-the-world "throughput near 0 beyond 4 threads"', async (t) => {
  const high = scalePoint(base.bench, 'atomic-add-1', 'stop-the-world', 8, 20);
  const r = verdictOf('stop-the-world-collapse', high);
  t.equal(r.verdict, 'refuted', '26% of the 1-vCPU throughput is not near 0');
  t.match(r.reason, /oversubscribed \(2 cores\)/, 'says the points past the cores are oversubscribed');
  const edge = scalePoint(base.bench, 'atomic-add-1', 'stop-the-world', 8, (rep) => [4, 7.5, 12][rep - 1]!);
  t.equal(verdictOf('stop-the-world-collapse', edge).verdict, 'inconclusive', 'runs on both sides of 10%');
  const noEight = base.bench.filter((x) => x.vcpus <= 4);
  const n = verdictOf('stop-the-world-collapse', noEight);
  t.equal(n.basis, 'not measured');
  t.match(n.reason, /above 4 vCPUs/);
  const calm = editEvidence(base.bench, (x) => x.strategy === 'stop-the-world' && x.vcpus === 8, (e) => ({ ...e, failures: 0 }));
  const c = verdictOf('stop-the-world-collapse', calm);
  t.equal(c.verdict, 'inconclusive', 'a contended workload that lost no race did not contend: not evidence');
  t.equal(c.basis, 'not evidence');
  t.match(c.excluded.join(' '), /stop-the-world @8: not evidence: no contention \(no atomic attempt failed\) \(3 runs\)/);
  const oneRun = base.bench.filter((x) => !(x.strategy === 'stop-the-world' && x.vcpus === 8 && x.repeat > 1));
  t.equal(verdictOf('stop-the-world-collapse', oneRun).basis, 'not evidence', 'one run is not enough for an interval');
});

t.test('TLB_EXCL "all access now follows slow-path"', async (t) => {
  const both = base.bench.map((x) => (x.strategy === 'tlbexcl' && x.workload === 'atomic-add-1' && x.counters
    ? { ...x, counters: { ...x.counters, slowLoads: x.counters.slowLoads! + x.ops } }
    : x));
  const r = verdictOf('tlbexcl-slow-path', both);
  t.equal(r.verdict, 'supported', 'one extra slow load and two extra slow stores per op');
  t.match(r.measured, /\+1\.02 slow loads\/op, \+2\.10 slow stores\/op/);
  const none = base.bench.filter((x) => x.strategy !== 'tlbexcl');
  t.equal(verdictOf('tlbexcl-slow-path', none).basis, 'not measured');
  const noCounters = base.bench.map((x) => ({ ...x, counters: null }));
  t.equal(verdictOf('tlbexcl-slow-path', noCounters).basis, 'not measured', 'no counters, no workload class, no verdict');
});

t.test('cmpxchg "ABA ... in practice": torture runs, k of N, exercised or not', async (t) => {
  const runs = fixtureTortureRuns();
  const withRuns = (r: typeof runs) => claim(evaluateClaims(fixtureInputs({ torture: matrixOfRuns(r), tortureRuns: r })), 'cmpxchg-aba-in-practice');
  const lost = withRuns(observeRuns(runs, 'cmpxchg@2', 'treiber', ['pass', 'fail', 'pass']));
  t.equal(lost.verdict, 'refuted', 'one lost node in three runs of real code refutes it');
  t.match(lost.reason, /treiber \(1 of 3 runs failed\)/);
  t.ok(Math.abs(lost.stability!.share - 1 / 4) < 1e-9, 'stability: 1 of the 4 real-code runs failed');
  const idle = withRuns(observeRuns(runs, 'cmpxchg@2', 'treiber', ['pass', 'pass', 'pass'], { concurrent_chunks: '0' }));
  t.equal(idle.verdict, 'inconclusive', 'passes whose threads never overlapped prove nothing');
  t.equal(idle.basis, 'not exercised');
  t.match(idle.reason, /no chunk overlapped/);
  const noRetry = withRuns(observeRuns(runs, 'cmpxchg@2', 'treiber', ['pass', 'pass', 'pass'], { pop_retries: '0', push_retries: '0' }));
  t.equal(noRetry.basis, 'not exercised', 'overlapping threads that never lost a pop or push did not race');
  const none = claim(evaluateClaims(fixtureInputs({ torture: null })), 'cmpxchg-aba-in-practice');
  t.equal(none.basis, 'not measured');
  const m = base.torture!;
  const noColumn = { ...m, columns: m.columns.filter((c) => c.strategy !== 'cmpxchg') };
  t.match(claim(evaluateClaims(fixtureInputs({ torture: noColumn })), 'cmpxchg-aba-in-practice').reason, /no cmpxchg column/);
});

t.test('cmpxchg "ABA ... in practice": a failing seed of the deterministic scheduler refutes it beside passing free runs', async (t) => {
  const runs = fixtureTortureRuns();
  const free = runs.find((r) => r.column.label === 'cmpxchg@2' && r.result.case === 'treiber')!;
  const column = { ...free.column, label: 'cmpxchg@2/sched', seeded: true };
  const seededRun = (seed: number, observed: 'pass' | 'fail') => ({
    ...free, column, repeat: seed,
    result: { ...free.result, column: column.label, seed, observed, cell: observed === 'pass' ? 'pass' as const : 'expected-fail' as const },
  });
  const all = [...runs, seededRun(1, 'pass'), seededRun(2, 'fail'), seededRun(3, 'pass'), seededRun(4, 'fail')];
  const m = matrixOfRuns(all);
  const torture = { ...m, ...assembleWithColumn(m, all, column) };
  const r = claim(evaluateClaims(fixtureInputs({ torture, tortureRuns: all })), 'cmpxchg-aba-in-practice');
  t.equal(r.verdict, 'refuted');
  t.match(r.reason, /treiber \(2 of 4 seeds failed, first failing seed 2\) failed under cmpxchg with the deterministic scheduler/);
  t.match(r.reason, /free run\(s\) all passed/);
  t.match(r.measured, /under the deterministic scheduler \(cmpxchg@2\/sched.*\): 2 of 4 seeds failed/);
  t.ok(Math.abs(r.stability!.share - 0.5) < 1e-9, 'stability: the share of seeds that failed');
  const clean = [...runs, seededRun(1, 'pass'), seededRun(2, 'pass')];
  const c = claim(evaluateClaims(fixtureInputs({ torture: { ...matrixOfRuns(clean), ...assembleWithColumn(matrixOfRuns(clean), clean, column) }, tortureRuns: clean })), 'cmpxchg-aba-in-practice');
  t.equal(c.verdict, 'supported', 'seeds that all pass leave the free runs to decide');
});

/** The matrix's columns and cells with one more column assembled from its runs. */
function assembleWithColumn(m: TortureMatrix, runs: readonly TortureRunRecord[], column: TortureColumn): Pick<TortureMatrix, 'columns' | 'cells'> {
  const columns = [...m.columns, column];
  return { columns, cells: assembleMatrix({ ...m, repeats: 3, columns, cases: m.cases, runs }).cells };
}

t.test('no data: every claim is inconclusive (not measured)', async (t) => {
  const r = evaluateClaims(fixtureInputs({ bench: [], torture: null }));
  t.same(r.map((c) => [c.verdict, c.basis]), r.map(() => ['inconclusive', 'not measured']));
});
