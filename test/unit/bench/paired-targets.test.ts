// The spinlock bench's closing lines (bench/speed/paired-targets.ts) from
// rounds of BENCH lines (bench/speed/atomic-rounds.ts): the verdict follows
// the per-round ratios, so a host that halves every peer's speed in some
// rounds does not blur it, and the same runs unpaired do not decide.

import t from 'tap';
import { isTargetLine } from '../../../bench/lib/figures.js';
import { parseBenchLine } from '../../../bench/lib/peers.js';
import { pointOf } from '../../../bench/speed/atomic-point.js';
import { roundFigures, roundLine, runsOf, type RoundRun } from '../../../bench/speed/atomic-rounds.js';
import { handOverLines, relativeLines, roundRatios, targetLine, type PairedData } from '../../../bench/speed/paired-targets.js';

/** A 2-thread spinlock BENCH line whose window ran `mops` M ops/s with `fails` failed try-locks per acquisition. */
function line(mops: number, fails: number, onCore = 0.97): string {
  const wops = 1_500_000;
  const window = Math.round(wops / mops * 1e3);
  const ns = Math.round(window * 1.2);
  const cpu = Math.round(window * onCore);
  return `BENCH workload=spinlock-ldrex threads=2 ops=2000000 ns=${ns} checksum=0 check=pass warmup=1000000 ` +
    `cpu=${cpu}:${ns} wall=${window}:${ns} chunks=512 concurrent=20 fails=${Math.round(fails * wops)} start=1 ` +
    `window=${window} wops=${wops} wsplit=1000000:500000 wcpu=${cpu}:${cpu} wwall=${window}:${window}`;
}
const run = (name: string, text: string): RoundRun => ({ name, run: { line: parseBenchLine(text), guestInsns: null, stats: null }, error: null });

// The host's speed per round (a slow stretch halves everything), and each
// strategy's per-round ratio to cmpxchg: tlbexcl 0.57-0.63x in every round.
const HOST = [1, 0.5, 1, 0.5, 0.8, 1, 0.55, 0.9, 0.6];
const TLBEXCL = [0.6, 0.57, 0.62, 0.59, 0.63, 0.58, 0.61, 0.6, 0.59];
const CMPXCHG_FAILS = [0.05, 0.3, 0.1, 0.25, 0.12, 0.06, 0.2, 0.08, 0.15];

function rounds(tlbexclRate: (round: number) => number): RoundRun[][] {
  return HOST.map((h, i) => [
    run('cmpxchg', line(14 * h, CMPXCHG_FAILS[i]!)),
    run('tlbexcl', line(tlbexclRate(i), 0.04 + 0.01 * (i % 5))),
  ]);
}

function data(rs: RoundRun[][]): PairedData {
  const points = new Map(['cmpxchg', 'tlbexcl'].map((n) => [n, pointOf(runsOf(rs, n))]));
  return { points, windows: roundFigures(rs), sections: roundFigures(rs, (p) => p.sectionOpsPerSec[0]!), base: 'cmpxchg' };
}

t.test('paired rounds decide where each peer\'s own runs spread 2x', async (t) => {
  const d = data(rounds((i) => 14 * HOST[i]! * TLBEXCL[i]!));
  const cmpxchgRates = d.points.get('cmpxchg')!.opsPerSec;
  t.ok(Math.max(...cmpxchgRates) / Math.min(...cmpxchgRates) > 1.9, 'cmpxchg alone ran 7-14 M ops/s');
  const l = targetLine(d, 'tlbexcl', 0.5)!;
  t.match(l, /^target tlbexcl within 2x of cmpxchg \(>= 0\.5x\): met \(paired rounds: median 0\.600x, 96\.1% interval 0\.58\d\.\.0\.62\d \(order statistics 2 and 8 of n=9\)/);
  t.match(l, /at a matched hand-over \(0\.0\d\d failed try-locks per acquisition\) \d\.\d{3}x\)$/);
  t.ok(isTargetLine(l), 'all.js collects it');
  t.match(relativeLines(d).join('\n'), /tlbexcl +per round 0\.600 x \(min 0\.570, max 0\.630, n=9\) \[96\.1%: 0\.58\d\.\.0\.62\d\]/);
});

t.test('the same runs out of their rounds decide nothing', async (t) => {
  // tlbexcl's nine rates as above, but each taken in another round than its cmpxchg partner's.
  const shifted = (i: number): number => { const j = (i + 4) % HOST.length; return 14 * HOST[j]! * TLBEXCL[j]!; };
  const d = data(rounds(shifted));
  const l = targetLine(d, 'tlbexcl', 0.5)!;
  t.match(l, /: undecided \(paired rounds: /, l);
  t.ok(isTargetLine(l), 'an undecided target is still collected');
});

t.test('a failed run leaves its round out of the ratios, not the pairing', async (t) => {
  const rs = rounds((i) => 14 * HOST[i]! * TLBEXCL[i]!);
  rs[1]![1] = { name: 'tlbexcl', run: null, error: 'mttcg killed after its time limit of 60000 ms' };
  const l = targetLine(data(rs), 'tlbexcl', 0.5)!;
  t.match(l, /: met \(paired rounds: median 0\.60\dx, 99\.2% interval 0\.58\d\.\.0\.63\d \(order statistics 1 and 8 of n=8\)/, l);
  t.match(roundLine(1, rs[1]!), /^round 2: cmpxchg 7\.00 \(0\.300\), tlbexcl failed: mttcg killed/);
});

t.test('the hand-over lines and a point whose threads took turns', async (t) => {
  const rs = rounds((i) => 14 * HOST[i]! * TLBEXCL[i]!).map(([c], i) => [c!, run('tlbexcl', line(14 * HOST[i]! * TLBEXCL[i]!, 0.05, 0.5))]);
  const d = data(rs);
  const h = handOverLines(d).join('\n');
  t.match(h, /cmpxchg +0\.050:\d+ 0\.060:\d+ .*0\.300:\d+; [-\d.]+ [-+] [\d.]+ x fails ns per acquisition/);
  t.match(h, /tlbexcl +0\.050:\d+ .*; no line \(fewer than two distinct failure rates\)/, 'all of tlbexcl\'s runs at one failure rate: no line');
  t.match(h, /tlbexcl +no matched figure: no line through one of the two, or no failure rate both ran at/);
  t.match(targetLine(d, 'tlbexcl', 0.5)!, /not a contended point: under tlbexcl a thread ran for less than 80% of the contended window/);
  t.equal(targetLine(d, 'aie:aie-stores=always', 0.5), null, 'a strategy that was not run');
});

t.test('ratios are taken within a round; a round missing either side gives none', async (t) => {
  const rounds = [
    new Map([['cmpxchg', 10], ['tlbexcl', 6]]),
    new Map([['cmpxchg', 20]]), // tlbexcl failed in this round
    new Map([['cmpxchg', 30], ['tlbexcl', 18]]),
    new Map([['tlbexcl', 9]]), // cmpxchg failed
    new Map([['cmpxchg', 5], ['tlbexcl', 3]]),
  ];
  // Pairing the i-th tlbexcl run with the i-th cmpxchg run instead would give 6/10, 18/20, 9/30, 3/5.
  t.same(roundRatios(rounds, 'tlbexcl', 'cmpxchg'), [0.6, 0.6, 0.6]);
  t.same(roundRatios(rounds, 'aie', 'cmpxchg'), [], 'a peer with no runs');
});
