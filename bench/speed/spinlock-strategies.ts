// A 2-vCPU LDREX/STREX spinlock under every strategy (issue 14: correct LL/SC
// costs little more than cmpxchg: tlbexcl and aie with stores=always within 2x
// of cmpxchg's throughput), beside qemu-arm in the same session, over each
// run's contended window (bench.h: until the first thread finished its
// acquisitions; the lock goes in streaks and the other thread then runs
// alone), the whole section's figures beside them (atomic-point.ts):
// bench/guest/spinlock ldrex, 2 threads (acquire with LDREX/STREX, DMB, two
// plain read-modify-writes on the lock's line, DMB, release by a plain
// store). For each strategy the counters per lock acquisition (of one more
// run, with --stats: the timed runs go without it, bench/lib/peers.ts) say
// where its cost goes (helpers, slow-path and flagged stores, TLB flushes,
// stop-the-world sections, futex waits); docs/translator.md reads them. The
// counters cover the whole run, warm-up included: a store the cold tier
// sends to its slow path before the loop's region is compiled counts too.
//
// The peers run in interleaved rounds (atomic-rounds.ts): each round runs
// every strategy and qemu-arm once, the order rotated from round to round,
// so that a slow stretch of the host hits every peer alike. A target's
// figure is the median over the rounds of the per-round ratio to cmpxchg,
// with an order-statistic interval of that median (bench/lib/median-interval.ts):
// met when the whole interval is >= 0.5x, missed when it is wholly below,
// else undecided (always with fewer than 6 rounds: no 95% interval). Beside
// it, each strategy's ns per acquisition against its failed try-locks per
// acquisition (how often the lock changed hands, which differs from run to
// run) and both at a matched failure rate (bench/lib/hand-over.ts).
//
// The default section, 2 x 1,000,000 acquisitions (about 0.2 s under
// cmpxchg, 1-2 s under tlbexcl and aie), is long beside the few
// milliseconds of V8 compilation a vCPU worker may still do on its own
// thread inside it (a region recompiled at a path first taken there):
// 2 x 100,000 (about 25 ms) held 20-35 ms of such stalls
// (reports/measurements/speed.md). Every run is killed after --limit-s
// seconds (a spinning guest under --realtime can livelock).
//
//   node dist/bench/speed/spinlock-strategies.js [--ops N] [--repeat ROUNDS] [--strategies SPEC,...] [--limit-s S] [--realtime] [--no-gauge]
//
// --realtime (or MTTCG_BENCH_REALTIME=1) runs the emulators under SCHED_FIFO
// (bench/lib/realtime.ts), each run killed (SIGKILL) at --limit-s.
//
// A gauge on each core (bench/lib/core-gauge.ts; --no-gauge: none) gives
// each run's slowest core, printed per point once every point has run (it
// gets no samples where the emulators run under SCHED_FIFO).

import { join } from 'node:path';
import { defaultSpecTexts, parseStrategySpec } from '../../src/torture/strategy-spec.js';
import { hostLine, textOption } from '../lib/figures.js';
import { qemuVersion, ROOT } from '../lib/peers.js';
import { CoreGauges, gaugedCores } from '../lib/core-gauge.js';
import { checkRealtime, realtimeRequested, schedulingLine } from '../lib/realtime.js';
import { coreLine, counterLine, describe, type AtomicPoint } from './atomic-point.js';
import { pointsOfRounds, roundFigures, roundLine, runRounds, runsOf, type Peer } from './atomic-rounds.js';
import { handOverLines, relativeLines, targetLine } from './paired-targets.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => textOption(argv, name, def);
const ops = Number(opt('ops', '1000000'));
const limitMs = 1000 * Number(opt('limit-s', '120'));
if (!(limitMs > 0)) throw new Error('--limit-s takes a positive number of seconds');
const repeat = Number(opt('repeat', '9'));
if (!(Number.isInteger(repeat) && repeat > 0)) throw new Error('--repeat takes a positive whole number of rounds');
const realtime = realtimeRequested(argv);
if (realtime) checkRealtime();
const specs = opt('strategies', defaultSpecTexts().join(',')).split(',').map(parseStrategySpec);
const elf = join(ROOT, 'bench', 'guest', 'spinlock.elf');
const args = ['2', String(ops), 'ldrex'];
const COUNTERS = [/^atomic\./, /^slowStores$/, /^flaggedStores$/, /^tlbPageFlushes$/, /^tlbFullFlushes$/, /^flushRequestsServed$/,
  /^parks$/, /^stopTheWorldSections$/, /^tlbFlushRequests$/, /^futexWaits$/, /^syscalls$/];

console.log(hostLine());
console.log(`command: node dist/bench/speed/spinlock-strategies.js --ops ${ops} --repeat ${repeat} --strategies ${specs.map((s) => s.text).join(',')} --limit-s ${limitMs / 1000}${realtime ? ' --realtime' : ''}`);
console.log(`workload: spinlock ldrex, 2 threads, ${ops} acquisitions per thread`);
console.log(schedulingLine());
const cores = gaugedCores(argv);
const gauges = cores.length ? await CoreGauges.start(cores) : null;
const peers: Peer[] = [...specs.map((s) => ({ name: s.text, runArgs: s.runArgs })), ...(qemuVersion() ? [{ name: 'qemu-arm', runArgs: null }] : [])];
console.log(`${repeat} rounds, each runs every peer once (order rotated by one each round); per round each peer's window M ops/s (failed try-locks per acquisition):`);
const rounds = runRounds(elf, args, peers, repeat, limitMs, (i, runs) => console.log(roundLine(i, runs)));
const points = new Map<string, AtomicPoint>();
for (const [name, p] of pointsOfRounds(elf, args, peers, rounds, limitMs)) {
  if (typeof p === 'string') {
    // `unsafe` may fail its own check or hang in glibc: a failed point is data, not a failed benchmark.
    console.log(`${name.padEnd(28)} failed: ${p}`);
    continue;
  }
  points.set(name, p);
  const failed = rounds.length - runsOf(rounds, name).length;
  console.log(`${name.padEnd(28)} ${describe(p)}${failed ? ` (${failed} of ${rounds.length} runs failed)` : ''}`);
  if (name !== 'qemu-arm') console.log(`${''.padEnd(28)} per acquisition: ${counterLine(p, COUNTERS)}`);
}
if (gauges) {
  console.log('the cores during each run (a gauge per core; +10% or less counts as undisturbed):');
  for (const [name, p] of points) console.log(`  ${name.padEnd(28)} ${coreLine(p, gauges, cores)}`);
  await gauges.stop();
}
if (points.has('cmpxchg')) {
  const data = { points, windows: roundFigures(rounds), sections: roundFigures(rounds, (p) => p.sectionOpsPerSec[0]!), base: 'cmpxchg' };
  for (const l of relativeLines(data)) console.log(l);
  for (const l of handOverLines(data)) console.log(l);
  for (const name of ['tlbexcl', 'aie:aie-stores=always']) {
    const l = targetLine(data, name, 0.5);
    if (l) console.log(l);
  }
}
