// Cold start (issue 14): the wall time of a whole run of a short program,
// start to exit, under mttcg and under qemu-arm in the same session: static
// busybox `true` (Debian's busybox-static:armel, fetched outside the
// repository by scripts/fetch-busybox.sh) and every conformance program.
// Target: <= 3x qemu-arm. Node's own start-up and a worker's start count
// toward mttcg's time; both are measured alone here (an empty `node -e 0`,
// and a node that starts one empty worker thread) so that what is mttcg's
// own (module loading, the translator, the guest) can be told apart.
// Alongside, one mttcg --stats run per program splits the vCPU's time
// (translation, compilation, guest code, syscalls; wall time), gives the
// vCPU threads' own CPU time and wait for a core (the figure that a loaded
// host disturbs least), and its guest instructions per tier (interpreted, rewritten, inner blocks interpreted,
// regions: docs/translator.md, "Where the time goes"); the start-up phases
// themselves are bench/speed/cold-phases.ts's.
//
// mttcg is timed as a user runs it: the `mttcg` command (bin/mttcg, the
// package's bin), a shell launcher that starts Node on dist/src/cli/main.js.
// NODE_EXTRA_CA_CERTS: Node 20 reads and parses that certificate file at
// every start, before it runs any JavaScript (tens of milliseconds for a
// system bundle). The launcher starts Node without it (mttcg makes no TLS
// connection; the guest still sees it). Where the variable is set, Node
// alone is timed with and without it, and busybox once more as
// `node dist/src/cli/main.js` with it (what the launcher saves). The target
// lines use the launcher's rows, with the environment as it is, so with the
// solo phase's hints (src/machine/solo-hint.ts) that a program's first run leaves.
//
// --realtime runs every timed command (mttcg, qemu-arm and Node alone) under
// SCHED_FIFO (bench/lib/realtime.ts), so that on a host busy with other work
// each run gets the cores it can use; the ratios then compare the programs,
// not their waits for a core.
//
//   node dist/bench/speed/cold-start.js [--repeat 10] [--only busybox|NAME] [--realtime]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFORMANCE_PROGRAMS } from '../../harness/conformance.js';
import { busyboxPath, guestElf } from '../../harness/guest-runner.js';
import { hostLine, median, spread, textOption, timed } from '../lib/figures.js';
import { BIN, CLI, qemuVersion, ROOT } from '../lib/peers.js';
import { hintsDir, SOLO_HINTS_LOAD_ENV } from '../../src/machine/solo-hint.js';
import { checkRealtime, REALTIME_RUN_LIMIT_MS, realtimeCommand, realtimeRequested, schedulingLine } from '../lib/realtime.js';

const argv = process.argv.slice(2);
const opt = (name: string, def: string): string => textOption(argv, name, def);
const repeat = Number(opt('repeat', '10'));
const only = opt('only', '');
const TARGET = 3;
const realtime = realtimeRequested(argv);
if (realtime) checkRealtime();

interface Program {
  readonly name: string;
  readonly elf: string;
  readonly args: readonly string[];
}

function programs(): Program[] {
  const out: Program[] = [];
  const bb = busyboxPath();
  if (bb) out.push({ name: 'busybox true', elf: bb, args: ['true'] });
  else console.log('busybox: not fetched (sh scripts/fetch-busybox.sh); left out');
  for (const p of CONFORMANCE_PROGRAMS) out.push({ name: p.name, elf: guestElf(p.name), args: p.args });
  return out.filter((p) => !only || p.name.startsWith(only));
}

/**
 * Wall milliseconds of `repeat` runs (the exit status is the program's own; it is not checked here).
 * Under --realtime a run that takes longer than REALTIME_RUN_LIMIT_MS is killed and the
 * program's remaining runs are left out: an empty list.
 */
function walls(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number[] {
  const out: number[] = [];
  const [c, a] = realtimeCommand(cmd, args);
  for (let i = 0; i < repeat; i++) {
    const r = timed(c, a, { env, timeoutMs: realtime ? REALTIME_RUN_LIMIT_MS : undefined });
    if (r.timedOut) {
      console.log(`${cmd} ${args.join(' ')}: killed after ${REALTIME_RUN_LIMIT_MS / 1000} s under SCHED_FIFO (a thread spinning on one that gets no core); left out`);
      return [];
    }
    out.push(r.seconds * 1000);
  }
  return out;
}

const CA_ENV = 'NODE_EXTRA_CA_CERTS';
/** The environment without NODE_EXTRA_CA_CERTS, or null when it is not set. */
const withoutCa: NodeJS.ProcessEnv | null = process.env[CA_ENV] ? Object.fromEntries(
  Object.entries(process.env).filter(([k]) => k !== CA_ENV)) : null;

const WORKER_ONLY = "const { Worker } = require('node:worker_threads'); " +
  "new Worker('require(\"node:worker_threads\").parentPort.postMessage(0)', { eval: true }).once('message', () => process.exit(0));";

/** The vCPU's time split from one --stats run (ms), summed over threads. */
function split(p: Program): string {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-cold-'));
  const file = join(dir, 'stats.json');
  spawnSync(BIN, ['run', '--stats-json', file, p.elf, ...p.args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  try {
    const t = (JSON.parse(readFileSync(file, 'utf8')) as { totals: Record<string, number> }).totals;
    const f = (k: string): string => (t[k] ?? 0).toFixed(0);
    const insns = t.guestInsns ?? 0;
    const pct = (k: string): string => (insns > 0 ? ((100 * (t[k] ?? 0)) / insns).toFixed(1) : '-');
    const ms = (k: string): string => ((t[k] ?? 0) / 1e6).toFixed(1);
    return `vCPU ms: translate ${f('time.translateMs')}, compile ${f('time.compileMs')}, code ${f('time.codeMs')}, ` +
      `syscalls ${f('time.syscallMs')}, helpers ${f('time.helperMs')}; TBs ${t.tbsTranslated ?? 0}, regions ${t.regionsCompiled ?? 0}\n` +
      `${''.padEnd(18)} vCPU threads' CPU ${ms('vcpuCpuNs')} ms, waiting for a core ${ms('vcpuRunqueueWaitNs')} ms ` +
      '(the split above is wall time; on a loaded host the thread CPU is the figure to compare)\n' +
      `${''.padEnd(18)} ${(insns / 1e6).toFixed(2)} M guest insns: % interpreted ${pct('interpInsns')}, rewritten ${pct('rewrittenInsns')}, ` +
      `inner blocks ${pct('innerInsns')}, regions ${pct('regionInsns')}`;
  } catch {
    return 'no --stats record';
  }
}

console.log(hostLine());
console.log(`command: node dist/bench/speed/cold-start.js --repeat ${repeat}${only ? ` --only ${only}` : ''}${realtime ? ' --realtime' : ''}`);
console.log(schedulingLine());
const haveQemu = qemuVersion() !== null;
if (!haveQemu) console.log('qemu-arm: not installed, no ratios');
const nodeAlone = walls(process.execPath, ['-e', '0']);
const nodeWorker = walls(process.execPath, ['-e', WORKER_ONLY]);
console.log(`node -e 0:                 ${spread(nodeAlone, 'ms', 1)}`);
console.log(`node + one empty worker:   ${spread(nodeWorker, 'ms', 1)}`);
if (withoutCa) {
  console.log(`${CA_ENV} is set (${process.env[CA_ENV]}): Node reads it at every start`);
  console.log(`node -e 0 without it:      ${spread(walls(process.execPath, ['-e', '0'], withoutCa), 'ms', 1)}`);
  console.log(`node + worker without it:  ${spread(walls(process.execPath, ['-e', WORKER_ONLY], withoutCa), 'ms', 1)}`);
}
console.log(`mttcg: ${BIN} (a launcher: Node starts without ${CA_ENV})`);
const hints = hintsDir();
// A program's first run below leaves its hint (docs/translator.md "Start-up"); the median is of its later runs' kind.
console.log(`solo-phase hints: ${hints === null ? 'off' : `${hints}, used below load ${process.env[SOLO_HINTS_LOAD_ENV] || 'the cores'}`}`);
console.log('program            mttcg ms (median, min..max)     qemu-arm ms                 ratio   mttcg minus node+worker');
const missed: string[] = [];
for (const p of programs()) {
  const m = walls(BIN, ['run', p.elf, ...p.args]);
  if (m.length === 0) {
    missed.push(`${p.name} (not measured)`);
    continue;
  }
  const q = haveQemu ? walls('qemu-arm', [p.elf, ...p.args]) : [];
  const ratio = q.length ? median(m) / median(q) : NaN;
  const own = median(m) - median(nodeWorker);
  const cell = (xs: number[]): string => (xs.length ? `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}..${Math.max(...xs).toFixed(1)})` : '-');
  console.log(`${p.name.padEnd(18)} ${cell(m).padEnd(31)} ${cell(q).padEnd(27)} ${Number.isNaN(ratio) ? '-' : `${ratio.toFixed(1)}x`.padEnd(7)} ${own.toFixed(1)} ms`);
  console.log(`${''.padEnd(18)} ${split(p)}`);
  if (ratio > TARGET) missed.push(`${p.name} ${ratio.toFixed(1)}x`);
  if (withoutCa && p.name === 'busybox true') {
    const m2 = walls(process.execPath, [CLI, 'run', p.elf, ...p.args]);
    console.log(`${'  node main.js'.padEnd(18)} ${cell(m2).padEnd(31)} ${''.padEnd(27)} ` +
      `${q.length ? `${(median(m2) / median(q)).toFixed(1)}x` : '-'}`);
  }
}
console.log(`target <= ${TARGET}x qemu-arm wall time: ${missed.length ? `missed for ${missed.join(', ')}` : 'met'}`);
console.log(`(repository: ${ROOT})`);
