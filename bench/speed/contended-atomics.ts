// Contended atomic add (issue 14: >= 0.5x qemu-arm at 2 threads under
// cmpxchg): bench/guest/atomic-add with one shared counter (every op hits
// the same line), 2 threads, LDREX/ADD/STREX retried until the STREX
// succeeds, under mttcg's cmpxchg strategy and under qemu-arm in the same
// session, over each run's contended window (bench.h: until the first thread
// finished its ops; the whole section's figures beside them). A point counts
// as contended only if the threads ran at once (the least busy one for most
// of the window: atomic-point.ts). The default
// size keeps the timed section (some 0.2-0.3 s under mttcg) far longer than
// a host time slice and than a JIT recompilation on a background thread, and
// each chunk (ops / 256 per thread) shorter than a time slice.
//
//   node dist/bench/speed/contended-atomics.js [--ops N] [--repeat N] [--strategy SPEC] [--realtime] [--no-gauge]
//
// A gauge on each core (bench/lib/core-gauge.ts; --no-gauge: none) says
// which runs fell in a stretch where the host slowed a core (it gets no
// samples under --realtime, whose emulators keep both cores).
//
// The runs go in rounds (atomic-rounds.ts): each round runs mttcg and qemu-arm
// once, in an order rotated from round to round, and the target's figure is
// the median of the per-round ratio of the two windows' throughputs, with
// the order-statistic interval of that median and a verdict met / missed /
// undecided by it (bench/lib/paired-ratio.ts, median-interval.ts; 9 rounds
// by default, fewer than 6 give no interval). The ratio of the two medians
// is printed beside it, as before.
//
// --realtime runs both emulators under SCHED_FIFO (lib/realtime.ts): on a
// host busy with other work the two vCPU threads then run side by side
// instead of taking turns, and the point can be contended at all.

import { join } from 'node:path';
import { parseStrategySpec } from '../../src/torture/strategy-spec.js';
import { checkRealtime, realtimeRequested, schedulingLine } from '../lib/realtime.js';
import { hostLine, median, textOption } from '../lib/figures.js';
import { qemuVersion, ROOT } from '../lib/peers.js';
import { CoreGauges, gaugedCores } from '../lib/core-gauge.js';
import { pairedRatio, pairedText, verdictText } from '../lib/paired-ratio.js';
import { verdictOf } from '../lib/median-interval.js';
import { coreLine, counterLine, describe, notContended, type AtomicPoint } from './atomic-point.js';
import { pointsOfRounds, roundFigures, roundLine, runRounds, type Peer } from './atomic-rounds.js';
import { roundRatios } from './paired-targets.js';

const argv = process.argv.slice(2);
const realtime = realtimeRequested(argv);
if (realtime) checkRealtime();
const opt = (name: string, def: string): string => textOption(argv, name, def);
const ops = Number(opt('ops', '2000000'));
const repeat = Number(opt('repeat', '9'));
const spec = parseStrategySpec(opt('strategy', 'cmpxchg'));
const elf = join(ROOT, 'bench', 'guest', 'atomic-add.elf');
const args = ['2', String(ops), '1'];
const TARGET = 0.5;

console.log(hostLine());
console.log(schedulingLine());
console.log(`command: node dist/bench/speed/contended-atomics.js --ops ${ops} --repeat ${repeat} --strategy ${spec.text}${realtime ? ' --realtime' : ''}`);
console.log(`workload: atomic-add, 2 threads, ${ops} ops per thread, one shared counter`);
const cores = gaugedCores(argv);
const gauges = cores.length ? await CoreGauges.start(cores) : null;
const peers: Peer[] = [{ name: 'mttcg', runArgs: spec.runArgs }];
if (qemuVersion()) peers.push({ name: 'qemu-arm', runArgs: null });
console.log(`${repeat} rounds, each runs every peer once (order rotated by one each round); per round each peer's window M ops/s (failed STREX per op):`);
const rounds = runRounds(elf, args, peers, repeat, undefined, (i, runs) => console.log(roundLine(i, runs)));
const points = pointsOfRounds(elf, args, peers, rounds);
const coresOf = (p: AtomicPoint): string => {
  const line = coreLine(p, gauges, cores);
  return line ? `\n  ${line}` : '';
};
const m = points.get('mttcg')!;
const q = points.get('qemu-arm');
if (typeof m === 'string') {
  console.log(`mttcg ${spec.text.padEnd(10)} failed: ${m}`);
} else {
  console.log(`mttcg ${spec.text.padEnd(10)} ${describe(m)}${coresOf(m)}`);
  console.log(`  per op: ${counterLine(m, [/^atomic\./, /^slow/, /^flagged/, /^syscalls$/, /^futex/, /^stopTheWorld/])}`);
}
if (q === undefined) {
  console.log('qemu-arm: not installed, no ratio');
} else if (typeof q === 'string') {
  console.log(`qemu-arm         failed: ${q}`);
} else {
  console.log(`qemu-arm         ${describe(q)}${coresOf(q)}`);
}
if (typeof m !== 'string' && q !== undefined && typeof q !== 'string') {
  const windows = roundFigures(rounds);
  const sections = roundFigures(rounds, (p) => p.sectionOpsPerSec[0]!);
  const paired = pairedRatio(roundRatios(windows, 'mttcg', 'qemu-arm'));
  const pairedSections = pairedRatio(roundRatios(sections, 'mttcg', 'qemu-arm'));
  const ofMedians = median(m.opsPerSec) / median(q.opsPerSec);
  const verdict = verdictOf(paired.interval, TARGET);
  console.log(`ratio mttcg/qemu-arm over the contended windows, per round: ${pairedText(paired, 3)} (over the whole sections ${pairedText(pairedSections, 3)}; ` +
    `the medians' ratio ${ofMedians.toFixed(3)}x); ` +
    `target >= ${TARGET}x: ${verdictText(paired, verdict)}` +
    notContended({ mttcg: m, 'qemu-arm': q }));
}
await gauges?.stop();
