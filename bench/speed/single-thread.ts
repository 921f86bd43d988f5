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

import { join } from 'node:path';
import { hostLine, median, option, spread, timed } from '../lib/figures.js';
import { CLI, parseBenchLine, qemuVersion, ROOT, runUnderMttcg } from '../lib/peers.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: number): number => option(argv, name, def);
const units = opt('units', 40000);
const repeat = opt('repeat', 10);
const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
const args = ['1', String(units)];

interface Run { readonly ms: number; readonly cpuMs: number }

function runs(cmd: string, cmdArgs: readonly string[]): Run[] {
  const out: Run[] = [];
  for (let i = 0; i < repeat; i++) {
    const r = timed(cmd, cmdArgs);
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr.slice(0, 400)}`);
    const line = parseBenchLine(r.stdout);
    out.push({ ms: line.ns / 1e6, cpuMs: Number(line.fields.cpu) / 1e6 });
  }
  return out;
}

console.log(hostLine());
console.log(`command: node dist/bench/speed/single-thread.js --units ${units} --repeat ${repeat}`);
// Instructions of the timed section: the whole run minus a zero-unit run, times the timed share (the rest is the warm-up).
const full = runUnderMttcg(elf, args);
const base = runUnderMttcg(elf, ['1', '0']);
const timedShare = full.line.ops / (full.line.ops + Number(full.line.fields.warmup ?? 0));
const insns = ((full.guestInsns ?? 0) - (base.guestInsns ?? 0)) * timedShare;
console.log(`workload: parallel-compute, 1 thread, ${units} units, ${(insns / 1e6).toFixed(1)} M guest instructions in the timed section`);

const m = runs(process.execPath, [CLI, 'run', elf, ...args]);
const mips = (ms: number): number => insns / (ms * 1e3);
const ratioOf = (xs: readonly number[]): string => (Math.max(...xs) / Math.min(...xs)).toFixed(2);
console.log(`mttcg:    ${spread(m.map((r) => r.ms), 'ms')}; ${mips(median(m.map((r) => r.ms))).toFixed(1)} guest MIPS; max/min ${ratioOf(m.map((r) => r.ms))}`);
console.log(`          thread CPU ${spread(m.map((r) => r.cpuMs), 'ms')}; max/min ${ratioOf(m.map((r) => r.cpuMs))}`);
const version = qemuVersion();
if (version) {
  const q = runs('qemu-arm', [elf, ...args]);
  console.log(`qemu-arm: ${spread(q.map((r) => r.ms), 'ms')}; ${mips(median(q.map((r) => r.ms))).toFixed(1)} guest MIPS; max/min ${ratioOf(q.map((r) => r.ms))} (${version})`);
  console.log(`          thread CPU ${spread(q.map((r) => r.cpuMs), 'ms')}; max/min ${ratioOf(q.map((r) => r.cpuMs))}`);
  const wallRatio = median(q.map((r) => r.ms)) / median(m.map((r) => r.ms));
  const cpuRatio = median(q.map((r) => r.cpuMs)) / median(m.map((r) => r.cpuMs));
  console.log(`ratio mttcg/qemu-arm (speed): ${wallRatio.toFixed(3)}x by guest wall time, ${cpuRatio.toFixed(3)}x by thread CPU time; target >= 0.5x: ${wallRatio >= 0.5 ? 'met' : 'missed'}`);
} else {
  console.log('qemu-arm: not installed, no ratio');
}
console.log(`spread target max/min <= 1.15 (quiet host): ${Number(ratioOf(m.map((r) => r.ms))) <= 1.15 ? 'met' : 'missed'}`);
