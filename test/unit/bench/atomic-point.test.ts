// The contended-point verdict of the speed benches (bench/speed/atomic-point.ts):
// threads that took turns, or where one went on alone, are told apart from
// threads that ran at once, whatever the chunks say.

import t from 'tap';
import { parseBenchLine, type PeerRun } from '../../../bench/lib/peers.js';
import { describe, handOverRuns, notContended, onCoreShare, pointOf, windowOnCoreShare, type AtomicPoint } from '../../../bench/speed/atomic-point.js';

const point = (onCore: number[], overlap: number[]): AtomicPoint => ({
  threads: 2, opsPerSec: onCore.map(() => 1e6), sectionOpsPerSec: onCore.map(() => 1e6), overlap, onCore, sectionOnCore: onCore,
  windowNs: onCore.map(() => 1e8), alone: onCore.map(() => 0), failsPerOp: onCore.map(() => NaN), sections: [], perOp: {},
});

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

// A spinlock run where thread 0 finished its 1000 acquisitions at 100 ms and
// thread 1 went on alone until 200 ms: in the window (the first 101 ms) the
// threads did 1000 + 100 ops, both on their cores; over the section,
// 2000 ops in 200 ms with the least busy thread on core half of it.
const STREAK = 'BENCH workload=spinlock-ldrex threads=2 ops=2000 ns=200000000 checksum=0 check=pass warmup=1000 ' +
  'cpu=99000000:199000000 wall=100000000:200000000 chunks=512 concurrent=100 fails=5 start=1 ' +
  'window=101000000 wops=1100 wsplit=1000:100 wcpu=99000000:100000000 wwall=100000000:101000000';
const OLD = 'BENCH workload=spinlock-ldrex threads=2 ops=2000 ns=200000000 checksum=0 check=pass warmup=1000 ' +
  'cpu=99000000:199000000 wall=100000000:200000000 chunks=512 concurrent=100 fails=5 start=1';
const runOf = (text: string): PeerRun => ({ line: parseBenchLine(text), guestInsns: null, stats: null });

t.test('a point with a streak alone is measured over its contended window', async (t) => {
  const p = pointOf([runOf(STREAK), runOf(STREAK), runOf(STREAK)]);
  t.equal(p.opsPerSec[0], 1100 / 0.101, 'the window\'s ops over the window, not 2000 ops over 200 ms');
  t.equal(p.sectionOpsPerSec[0], 2000 / 0.2, 'the section\'s rate beside it');
  t.equal(p.onCore[0], 99 / 101, 'the least busy thread over the window');
  t.equal(p.sectionOnCore[0], 99 / 200, 'and over the section: the streak alone');
  t.ok(Math.abs(p.alone[0]! - 99 / 200) < 1e-12, 'half the section after the first finish');
  t.equal(notContended({ cmpxchg: p }), '', 'both threads ran at once in the window: a contended point');
  t.match(describe(p), /^window: 2 threads x 98% of 101 ms, /);
  t.match(describe(p), /section 0\.01/);
  t.match(describe(p), /first finish: 0\.01\/0\.01 50%, /, 'each run\'s window and section rates and its time alone');
  t.equal(windowOnCoreShare(parseBenchLine(STREAK).fields), 99 / 101);
});

t.test('a guest without the window is judged over the section, and says so', async (t) => {
  const p = pointOf([runOf(OLD)]);
  t.equal(p.opsPerSec[0], 2000 / 0.2);
  t.equal(p.onCore[0], 99 / 200);
  t.ok(Number.isNaN(p.windowNs[0]!) && Number.isNaN(p.alone[0]!));
  t.match(notContended({ cmpxchg: p }), /longest section: the threads took turns or one went on alone/);
  t.match(describe(p), /over the whole section \(the guest prints no window\)/);
  t.ok(Number.isNaN(windowOnCoreShare(parseBenchLine(OLD).fields)));
});

t.test('threads that took turns inside the window are not contended', async (t) => {
  const turns = STREAK.replace('wcpu=99000000:100000000', 'wcpu=50000000:51000000');
  t.match(notContended({ tlbexcl: pointOf([runOf(turns)]) }), /less than 80% of the contended window: the threads took turns/);
});

t.test('failed try-locks per acquisition: over the window\'s ops, else the section\'s', async (t) => {
  const p = pointOf([runOf(STREAK), runOf(OLD), runOf(STREAK.replace(' fails=5', ''))]);
  t.equal(p.failsPerOp[0], 5 / 1100, 'the failures fall in the window: over its 1100 ops, not the section\'s 2000');
  t.equal(p.failsPerOp[1], 5 / 2000, 'no window: over the section');
  t.ok(Number.isNaN(p.failsPerOp[2]!), 'a guest that counts no failures');
  const h = handOverRuns(p);
  t.equal(h.length, 2, 'the runs without failures counted are left out');
  t.equal(h[0]!.fails, 5 / 1100);
  t.ok(Math.abs(h[0]!.ns - 101e6 / 1100) < 1e-6, `ns per acquisition over the window: ${h[0]!.ns}`);
});
