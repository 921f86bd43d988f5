// What signal support costs code that takes no signal, on a compute
// benchmark (bench/guest/parallel-compute, one thread): the poll of the
// pending-request word at every back-edge of compiled regions and between
// chained TBs (how an asynchronous signal, a cross-vCPU request or a code
// change reaches a thread that makes no syscall), and the liveness rule that
// keeps every register and flag exact at each memory access (what a fault
// handler sees). Each is measured by switching it off
// (src/emulator/shared/signal-cost-switches.ts: without the poll, regions
// read the code epoch instead, as a translator without requests would) in
// runs interleaved with default runs. A second default run in every round
// gives the A/A floor: what two identical builds differ by on this host, the
// noise an A/B figure must be read against. qemu-arm runs the same ELF in
// the same rounds for the ratio the project reports everywhere.
//
//   node dist/bench/signals/poll-cost.js [--units N] [--rounds R]
//
// Figures: per round, the ratio default / other of the working thread's CPU
// time (from --stats-json, vcpuCpuNs) and of the guest's own timing of its
// work section (wall); the median over rounds with the range and quartiles.
// The load average is printed before and after.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, parseBenchLine, qemuVersion, ROOT, runUnderQemu } from '../lib/peers.js';
import { summary } from './bench-summary.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
};
const units = opt('units', 20000);
const rounds = opt('rounds', 9);
const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
const args = ['1', String(units)];

interface Variant {
  readonly name: string;
  readonly env: Record<string, string>;
}
const VARIANTS: readonly Variant[] = [
  { name: 'default', env: {} },
  // The same build again: the A/A floor.
  { name: 'default-again', env: {} },
  { name: 'no-poll', env: { MTTCG_NO_PENDING_POLL: '1' } },
  { name: 'no-fault-liveness', env: { MTTCG_NO_FAULT_LIVENESS: '1' } },
];
const WHAT: Record<string, string> = {
  'default-again': 'A/A floor (two identical default runs)',
  'no-poll': 'pending-word poll',
  'no-fault-liveness': 'exact registers at faults (liveness)',
};

interface Sample {
  readonly wallNs: number;
  readonly cpuNs: number;
}

function runVariant(v: Variant): Sample {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-pollcost-'));
  try {
    const statsFile = join(dir, 'stats.json');
    const r = spawnSync(process.execPath, [CLI, 'run', '--stats-json', statsFile, elf, ...args], {
      encoding: 'utf8', env: { ...process.env, ...v.env }, maxBuffer: 16 << 20,
    });
    if (r.status !== 0) throw new Error(`mttcg (${v.name}) failed (${r.status}): ${r.stderr}`);
    const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { threads: { guestInsns: number; vcpuCpuNs: number }[] };
    // The working thread: the one that ran the most guest instructions.
    const worker = stats.threads.reduce((a, b) => (b.guestInsns > a.guestInsns ? b : a));
    return { wallNs: parseBenchLine(r.stdout).ns, cpuNs: worker.vcpuCpuNs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const load0 = loadavg();
process.stderr.write(`poll-cost: ${rounds} rounds of ${VARIANTS.map((v) => v.name).join(', ')}, qemu-arm; parallel-compute 1 ${units}\n`);
const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v.name, []]));
const qemu: number[] = [];
const haveQemu = qemuVersion() !== null;
for (let round = 0; round < rounds; round++) {
  // Alternate the order, so that a drift of the host's load hits every variant alike.
  const order = round % 2 ? [...VARIANTS].reverse() : VARIANTS;
  for (const v of order) samples.get(v.name)!.push(runVariant(v));
  if (haveQemu) qemu.push(runUnderQemu(elf, args).line.ns);
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}
const load1 = loadavg();

const base = samples.get('default')!;
console.log(`signal-support cost, parallel-compute (1 thread, ${units} units), ${rounds} interleaved rounds`);
console.log(`host: ${availableParallelism()} CPUs, load average ${load0.map((x) => x.toFixed(1)).join(' ')} at the start, ${load1.map((x) => x.toFixed(1)).join(' ')} at the end`);
const pct = (r: number): string => `${((r - 1) * 100).toFixed(2)}%`;
const ratios = (name: string, of: (s: Sample) => number) => {
  const other = samples.get(name)!;
  return summary(base.map((s, i) => of(s) / of(other[i]!)));
};
const floor = ratios('default-again', (s) => s.cpuNs);
for (const v of VARIANTS.slice(1)) {
  const cpu = ratios(v.name, (s) => s.cpuNs);
  const wall = ratios(v.name, (s) => s.wallNs);
  const label = v.name === 'default-again' ? `${WHAT[v.name]}: difference` : `${WHAT[v.name]}: cost`;
  console.log(`${label} ${cpu.text(pct)} of the worker's CPU time; guest wall ${wall.text(pct)}`);
}
// An A/B median inside the floor's quartiles cannot be told from two identical builds.
console.log(`A/A floor: quartiles ${pct(floor.q1)}..${pct(floor.q3)} (${((floor.q3 - floor.q1) * 100).toFixed(2)} points wide); ` +
  'an A/B median inside them is not distinguishable from noise in this run');
const cpuMs = summary(base.map((s) => s.cpuNs / 1e6));
console.log(`default mttcg: worker CPU ${cpuMs.text((x) => `${x.toFixed(0)} ms`)}`);
if (qemu.length) {
  const ratio = summary(base.map((s, i) => s.wallNs / qemu[i]!));
  console.log(`mttcg/qemu-arm guest wall time (same rounds): ${ratio.text((x) => `${x.toFixed(2)}x`)} (${qemuVersion()})`);
} else {
  console.log('qemu-arm: not installed, no ratio');
}
