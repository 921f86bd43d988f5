// bench/lib/median-interval.ts: the order-statistic interval of a median and
// the verdict on it.

import t from 'tap';
import { binomialHalfCdf, medianInterval, MIN_VALUES, pairedVerdictText, verdictOf } from '../../../bench/lib/median-interval.js';

t.test('the binomial tail behind the coverage', async (t) => {
  t.equal(binomialHalfCdf(9, 1), 10 / 512);
  t.equal(binomialHalfCdf(5, 0), 1 / 32);
  t.equal(binomialHalfCdf(4, 4), 1);
});

t.test('the interval of the median: the published order statistics for 95%', async (t) => {
  const ranksFor = (n: number): readonly [number, number] | null => medianInterval([...Array(n).keys()].map((i) => i + 1))?.ranks ?? null;
  // Standard tables of the distribution-free 95% interval of the median (e.g. Conover):
  t.same(ranksFor(6), [1, 6]);
  t.same(ranksFor(8), [1, 8]);
  t.same(ranksFor(9), [2, 8]);
  t.same(ranksFor(10), [2, 9]);
  t.same(ranksFor(20), [6, 15]);
  t.equal(ranksFor(5), null, '5 values: min..max covers 93.8%, under 95%');
  const iv = medianInterval([0.9, 0.1, 0.5, 0.7, 0.3, 0.2, 0.8, 0.6, 0.4])!;
  t.same([iv.lo, iv.median, iv.hi], [0.2, 0.5, 0.8], 'read off the sorted values, not their given order');
  t.ok(Math.abs(iv.coverage - (1 - 2 * 10 / 512)) < 1e-12, 'coverage 96.1% for ranks 2 and 8 of 9');
  t.equal(medianInterval([1, 2, 3, 4, 5, 6], 0.99), null, 'min..max of 6 covers 96.9%, under 99%');
});

t.test('MIN_VALUES: the fewest values with a 95% interval', async (t) => {
  t.equal(MIN_VALUES, 6);
  t.equal(medianInterval([1, 2, 3, 4, 5].slice(0, MIN_VALUES - 1)), null, 'one fewer has none');
  t.ok(medianInterval([1, 2, 3, 4, 5, 6].slice(0, MIN_VALUES)), 'MIN_VALUES values have one');
});

t.test('met, missed and undecided from where the interval lies', async (t) => {
  const nine = (xs: number[]): ReturnType<typeof medianInterval> => medianInterval(xs);
  t.equal(verdictOf(nine([0.45, 0.52, 0.55, 0.56, 0.57, 0.58, 0.6, 0.61, 0.7]), 0.5), 'met', 'the lowest round below, the rest above: rank 2 is 0.52');
  t.equal(verdictOf(nine([0.3, 0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.49, 0.55]), 0.5), 'missed', 'rank 8 is 0.49');
  t.equal(verdictOf(nine([0.3, 0.45, 0.47, 0.48, 0.52, 0.53, 0.54, 0.56, 0.6]), 0.5), 'undecided', 'the interval holds 0.5');
  t.equal(verdictOf(nine([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]), 0.5), 'met', 'at the threshold is within 2x');
  t.equal(verdictOf(null, 0.5), 'undecided', 'no interval');
});

t.test('the verdict text names the interval, its coverage, its ranks and n', async (t) => {
  const text = pairedVerdictText([0.61, 0.55, 0.58, 0.66, 0.52, 0.49, 0.6, 0.57, 0.59], 0.5);
  t.equal(text, 'met (paired rounds: median 0.580x, 96.1% interval 0.520..0.610 (order statistics 2 and 8 of n=9))');
  t.match(pairedVerdictText([0.9, 0.9, 0.9], 0.5), /^undecided \(paired rounds: median 0\.900x of n=3; fewer rounds than give a 95% interval/,
    'three rounds all far above decide nothing');
  t.match(pairedVerdictText([], 0.5), /^undecided \(no round/);
});
