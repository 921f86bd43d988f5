// Why one run of the steady single-thread benchmark is slower than an
// identical one (issue 14's spread target): single-thread.ts's workload
// (bench/guest/parallel-compute, one thread), mttcg's runs alternating with
// qemu-arm's, and beside each mttcg run's section thread CPU every counter
// that could differ between runs, grown over the timed section (mttcg's
// section probe, MTTCG_SECTION_PROBE, src/machine/section-probe.ts):
//
//   guest:  guest instructions, TBs translated, regions compiled, region
//           entries and poll exits, TLB fills, slow loads and stores;
//   V8:     garbage collections and their pause in the vCPU's isolate; with
//           --trace-v8, the optimisations finished and the deoptimisations
//           in the section (node --trace-opt --trace-deopt, the probe's
//           records in the same stream);
//   OS:     the vCPU thread's migrations, involuntary switches, wait for a
//           core, minor faults, the core it ran on; the CPU of the
//           process's other threads; the other core's busy time;
//   core:   how much slower than its best a fixed loop ran on the peer's
//           core, and on the other core, during the section: a gauge thread
//           per core samples it every 5 ms (bench/lib/core-gauge.ts). Both
//           peers run pinned to one core (--core, default 0) so that the
//           section's core is known; --no-gauge runs them unpinned, without.
//
// Then, for every counter, its median in the slow runs (over 1.15x the
// fastest) against the fast ones, and its rank correlation with the
// section's thread CPU over all runs: a cause is a counter that moves with
// the slowness.
//
//   node dist/bench/speed/steady-counters.js [--units N] [--repeat N] [--trace-v8] [--core N | --no-gauge]

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostLine, median, option, timed } from '../lib/figures.js';
import { type BenchLine, CLI, parseBenchLine, qemuVersion, ROOT } from '../lib/peers.js';
import { parseProbeRecords, sectionGrowth, timedSections, type SectionGrowth } from '../lib/section-growth.js';
import { countV8Events, type V8Events } from '../lib/v8-trace-events.js';
import { rankCorrelation } from '../lib/rank-correlation.js';
import { CoreGauges } from '../lib/core-gauge.js';
import { cpus } from 'node:os';

const argv = process.argv.slice(2);
const units = option(argv, 'units', 40000);
const repeat = option(argv, 'repeat', 10);
const traceV8 = argv.includes('--trace-v8');
const gauge = !argv.includes('--no-gauge');
const core = option(argv, 'core', 0);
const otherCore = core === 0 ? 1 : 0;
/** The command pinned to the peers' core when gauging. */
const pin = (cmd: string, cmdArgs: readonly string[]): [string, string[]] => (gauge ? ['taskset', ['-c', String(core), cmd, ...cmdArgs]] : [cmd, [...cmdArgs]]);
const elf = join(ROOT, 'bench', 'guest', 'parallel-compute.elf');
const args = ['1', String(units)];

/** A section's core slowdown (the gauge's mean in it over its best), on the peer's core and the other one. */
interface CoreSlowdown {
  readonly same: number;
  readonly other: number;
  readonly samples: number;
}

interface MttcgRun {
  readonly cpuMs: number;
  readonly line: BenchLine;
  readonly growth: SectionGrowth;
  readonly v8: V8Events | null;
}

function runMttcg(): MttcgRun {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-probe-'));
  const file = join(dir, 'probe.jsonl');
  try {
    // With --trace-v8 the probe writes into stdout, where V8's trace lines go (line-buffered by
    // stdbuf, so that both keep their order), and the section's events lie between its two records.
    const [cmd, cmdArgs] = traceV8
      ? pin('stdbuf', ['-oL', process.execPath, '--trace-opt', '--trace-deopt', CLI, 'run', elf, ...args])
      : pin(process.execPath, [CLI, 'run', elf, ...args]);
    const r = timed(cmd, cmdArgs, { env: { ...process.env, MTTCG_SECTION_PROBE: traceV8 ? '-' : file } });
    if (r.status !== 0) throw new Error(`mttcg failed (${r.status}): ${r.stderr.slice(0, 400)}`);
    const line = parseBenchLine(r.stdout);
    const text = traceV8 ? r.stdout : readFileSync(file, 'utf8');
    const sections = timedSections(parseProbeRecords(text));
    if (sections.length !== 1) throw new Error(`expected one timed section, found ${sections.length}`);
    const [start, end] = sections[0]!;
    return {
      cpuMs: Number(line.fields.cpu) / 1e6,
      line,
      growth: sectionGrowth(start, end),
      v8: traceV8 ? countV8Events(r.stdout, start, end) : null,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runQemu(): BenchLine {
  const r = timed(...pin('qemu-arm', [elf, ...args]));
  if (r.status !== 0) throw new Error(`qemu-arm failed (${r.status}): ${r.stderr.slice(0, 400)}`);
  return parseBenchLine(r.stdout);
}

const cpuOf = (l: BenchLine): number => Number(l.fields.cpu) / 1e6;

/** How much slower the cores ran during a BENCH line's section (null without gauges). */
function coreSlowdown(gauges: CoreGauges | null, l: BenchLine): CoreSlowdown | null {
  if (gauges === null) return null;
  const from = Number(l.fields.start);
  const to = from + l.ns;
  const same = gauges.slowdown(core, from, to);
  return { same: same.ratio, other: gauges.slowdown(otherCore, from, to).ratio, samples: same.n };
}

console.log(hostLine());
console.log(`command: node dist/bench/speed/steady-counters.js --units ${units} --repeat ${repeat}${traceV8 ? ' --trace-v8' : ''}`);
if (gauge && cpus().length < 2) throw new Error('the core gauges need two cores (or --no-gauge)');
const gauges = gauge ? await CoreGauges.start([core, otherCore]) : null;
if (gauge) console.log(`both peers pinned to core ${core}; a gauge on cores ${core} and ${otherCore}`);
const haveQemu = qemuVersion() !== null;
const m: MttcgRun[] = [];
const qLines: BenchLine[] = [];
for (let i = 0; i < repeat; i++) {
  m.push(runMttcg());
  if (haveQemu) qLines.push(runQemu());
}
console.log(hostLine());
// The gauges' baselines are their best over the whole benchmark, so the slowdowns are read at the end.
const mCore = m.map((r) => coreSlowdown(gauges, r.line));
const qCore = qLines.map((l) => coreSlowdown(gauges, l));
await gauges?.stop();
const q = qLines.map(cpuOf);
const pct = (x: number): string => (Number.isNaN(x) ? '?' : `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(0)}%`);
const coreText = (c: CoreSlowdown | null): string => (c ? ` [core ${pct(c.same)}, other core ${pct(c.other)}]` : '');

/** The counters compared, each a number per run. */
const counters: [string, (r: MttcgRun) => number][] = [
  ['guest insns (M)', (r) => (r.growth.guest.guestInsns ?? 0) / 1e6],
  ['TBs translated', (r) => r.growth.guest.tbsTranslated ?? 0],
  ['regions compiled', (r) => r.growth.guest.regionsCompiled ?? 0],
  ['region entries', (r) => r.growth.guest.regionEntries ?? 0],
  ['region poll exits', (r) => r.growth.guest.regionPollExits ?? 0],
  ['TB execs (interp)', (r) => r.growth.guest.tbExecs ?? 0],
  ['TLB fills', (r) => r.growth.guest.tlbFills ?? 0],
  ['slow loads+stores', (r) => (r.growth.guest.slowLoads ?? 0) + (r.growth.guest.slowStores ?? 0)],
  ['GCs', (r) => r.growth.gcCount],
  ['GC pause ms', (r) => r.growth.gcMs],
  ['migrations', (r) => r.growth.migrations],
  ['invol. switches', (r) => r.growth.involuntarySwitches],
  ['vol. switches', (r) => r.growth.voluntarySwitches],
  ['wait ms', (r) => r.growth.waitMs],
  ['minor faults', (r) => r.growth.minorFaults],
  ['other threads ms', (r) => r.growth.otherThreadsMs],
  ['other core busy ms', (r) => r.growth.otherCoresBusyMs],
];
if (gauges) {
  counters.push(['core slowdown x', (r) => mCore[m.indexOf(r)]!.same], ['other core slowdown x', (r) => mCore[m.indexOf(r)]!.other]);
}
if (traceV8) {
  counters.push(['V8 optimisations', (r) => r.v8!.optimised], ['V8 compile ms', (r) => r.v8!.compileMs], ['V8 deopts', (r) => r.v8!.deopts], ['V8 OSR', (r) => r.v8!.osr]);
}

const fastest = Math.min(...m.map((r) => r.cpuMs));
const slow = (r: MttcgRun): boolean => r.cpuMs > 1.15 * fastest;
const qFastest = Math.min(...q);
m.forEach((r, i) => {
  const g = r.growth;
  const qs = q[i] === undefined ? '' : `; qemu-arm ${q[i]!.toFixed(2)}${q[i]! > 1.15 * qFastest ? ' SLOW' : ''}${coreText(qCore[i] ?? null)}`;
  console.log(`run ${i + 1}: mttcg thread CPU ${r.cpuMs.toFixed(2)} ms${slow(r) ? ' SLOW' : ''}${coreText(mCore[i] ?? null)}${qs}`);
  console.log(`   guest ${((g.guest.guestInsns ?? 0) / 1e6).toFixed(2)} M insns, ${g.guest.tbsTranslated} TBs, ${g.guest.regionsCompiled} regions compiled, ${g.guest.regionEntries} entries, ${g.guest.regionPollExits} poll exits, ${g.guest.tlbFills} TLB fills; ` +
    `GC ${g.gcCount} (${g.gcMs.toFixed(2)} ms); OS: core ${g.cores[0]}->${g.cores[1]}, ${g.migrations} migrations, ${g.involuntarySwitches} invol./${g.voluntarySwitches} vol. switches, wait ${g.waitMs.toFixed(2)} ms, ${g.minorFaults} minor faults; ` +
    `other threads ${g.otherThreadsMs.toFixed(2)} ms, other core busy ${g.otherCoresBusyMs} ms` +
    (r.v8 ? `; V8 ${r.v8.optimised} optimised, ${r.v8.osr} OSR, ${r.v8.deopts} deopts${r.v8.names.length ? ` (${r.v8.names.join(', ')})` : ''}` : ''));
});

const cpu = m.map((r) => r.cpuMs);
const slowRuns = m.filter(slow);
const fastRuns = m.filter((r) => !slow(r));
console.log(`mttcg thread CPU: median ${median(cpu).toFixed(2)} ms, min ${Math.min(...cpu).toFixed(2)}, max ${Math.max(...cpu).toFixed(2)}, n=${cpu.length}; max/min ${(Math.max(...cpu) / Math.min(...cpu)).toFixed(2)}; ${slowRuns.length} SLOW`);
if (q.length) console.log(`qemu-arm thread CPU: median ${median(q).toFixed(2)} ms, min ${Math.min(...q).toFixed(2)}, max ${Math.max(...q).toFixed(2)}; max/min ${(Math.max(...q) / Math.min(...q)).toFixed(2)}`);
console.log('counter: median in SLOW runs / in the others; rank correlation with the section\'s thread CPU (all runs)');
const med = (rs: readonly MttcgRun[], f: (r: MttcgRun) => number): string => (rs.length ? median(rs.map(f)).toFixed(2) : '-');
for (const [name, f] of counters) {
  const rho = rankCorrelation(cpu, m.map(f));
  console.log(`  ${name.padEnd(22)} ${med(slowRuns, f).padStart(10)} / ${med(fastRuns, f).padStart(10)}   rho ${Number.isNaN(rho) ? '  -  ' : rho.toFixed(2)}`);
}
if (gauges && q.length) {
  const qc = qCore.map((c) => c!.same);
  console.log(`qemu-arm: core slowdown median ${pct(median(qc.filter((x) => !Number.isNaN(x))))}; rank correlation of its thread CPU with its core's slowdown ${rankCorrelation(q, qc).toFixed(2)}`);
}
if (q.length === m.length) console.log(`  ${'qemu-arm CPU, next run'.padEnd(22)} ${med(slowRuns, (r) => q[m.indexOf(r)]!).padStart(10)} / ${med(fastRuns, (r) => q[m.indexOf(r)]!).padStart(10)}   rho ${rankCorrelation(cpu, q).toFixed(2)}`);
