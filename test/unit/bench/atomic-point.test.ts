// The contended-point verdict of the speed benches (bench/speed/atomic-point.ts):
// threads that took turns, or where one went on alone, are told apart from
// threads that ran at once, whatever the chunks say.

import t from 'tap';
import { notContended, onCoreShare, type AtomicPoint } from '../../../bench/speed/atomic-point.js';

const point = (onCore: number[], overlap: number[]): AtomicPoint =>
  ({ opsPerSec: onCore.map(() => 1e6), overlap, onCore, sections: [], perOp: {} });

t.test('the on-core share is the smallest thread CPU over the longest section', async (t) => {
  t.equal(onCoreShare({ cpu: '90:50', wall: '100:100' }), 0.5, 'one thread off its core half the time');
  t.equal(onCoreShare({ cpu: '99:98', wall: '100:100' }), 0.98);
  t.equal(onCoreShare({ cpu: '50:99', wall: '50:100' }), 0.5, 'one finished at half time, the other went on alone');
  t.ok(Number.isNaN(onCoreShare({ cpu: '-', wall: '100:100' })), 'a missing clock');
  t.ok(Number.isNaN(onCoreShare({ wall: '100' })), 'no cpu field');
  t.ok(Number.isNaN(onCoreShare({ cpu: '1:2', wall: '100' })), 'thread counts differ');
});

t.test('threads on their cores make a contended point, turns do not', async (t) => {
  const ranAtOnce = point([0.97, 0.95, 0.99], [0.1, 0.05, 0.2]); // streaky lock, both running
  const tookTurns = point([0.5, 0.52, 0.49], [0.9, 0.9, 0.9]);
  t.equal(notContended({ cmpxchg: ranAtOnce, tlbexcl: ranAtOnce }), '', 'low chunk overlap alone does not disqualify');
  const why = notContended({ cmpxchg: ranAtOnce, tlbexcl: tookTurns });
  t.match(why, /not a contended point/);
  t.match(why, /tlbexcl/);
  t.notMatch(why, /cmpxchg/, 'names only the peer that took turns');
  t.match(notContended({ x: point([NaN, NaN], [1, 1]) }), /not a contended point/, 'no clocks: no evidence');
});
