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
//   node dist/bench/speed/single-thread.js [--units N] [--repeat N]
//
// The two peers' runs alternate, and each run is printed with the growth
// of the host's steal, interrupt and context-switch counters over it
// (bench/lib/host-counters.ts).

import { join } from 'node:path';
import { hostLine, median, option, spread, timed } from '../lib/figures.js';
import { counterGrowth, describeGrowth, readHostCounters, type HostCounters } from '../lib/host-counters.js';
import { CLI, parseBenchLine, qemuVersion, ROOT, runUnderMttcg } from '../lib/peers.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: number): number => option(argv, name, def);
const units = opt('units', 40000);
const repeat = opt('repeat', 10);
const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
const args = ['1', String(units)];

interface Run {
  readonly ms: number;
  readonly cpuMs: number;
  /** What the whole machine did during the run (undefined off Linux). */
  readonly host: HostCounters | undefined;
}

function runOnce(cmd: string, cmdArgs: readonly string[]): Run {
  const before = readHostCounters();
  const r = timed(cmd, cmdArgs);
  const after = readHostCounters();
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(0, 400)}`);
  const line = parseBenchLine(r.stdout);
  const host = before && after ? counterGrowth(before, after) : undefined;
  return { ms: line.ns / 1e6, cpuMs: Number(line.fields.cpu) / 1e6, host };
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
const m: Run[] = [];
const q: Run[] = [];
for (let i = 0; i < repeat; i++) {
  m.push(runOnce(process.execPath, [CLI, 'run', elf, ...args]));
  if (version) q.push(runOnce('qemu-arm', [elf, ...args]));
}
// Each run beside what the host did meanwhile; a run whose thread CPU is over
// 1.15x its peer's fastest is marked, with its neighbouring peer run's figure.
const fastest = (rs: readonly Run[]): number => Math.min(...rs.map((r) => r.cpuMs));
const mark = (r: Run, rs: readonly Run[]): string => (r.cpuMs > 1.15 * fastest(rs) ? ' SLOW' : '');
for (let i = 0; i < m.length; i++) {
  const mr = m[i]!;
  console.log(`  run ${i + 1}: mttcg ${mr.ms.toFixed(2)} ms, thread CPU ${mr.cpuMs.toFixed(2)}${mark(mr, m)} (host: ${describeGrowth(mr.host)})`);
  const qr = q[i];
  if (qr) console.log(`         qemu-arm ${qr.ms.toFixed(2)} ms, thread CPU ${qr.cpuMs.toFixed(2)}${mark(qr, q)} (host: ${describeGrowth(qr.host)})`);
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
