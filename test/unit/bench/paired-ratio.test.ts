// bench/lib/paired-ratio.ts: ratios taken round by round, their median's interval and verdict.
import t from 'tap';
import { pairedRatio, pairedText, perRoundRatios, rotatedOrder, verdictText } from '../../../bench/lib/paired-ratio.js';
import { verdictOf } from '../../../bench/lib/median-interval.js';

t.test('rotatedOrder: each item goes first once per cycle', (t) => {
  t.same(rotatedOrder(['a', 'b', 'c'], 0), ['a', 'b', 'c']);
  t.same(rotatedOrder(['a', 'b', 'c'], 1), ['b', 'c', 'a']);
  t.same(rotatedOrder(['a', 'b', 'c'], 5), ['c', 'a', 'b']);
  t.same(rotatedOrder([], 3), []);
  t.end();
});

t.test('the ratio pairs runs of the same round, not the two medians', (t) => {
  // A host that slowed round 1 for both sides: the per-round ratios are 2, 2, 2; the medians' ratio would be 20/15.
  const top = [10, 20, 60];
  const bottom = [5, 10, 30];
  const shuffledBottom = [30, 5, 10];
  t.same(perRoundRatios(top, bottom), [2, 2, 2]);
  t.equal(pairedRatio(perRoundRatios(top, bottom)).median, 2);
  t.not(pairedRatio(perRoundRatios(top, shuffledBottom)).median, 2, 'pairing with another round changes the figure');
  t.same(perRoundRatios([1, NaN, 3], [1, 2, 0]), [1], 'a round missing a side (NaN, or a zero base) is skipped');
  t.throws(() => perRoundRatios([1, 2], [1]), /2 and 1 values/);
  t.end();
});

t.test('interval and verdict', (t) => {
  const high = pairedRatio([1.78, 1.8, 1.82, 1.79, 1.85, 1.81, 1.77, 1.83, 1.8]);
  t.ok(high.interval && high.interval.lo <= high.median && high.median <= high.interval.hi, 'the interval holds the median');
  t.same([high.interval?.lo, high.interval?.hi], [1.78, 1.83], 'of 9 rounds, the 2nd and 8th values (order statistics, 96.1%)');
  t.equal(verdictOf(high.interval, 1.7), 'met');
  t.equal(verdictOf(pairedRatio([1.5, 1.55, 1.6, 1.52, 1.58, 1.49]).interval, 1.7), 'missed');
  t.equal(verdictOf(pairedRatio([1.3, 1.9, 1.5, 1.8, 1.75, 1.4, 1.85]).interval, 1.7), 'undecided', 'runs on both sides of the target decide nothing');
  const five = pairedRatio([1.9, 2.0, 1.95, 1.92, 1.98]);
  t.equal(five.interval, null, 'no symmetric interval of 5 values reaches 95%');
  t.equal(verdictOf(five.interval, 1.7), 'undecided', 'five rounds are too few for a verdict');
  t.same(pairedRatio([1.3, 1.9, 1.5, 1.4, 1.6, 1.7]).interval, pairedRatio([1.5, 1.3, 1.9, 1.7, 1.6, 1.4]).interval, 'the same runs give the same interval in any order');
  t.match(pairedText(high), /^1\.80x \(rounds 1\.77\.\.1\.85, 96% interval of the median 1\.78\.\.1\.83, n=9\)$/);
  t.match(pairedText(five), /no 95% interval \(fewer than 6 rounds\)/);
  t.equal(pairedText(pairedRatio([])), '- (no round with both runs)');
  t.equal(verdictText(high, 'met'), 'met');
  t.match(verdictText(five, verdictOf(five.interval, 1.7)), /fewer than 6 rounds/, 'an undecided verdict says it had no interval');
  const spans = pairedRatio([1.3, 1.9, 1.5, 1.8, 1.75, 1.4, 1.85]);
  t.match(verdictText(spans, verdictOf(spans.interval, 1.7)), /interval spans the target/);
  t.end();
});
