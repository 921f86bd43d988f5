// bench/lib/rank-correlation.ts: Spearman's rank correlation.
import t from 'tap';
import { rankCorrelation, ranks } from '../../../bench/lib/rank-correlation.js';

t.test('ranks: ties share their average rank', (t) => {
  t.same(ranks([30, 10, 20]), [3, 1, 2]);
  t.same(ranks([5, 1, 5, 2]), [3.5, 1, 3.5, 2]);
  t.end();
});

t.test('monotone, reversed, unrelated and constant lists', (t) => {
  t.equal(rankCorrelation([1, 2, 3, 4, 5], [10, 20, 25, 80, 81]), 1, 'grows wherever the other grows');
  t.equal(rankCorrelation([1, 2, 3, 4, 5], [9, 7, 5, 3, 1]), -1, 'shrinks wherever the other grows');
  t.ok(Math.abs(rankCorrelation([1, 2, 3, 4, 5, 6], [3, 6, 1, 5, 2, 4])) < 0.5, 'a shuffle is near 0');
  t.ok(Number.isNaN(rankCorrelation([1, 2, 3], [7, 7, 7])), 'a counter that never moved correlates with nothing');
  t.ok(Number.isNaN(rankCorrelation([1, 2], [3, 4])), 'two points are too few');
  t.throws(() => rankCorrelation([1, 2, 3], [1, 2]), /3 and 2 values/);
  t.end();
});
