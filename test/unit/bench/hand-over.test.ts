// bench/lib/hand-over.ts: a strategy's ns per acquisition against its failed
// try-locks per acquisition, and two strategies compared at one failure rate.

import t from 'tap';
import { handOverRunsText, lineAt, lineText, matchedHandOver, matchedInterval, theilSen, type HandOverRun } from '../../../bench/lib/hand-over.js';

const on = (intercept: number, slope: number, xs: number[]): HandOverRun[] => xs.map((fails) => ({ fails, ns: intercept + slope * fails }));
const near = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;

t.test('Theil-Sen recovers a line, and one disturbed run does not move it', async (t) => {
  const runs = on(50, 200, [0.03, 0.07, 0.1, 0.15, 0.2, 0.3, 0.45]);
  const l = theilSen(runs)!;
  t.ok(near(l.slope, 200) && near(l.intercept, 50), `50 + 200 x: ${lineText(l)}`);
  const disturbed = runs.map((r, i) => (i === 3 ? { ...r, ns: 3 * r.ns } : r)); // the host slowed one run 3x
  const d = theilSen(disturbed)!;
  t.ok(near(d.slope, 200) && near(d.intercept, 50), `15 of 21 pairwise slopes are still 200: ${lineText(d)}`);
  t.equal(theilSen([{ fails: 0.1, ns: 60 }, { fails: 0.1, ns: 80 }]), null, 'one failure rate: no slope');
  t.equal(lineText(null), 'no line (fewer than two distinct failure rates)');
  t.equal(lineAt({ intercept: 10, slope: 100 }, 0.5), 60);
});

t.test('both lines are read at one failure rate inside the range both strategies ran', async (t) => {
  // cmpxchg: 60 + 100 x ns over 0.05..0.40 failures; a strategy twice as dear at no failure, 120 + 100 x, over 0.02..0.12.
  const base = on(60, 100, [0.05, 0.1, 0.2, 0.3, 0.4]);
  const strategy = on(120, 100, [0.02, 0.06, 0.08, 0.1, 0.12]);
  const m = matchedHandOver(strategy, base)!;
  t.same(m.common, [0.05, 0.12], 'where both have runs');
  t.same(m.inside, [4, 2], 'the strategy\'s runs from 0.06 up, cmpxchg\'s 0.05 and 0.1');
  t.ok(near(m.at, 0.09), `the median of 0.05 0.06 0.08 0.1 0.1 0.12 is 0.09: ${m.at}`);
  t.ok(near(m.ns, 129) && near(m.baseNs, 69), `${m.ns} and ${m.baseNs} ns`);
  t.ok(near(m.ratio, 69 / 129), 'throughput ratio at the same hand-over');
  // Each strategy at its own median failure rate (unmatched) would compare 128 ns (0.08) with 80 ns (0.2): 0.625x.
  t.ok(m.ratio < 0.55, 'the matched ratio is not the unmatched 0.625x');
});

t.test('no matched figure without a common range, a line, or finite runs', async (t) => {
  t.equal(matchedHandOver(on(120, 100, [0.01, 0.02, 0.03]), on(60, 100, [0.1, 0.2, 0.3])), null, 'failure ranges that do not meet');
  t.equal(matchedHandOver([{ fails: 0.1, ns: 100 }], on(60, 100, [0.05, 0.2])), null, 'one run: no line');
  // Threads that took turns: every run of both near no failure, one of the strategy's inside cmpxchg's range.
  t.equal(matchedHandOver(on(120, 100, [0, 0.0004, 0.0009]), on(60, 100, [0, 0.0001, 0.0002])), null, 'one run of the strategy inside the common range');
  t.ok(matchedHandOver(on(120, 100, [0, 0.0001, 0.0009]), on(60, 100, [0, 0.0001, 0.0002])), 'two of each inside');
  const withNaN = [...on(120, 100, [0.05, 0.1, 0.2]), { fails: NaN, ns: 1 }];
  t.ok(near(matchedHandOver(withNaN, on(60, 100, [0.05, 0.1, 0.2]))!.ns, 120 + 100 * 0.1), 'a run without failures counted is left out');
});

t.test('the runs print sorted by failures', async (t) => {
  t.equal(handOverRunsText([{ fails: 0.2, ns: 90.4 }, { fails: 0.031, ns: 57 }]), '0.031:57 0.200:90');
});

t.test('the matched ratio\'s bootstrap interval: seeded, around the figure, wider with noise', async (t) => {
  // Lines 60 + 100 x and 120 + 100 x with the ns of each run moved by up to +-15% (a fixed pattern).
  const noise = [1, 1.15, 0.9, 1.05, 0.85, 1.1, 0.95, 1.12, 0.88];
  const xs = [0.02, 0.04, 0.05, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2];
  const base = on(60, 100, xs).map((r, i) => ({ ...r, ns: r.ns * noise[i]! }));
  const strategy = on(120, 100, xs).map((r, i) => ({ ...r, ns: r.ns * noise[(i + 4) % 9]! }));
  const m = matchedHandOver(strategy, base)!;
  const iv = matchedInterval(strategy, base, 'x')!;
  t.ok(iv.lo < m.ratio && m.ratio < iv.hi, `${iv.lo} < ${m.ratio} < ${iv.hi}`);
  t.same(matchedInterval(strategy, base, 'x'), iv, 'the same runs and label give the same interval');
  const exact = matchedInterval(on(120, 100, xs), on(60, 100, xs), 'x')!;
  t.ok(iv.hi - iv.lo > 5 * (exact.hi - exact.lo), `noisy runs widen it: ${iv.hi - iv.lo} against ${exact.hi - exact.lo} on exact lines`);
  t.equal(matchedInterval(on(120, 100, [0.01, 0.02, 0.03]), on(60, 100, [0.1, 0.2, 0.3]), 'x'), null, 'no common range: no interval');
});
