// Parallel scaling of independent work (issue 14: 1 -> 2 vCPU speedup >= 1.7x,
// with qemu-arm's in the same session beside it): bench/guest/parallel-compute
// at 1, 2 (and more) threads under mttcg and qemu-arm. Throughput is the work
// units of all threads per second of the guest's own timing. The runs go in
// rounds, each round every point once in a rotated order; a speedup is the
// median over rounds of that round's n-vCPU throughput over its 1-vCPU one,
// with the order-statistic interval of the median, and the target's verdict
// is met, missed or undecided by that interval (bench/lib/paired-ratio.ts). The
// BENCH line's overlap evidence (chunks during which another thread
// progressed) says whether the threads really ran at the same time: a point
// where they took turns is not scaling data. The default size gives mttcg's
// 1-vCPU point a timed section of about 0.2 s on a quiet host: one JIT
// recompilation of the cpu loop (some 20-40 ms of a background thread) must
// not be a third of it.
//
//   node dist/bench/speed/scaling-parallel.js [--units N] [--repeat N] [--vcpus 1,2] [--realtime] [--no-gauge]
//
// --realtime: both emulators under SCHED_FIFO (lib/realtime.ts, contended-atomics.ts).
//
// A gauge thread on each core (bench/lib/core-gauge.ts) times a fixed loop
// every 5 ms: on this virtual machine the host slows one core at a time,
// with no counter of the machine moving (reports/measurements/speed.md,
// "Session 10: why one run is slow"), and a 2-vCPU point whose section fell
// in such a stretch runs at the slowed core's pace whatever runs it. Each
// point also gives its runs' worst core slowdown, and the speedup is also
// given over the rounds whose two runs had all cores within +10% of their best.
// The peers are not pinned (a 2-vCPU run needs both cores). --no-gauge:
// no gauges.
//
// Each n-vCPU point also gives how its sections' wall time split
// (section-split.ts): the section over its busiest thread's CPU (the time
// that thread was not running guest work: waits for a core, the emulator's
// own work) and the threads' CPU max/min for equal work (one thread on a
// slowed core ends the section late). Together with the rate by thread CPU
// they account for the wall rate: units per second of the section = units
// per thread-CPU second x n x (the threads' mean CPU / the busiest's) / (the
// section / the busiest thread's CPU) (session 16).

import { join } from 'node:path';
import { cpus } from 'node:os';
import { checkRealtime, realtimeRequested, schedulingLine } from '../lib/realtime.js';
import { hostLine, median, spread, textOption } from '../lib/figures.js';
import { qemuVersion, ROOT, runUnderMttcg, runUnderQemu, type PeerRun } from '../lib/peers.js';
import { CoreGauges, gaugedCores, slowdownText, UNDISTURBED } from '../lib/core-gauge.js';
import { pairedRatio, pairedText, perRoundRatios, rotatedOrder, verdictText, type PairedRatio } from '../lib/paired-ratio.js';
import { verdictOf } from '../lib/median-interval.js';
import { sectionSplit, type SectionSplit } from './section-split.js';

const argv = process.argv.slice(2);
const realtime = realtimeRequested(argv);
if (realtime) checkRealtime();
const opt = (name: string, def: string): string => textOption(argv, name, def);
const units = Number(opt('units', '100000'));
const repeat = Number(opt('repeat', '9'));
const vcpus = opt('vcpus', '1,2').split(',').map(Number);
const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
const haveQemu = qemuVersion() !== null;
const TARGET = 1.7;

const gaugeCores = gaugedCores(argv);

// cpuRate: units per second of the threads' own CPU time over the section (bench.h's cpu=, one figure per
// thread, CLOCK_THREAD_CPUTIME_ID under either emulator): what each thread did while it had a core.
interface Point { readonly rate: number; readonly cpuRate: number; readonly overlap: number; readonly start: number; readonly ns: number; readonly split: SectionSplit }
const threadCpuNs = (r: PeerRun): number => (r.line.fields.cpu ?? '').split(':').reduce((a, x) => a + Number(x), 0);
const point = (r: PeerRun): Point => ({
  rate: r.line.ops / (r.line.ns / 1e9),
  cpuRate: r.line.ops / (threadCpuNs(r) / 1e9),
  overlap: Number(r.line.fields.concurrent ?? 0) / Math.max(1, Number(r.line.fields.chunks ?? 1)),
  start: Number(r.line.fields.start),
  ns: r.line.ns,
  split: sectionSplit(r.line),
});

console.log(hostLine());
console.log(schedulingLine());
console.log(`command: node dist/bench/speed/scaling-parallel.js --units ${units} --repeat ${repeat} --vcpus ${vcpus.join(',')}${realtime ? ' --realtime' : ''}`);
console.log(`host: ${cpus().length} cores; points above ${cpus().length} vCPUs are oversubscribed`);
console.log(`workload: parallel-compute, ${units} units per thread`);
const gauges = gaugeCores.length ? await CoreGauges.start(gaugeCores) : null;
if (gauges) console.log(`a gauge on each of cores ${gaugeCores.join(', ')} (the peers unpinned)`);
// The slowest core over a run's timed section (NaN without gauges or samples), against each gauge's best so far.
const worstCore = (p: Point): number => (gauges ? gauges.worstSlowdown(gaugeCores, p.start, p.start + p.ns) : NaN);
// Rounds: each round runs every (peer, vCPUs) point once, in an order rotated from round to round, so that the
// host's drift over the bench lands on both sides of each speedup (bench/lib/paired-ratio.ts).
type Config = { readonly n: number; readonly peer: 'mttcg' | 'qemu-arm' };
const configs: Config[] = vcpus.flatMap((n) => (['mttcg', 'qemu-arm'] as const).filter((p) => p === 'mttcg' || haveQemu).map((peer) => ({ n, peer })));
const runs = new Map<Config, Point[]>(configs.map((c) => [c, []]));
for (let round = 0; round < repeat; round++) {
  for (const c of rotatedOrder(configs, round)) {
    const args = [String(c.n), String(units)];
    runs.get(c)!.push(point(c.peer === 'mttcg' ? runUnderMttcg(elf, args) : runUnderQemu(elf, args)));
  }
}
// Read once every round has run: each gauge's best over the whole bench is the baseline.
const slowdowns = new Map(configs.map((c) => [c, runs.get(c)!.map(worstCore)] as const));
await gauges?.stop();
const configOf = (peer: string, n: number): Config | undefined => configs.find((c) => c.peer === peer && c.n === n);
const rates = (c: Config): number[] => runs.get(c)!.map((p) => p.rate);
// A round counts as undisturbed for a speedup when both its runs had every core within +10% of its best.
const calmRates = (c: Config, base: Config): number[] =>
  runs.get(c)!.map((p, i) => (slowdowns.get(c)![i]! <= UNDISTURBED && slowdowns.get(base)![i]! <= UNDISTURBED ? p.rate : NaN));
// The speedup the threads' CPU time allows: n x (units per thread-CPU second at n) / (the same at 1 vCPU),
// that is the wall speedup if every thread had had a core of its own all along. It separates what the
// emulator does at n vCPUs (shared state, contention, a second translation of the code) from how much of
// both cores this host gave the run, which on this VM decides the wall figure (speed.md, session 15).
const cpuBound = (c: Config): number[] => runs.get(c)!.map((p) => c.n * p.cpuRate);
const speedups = new Map<string, PairedRatio>();
const cpuSpeedups = new Map<string, PairedRatio>();
const calmSpeedups = new Map<string, PairedRatio>();
for (const c of configs) {
  const base = configOf(c.peer, vcpus[0]!)!;
  const paired = pairedRatio(perRoundRatios(rates(c), rates(base)));
  const overlap = c.n > 1 ? `, overlap ${(100 * median(runs.get(c)!.map((p) => p.overlap))).toFixed(0)}% of chunks` : '';
  const splits = runs.get(c)!.map((p) => p.split);
  const split = c.n > 1
    ? `\n${''.padEnd(16)}section over its busiest thread's CPU ${spread(splits.map((x) => x.wallOverBusiest), 'x', 3)}; threads' CPU max/min ${spread(splits.map((x) => x.cpuMaxOverMin), 'x', 2)}`
    : '';
  let cores = '';
  if (gauges) {
    const slow = slowdowns.get(c)!;
    const calm = runs.get(c)!.filter((_, i) => slow[i]! <= UNDISTURBED);
    cores = `\n${''.padEnd(16)}slowest core per run ${slow.map(slowdownText).join(' ')}; ${calm.length} undisturbed${calm.length ? `: ${spread(calm.map((p) => p.rate), 'units/s', 0)}` : ''}`;
    if (c !== base) calmSpeedups.set(c.peer + c.n, pairedRatio(perRoundRatios(calmRates(c, base), calmRates(base, base))));
  }
  const cpuPaired = pairedRatio(perRoundRatios(cpuBound(c), cpuBound(base)));
  if (c !== base) {
    speedups.set(c.peer + c.n, paired);
    cpuSpeedups.set(c.peer + c.n, cpuPaired);
  }
  const speedupText = c === base ? 'speedup 1.00x' : `speedup per round ${pairedText(paired)}; by thread CPU ${pairedText(cpuPaired)}`;
  console.log(`${String(c.n).padStart(2)} vCPU ${c.peer.padEnd(8)} ${spread(rates(c), 'units/s', 0)}; ${speedupText}${overlap}${split}${cores}`);
}
const m2 = speedups.get('mttcg2');
if (m2) {
  const q2 = speedups.get('qemu-arm2');
  const verdict = verdictText(m2, verdictOf(m2.interval, TARGET));
  console.log(`1 -> 2 vCPU speedup, median over ${m2.n} rounds: mttcg ${pairedText(m2)}, qemu-arm ${q2 ? pairedText(q2) : '-'}; target >= ${TARGET}x: ${verdict}`);
  const cm2 = cpuSpeedups.get('mttcg2');
  const cq2 = cpuSpeedups.get('qemu-arm2');
  console.log(`the speedup the threads' CPU time allows (each thread a core of its own): mttcg ${cm2 ? pairedText(cm2) : '-'}, qemu-arm ${cq2 ? pairedText(cq2) : '-'}`);
  if (gauges) {
    const cm = calmSpeedups.get('mttcg2');
    const cq = calmSpeedups.get('qemu-arm2');
    console.log(`over the rounds whose two runs had every core within +10% of its best: mttcg ${cm ? pairedText(cm) : '-'}, qemu-arm ${cq ? pairedText(cq) : '-'}`);
  }
}
