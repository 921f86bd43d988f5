// VFP speed: the n-body simulation in doubles (bench/vfp/nbody.c) under
// mttcg and qemu-arm -cpu cortex-a9 in the same run, alternating, repeated.
// The figure is qemu-arm's time over mttcg's time for the same timed steps
// (mttcg's speed as a fraction of qemu-arm's; the target is >= 0.3) on
// process CPU time, which a loaded machine distorts less than wall time
// (wall time is printed too). The guest times only its steady state: a
// warm-up runs first, untimed (20,000 steps by default: the inner loop
// reaches the hot threshold after about 2,000 and its region must then be
// compiled, by mttcg and by V8). Each run's final energy bits must be equal on
// both sides, so every timed run is also a bit-exactness check.
//
// With --modes the exact paths' cost is measured too: the same program under
// round toward zero (every arithmetic op takes the softfloat helper), under
// flush-to-zero, and under round to nearest with the flags cleared before
// every step (the inline fast path needs IXC set), each as mttcg time over
// mttcg's round-to-nearest time (and the same for qemu-arm).
//
//   node dist/bench/vfp/nbody.js [--steps N] [--warmup N] [--repeat N] [--modes]

import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { CLI, parseBenchLine, qemuVersion, ROOT, type BenchLine } from '../lib/peers.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const steps = opt('steps', 100000);
const warmup = opt('warmup', 20000);
const repeat = opt('repeat', 5);
const withModes = argv.includes('--modes');
const ELF = join(ROOT, 'bench', 'vfp', 'nbody.elf');
const QEMU_CPU = ['-cpu', 'cortex-a9'];
const MODES = ['round to nearest', 'round toward zero (exact path)', 'flush-to-zero (exact path)', 'flags cleared every step'];

interface Sample {
  readonly wallNs: number;
  readonly cpuNs: number;
  readonly checksum: string;
}

function sample(line: BenchLine): Sample {
  if (line.fields.check !== 'pass') throw new Error(`nbody self-check failed: ${JSON.stringify(line.fields)}`);
  return { wallNs: line.ns, cpuNs: Number(line.fields.cpu_ns), checksum: line.fields.checksum ?? '' };
}

function runMttcg(args: string[]): Sample {
  const r = spawnSync(process.execPath, [CLI, 'run', ELF, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mttcg failed (${r.status}): ${r.stderr}`);
  return sample(parseBenchLine(r.stdout));
}

function runQemu(args: string[]): Sample {
  const r = spawnSync('qemu-arm', [...QEMU_CPU, ELF, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`qemu-arm failed (${r.status}): ${r.stderr}`);
  return sample(parseBenchLine(r.stdout));
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const spread = (xs: readonly number[]): string => `median ${median(xs).toFixed(3)}, min ${Math.min(...xs).toFixed(3)}, max ${Math.max(...xs).toFixed(3)}`;
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

function measure(mode: number): { m: Sample[]; q: Sample[] } {
  const args = [String(warmup), String(steps), String(mode)];
  const m: Sample[] = [];
  const q: Sample[] = [];
  for (let i = 0; i < repeat; i++) {
    // Alternate the order so that a load change hits both sides alike.
    if (i % 2) {
      q.push(runQemu(args));
      m.push(runMttcg(args));
    } else {
      m.push(runMttcg(args));
      q.push(runQemu(args));
    }
    if (m[i]!.checksum !== q[i]!.checksum) {
      throw new Error(`mode ${mode}: final energy bits differ: mttcg ${m[i]!.checksum}, qemu-arm ${q[i]!.checksum}`);
    }
    process.stderr.write(`mode ${mode}: repeat ${i + 1}/${repeat} done (load ${load()})\n`);
  }
  return { m, q };
}

if (!qemuVersion()) {
  console.log('qemu-arm is not installed: no ratio');
  process.exit(0);
}
console.log(`workload: n-body (5 bodies, doubles), ${warmup} warm-up steps, ${steps} timed steps, ${repeat} alternating repeats`);
console.log(`host: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average at start ${load()}; ${qemuVersion()} ${QEMU_CPU.join(' ')}`);
const base = measure(0);
const cpuRatio = base.m.map((s, i) => base.q[i]!.cpuNs / s.cpuNs);
const wallRatio = base.m.map((s, i) => base.q[i]!.wallNs / s.wallNs);
const perStep = (xs: Sample[], f: (s: Sample) => number): string => `${(median(xs.map(f)) / steps / 1000).toFixed(2)} us/step`;
console.log(`mttcg:    ${perStep(base.m, (s) => s.cpuNs)} CPU, ${perStep(base.m, (s) => s.wallNs)} wall (medians)`);
console.log(`qemu-arm: ${perStep(base.q, (s) => s.cpuNs)} CPU, ${perStep(base.q, (s) => s.wallNs)} wall (medians)`);
console.log(`speed mttcg/qemu-arm (CPU time):  ${spread(cpuRatio)} over ${repeat} pairs`);
console.log(`speed mttcg/qemu-arm (wall time): ${spread(wallRatio)}`);
console.log(`final energy bits equal in every run: ${base.m[0]!.checksum}`);
if (withModes) {
  for (let mode = 1; mode < MODES.length; mode++) {
    const r = measure(mode);
    const mSlow = r.m.map((s, i) => s.cpuNs / base.m[i]!.cpuNs);
    const qSlow = r.q.map((s, i) => s.cpuNs / base.q[i]!.cpuNs);
    console.log(`${MODES[mode]}: mttcg ${perStep(r.m, (s) => s.cpuNs)} CPU, x${median(mSlow).toFixed(2)} of round to nearest ` +
      `(min ${Math.min(...mSlow).toFixed(2)}, max ${Math.max(...mSlow).toFixed(2)}); ` +
      `qemu-arm ${perStep(r.q, (s) => s.cpuNs)}, x${median(qSlow).toFixed(2)}`);
  }
}
console.log(`load average at end ${load()}`);
