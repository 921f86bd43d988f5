// Steady single-thread speed (issue 14): guest MIPS of a compute workload
// (bench/guest/parallel-compute, 1 thread) under mttcg and qemu-arm in the
// same session, their ratio (target >= 0.5x; the long goal 1x) and the spread
// of identical runs (target: max/min <= 1.15 over 10 runs on a quiet host;
// qemu-arm's own spread is printed beside it). The guest times its own work
// section (after an untimed warm-up of half as many units); its thread CPU
// time is printed too, which a loaded host disturbs less than wall time. The
// instruction count comes from one extra mttcg --stats run (qemu-arm runs the
// same ELF with the same arguments, so it executes the same instructions).
//
//   node dist/bench/speed/single-thread.js [--units N] [--repeat N] [--core N | --no-gauge] [--no-retake]
//
// The two peers' runs alternate, and each run is printed with the growth
// of the host's steal, interrupt and context-switch counters over it
// (bench/lib/host-counters.ts), and with how much slower than its best a
// gauge loop ran on the run's core during its timed section
// (bench/lib/core-gauge.ts; both peers pinned to core 0, --core N): on this
// virtual machine the host slows one core at a time for a fraction of a
// second to a few seconds, with no steal or other counter of this machine
// moving, and a run in such a stretch is slow whatever it runs
// (reports/measurements/speed.md, "Session 10: why one run is slow"). The
// spread is then also given over the runs whose core ran within +10% of its
// best, retaking pairs (at most 2 x --repeat more) until each peer has
// --repeat such runs (--no-retake: only the first --repeat pairs). The first
// target line is always over the first --repeat runs, whatever their core.
// --no-gauge runs the peers unpinned and without gauges.

import { join } from 'node:path';
import { hostLine, median, option, spread, timed } from '../lib/figures.js';
import { counterGrowth, describeGrowth, readHostCounters, type HostCounters } from '../lib/host-counters.js';
import { type BenchLine, CLI, parseBenchLine, qemuVersion, ROOT, runUnderMttcg } from '../lib/peers.js';
import { CoreGauges, gaugedCores, slowdownText, UNDISTURBED } from '../lib/core-gauge.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: number): number => option(argv, name, def);
const units = opt('units', 40000);
const repeat = opt('repeat', 10);
const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
const args = ['1', String(units)];
const gauge = gaugedCores(argv).length > 0;
const core = opt('core', 0);
const retake = !argv.includes('--no-retake');

interface Run {
  readonly ms: number;
  readonly cpuMs: number;
  readonly line: BenchLine;
  /** What the whole machine did during the run (undefined off Linux). */
  readonly host: HostCounters | undefined;
}

function runOnce(cmd: string, cmdArgs: readonly string[]): Run {
  const before = readHostCounters();
  const r = gauge ? timed('taskset', ['-c', String(core), cmd, ...cmdArgs]) : timed(cmd, cmdArgs);
  const after = readHostCounters();
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(0, 400)}`);
  const line = parseBenchLine(r.stdout);
  const host = before && after ? counterGrowth(before, after) : undefined;
  return { ms: line.ns / 1e6, cpuMs: Number(line.fields.cpu) / 1e6, line, host };
}

console.log(hostLine());
console.log(`command: node dist/bench/speed/single-thread.js --units ${units} --repeat ${repeat}`);
// Instructions of the timed section: the whole run minus a zero-unit run, times the timed share (the rest is the warm-up).
const full = runUnderMttcg(elf, args);
const base = runUnderMttcg(elf, ['1', '0']);
const timedShare = full.line.ops / (full.line.ops + Number(full.line.fields.warmup ?? 0));
const insns = ((full.guestInsns ?? 0) - (base.guestInsns ?? 0)) * timedShare;
console.log(`workload: parallel-compute, 1 thread, ${units} units, ${(insns / 1e6).toFixed(1)} M guest instructions in the timed section`);

// mttcg's and qemu-arm's runs alternate, so that a run disturbed by the host
// has its peer's neighbouring run beside it (printed per run below).
const version = qemuVersion();
const gauges = gauge ? await CoreGauges.start([core, core === 0 ? 1 : 0]) : null;
if (gauges) console.log(`both peers pinned to core ${core}, with a gauge on each core`);
// The core's slowdown over a run's timed section (NaN: no gauge, or no sample in the section).
const slowdownOf = (r: Run): number => {
  if (!gauges) return NaN;
  const from = Number(r.line.fields.start);
  return gauges.slowdown(core, from, from + r.line.ns).ratio;
};
const undisturbed = (rs: readonly Run[]): Run[] => rs.filter((r) => slowdownOf(r) <= UNDISTURBED);
const all: { m: Run[]; q: Run[] } = { m: [], q: [] };
const pair = (): void => {
  all.m.push(runOnce(process.execPath, [CLI, 'run', elf, ...args]));
  if (version) all.q.push(runOnce('qemu-arm', [elf, ...args]));
};
for (let i = 0; i < repeat; i++) pair();
// Retaken: pairs run on until each peer has `repeat` runs on an undisturbed
// core (at most 2 x repeat more pairs), so that the second target line has as
// many runs as the first; the first line keeps the first `repeat` pairs.
let retaken = 0;
const short = (): boolean => undisturbed(all.m).length < repeat || (version !== null && undisturbed(all.q).length < repeat);
while (gauges && retake && short() && retaken < 2 * repeat) {
  pair();
  retaken++;
}
const m = all.m.slice(0, repeat);
const q = all.q.slice(0, repeat);
const mCore = all.m.map(slowdownOf);
const qCore = all.q.map(slowdownOf);
await gauges?.stop();
// Each run beside what the host did meanwhile; a run whose thread CPU is over
// 1.15x its peer's fastest is marked, with its neighbouring peer run's figure.
const fastest = (rs: readonly Run[]): number => Math.min(...rs.map((r) => r.cpuMs));
const mark = (r: Run, rs: readonly Run[]): string => (r.cpuMs > 1.15 * fastest(rs) ? ' SLOW' : '');
const coreText = (x: number | undefined): string =>
  x === undefined || !gauges ? '' : Number.isNaN(x) ? ', core: no gauge sample' : `, core ${slowdownText(x)}${x > UNDISTURBED ? ' (slowed)' : ''}`;
for (let i = 0; i < all.m.length; i++) {
  const mr = all.m[i]!;
  if (i === repeat) console.log(`  retaken (${retaken} more pairs, until each peer had ${repeat} runs on an undisturbed core):`);
  console.log(`  run ${i + 1}: mttcg ${mr.ms.toFixed(2)} ms, thread CPU ${mr.cpuMs.toFixed(2)}${mark(mr, m)} (host: ${describeGrowth(mr.host)}${coreText(mCore[i])})`);
  const qr = all.q[i];
  if (qr) console.log(`         qemu-arm ${qr.ms.toFixed(2)} ms, thread CPU ${qr.cpuMs.toFixed(2)}${mark(qr, q)} (host: ${describeGrowth(qr.host)}${coreText(qCore[i])})`);
}
const mips = (ms: number): number => insns / (ms * 1e3);
const ratioOf = (xs: readonly number[]): string => (Math.max(...xs) / Math.min(...xs)).toFixed(2);
console.log(`mttcg:    ${spread(m.map((r) => r.ms), 'ms')}; ${mips(median(m.map((r) => r.ms))).toFixed(1)} guest MIPS; max/min ${ratioOf(m.map((r) => r.ms))}`);
console.log(`          thread CPU ${spread(m.map((r) => r.cpuMs), 'ms')}; max/min ${ratioOf(m.map((r) => r.cpuMs))}`);
if (version) {
  console.log(`qemu-arm: ${spread(q.map((r) => r.ms), 'ms')}; ${mips(median(q.map((r) => r.ms))).toFixed(1)} guest MIPS; max/min ${ratioOf(q.map((r) => r.ms))} (${version})`);
  console.log(`          thread CPU ${spread(q.map((r) => r.cpuMs), 'ms')}; max/min ${ratioOf(q.map((r) => r.cpuMs))}`);
  const wallRatio = median(q.map((r) => r.ms)) / median(m.map((r) => r.ms));
  const cpuRatio = median(q.map((r) => r.cpuMs)) / median(m.map((r) => r.cpuMs));
  console.log(`ratio mttcg/qemu-arm (speed): ${wallRatio.toFixed(3)}x by guest wall time, ${cpuRatio.toFixed(3)}x by thread CPU time; target >= 0.5x: ${wallRatio >= 0.5 ? 'met' : 'missed'}`);
} else {
  console.log('qemu-arm: not installed, no ratio');
}
console.log(`spread target max/min <= 1.15 (quiet host): ${Number(ratioOf(m.map((r) => r.ms))) <= 1.15 ? 'met' : 'missed'}`);
if (gauges) {
  // The same figure over the runs whose core the host did not slow (its gauge within +10% of its best).
  // The first `repeat` runs of each peer on an undisturbed core, retaken ones included.
  const calm = (rs: readonly Run[], slow: readonly number[]): Run[] => rs.filter((_, i) => (slow[i] ?? NaN) <= UNDISTURBED).slice(0, repeat);
  const mc = calm(all.m, mCore);
  const qc = calm(all.q, qCore);
  const f = (rs: readonly Run[], key: 'ms' | 'cpuMs'): string => (rs.length >= 2 ? ratioOf(rs.map((r) => r[key])) : '-');
  console.log(`on an undisturbed core (gauge within +10% of its best): mttcg ${mc.length} runs of ${all.m.length}, max/min ${f(mc, 'ms')} by wall, ${f(mc, 'cpuMs')} by thread CPU; qemu-arm ${qc.length} runs of ${all.q.length}, max/min ${f(qc, 'ms')} by wall, ${f(qc, 'cpuMs')} by thread CPU`);
  if (mc.length >= 2) console.log(`spread target max/min <= 1.15 over ${mc.length} runs on an undisturbed core${mc.length < repeat ? ` (fewer than ${repeat}: the host slowed the core too often)` : ''}: ${mc.length === repeat && Number(f(mc, 'ms')) <= 1.15 ? 'met' : 'missed'}`);
}
