// Latency of an asynchronous signal to a thread that spins without
// syscalls (bench/signals/signal-latency.c): from just before tgkill to the
// handler's first instruction, under mttcg and under qemu-arm in the same
// run, and the host's own floor for the same exchange between two plain
// Node threads (host-floor.ts; what of mttcg's latency is the host's
// scheduling and what is mttcg's). Each run prints percentiles of its
// samples; the script repeats runs and reports each percentile's median over
// runs with its range, and the host's load average.
//
//   node dist/bench/signals/latency.js [--samples N] [--runs R]

import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI, parseBenchLine, qemuVersion, ROOT } from '../lib/peers.js';
import { summary } from './bench-summary.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const samples = opt('samples', 200);
const runs = opt('runs', 5);
const elf = join(ROOT, 'bench', 'signals', 'signal-latency.elf');
const PERCENTILES = ['min', 'p50', 'p90', 'p99', 'max'] as const;

type Row = Record<(typeof PERCENTILES)[number], number>;

function run(cmd: string, args: readonly string[]): Row {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  const f = parseBenchLine(r.stdout).fields;
  return Object.fromEntries(PERCENTILES.map((p) => [p, Number(f[p])])) as Row;
}

const load0 = loadavg();
const peers: [string, string, string[]][] = [['mttcg', process.execPath, [CLI, 'run', elf, String(samples)]]];
if (qemuVersion()) peers.push(['qemu-arm', 'qemu-arm', [elf, String(samples)]]);
peers.push(['host floor (two Node threads)', process.execPath, [fileURLToPath(new URL('./host-floor.js', import.meta.url)), String(samples)]]);
const rows = new Map<string, Row[]>(peers.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, cmd, args] of peers) rows.get(name)!.push(run(cmd, args));
  process.stderr.write(`run ${i + 1}/${runs} done\n`);
}
const load1 = loadavg();

console.log(`signal latency to a spinning thread (tgkill to handler entry), ${samples} samples per run, ${runs} runs`);
console.log(`host: ${availableParallelism()} CPUs, load average ${load0.map((x) => x.toFixed(1)).join(' ')} at the start, ${load1.map((x) => x.toFixed(1)).join(' ')} at the end`);
for (const [name] of peers) {
  const rs = rows.get(name)!;
  const parts = PERCENTILES.map((p) => `${p} ${summary(rs.map((r) => r[p] / 1e3)).text((x) => `${x.toFixed(0)} us`)}`);
  console.log(`${name}:\n  ${parts.join('\n  ')}`);
}
if (rows.has('qemu-arm')) {
  const m = rows.get('mttcg')!;
  const q = rows.get('qemu-arm')!;
  console.log(`p50 ratio mttcg/qemu-arm: ${summary(m.map((r, i) => r.p50 / q[i]!.p50)).text((x) => `${x.toFixed(1)}x`)}`);
} else {
  console.log('qemu-arm: not installed, no ratio');
}
