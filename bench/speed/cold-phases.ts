// Where a cold start's wall time goes (issue 14): runs one program under
// `mttcg run` (bin/mttcg, as a user runs it) with MTTCG_COLD_TRACE=1 (src/host/cold-trace.ts) `repeat`
// times and prints, for each phase mark, the median time since the process
// started and the median length of the phase that ends there, in wall time
// in the thread's own CPU time and in its wait for a core, with the spread; then the process's CPU time (every thread) at exit and the wall
// time the parent saw. A worker's marks are named by its vCPU slot (vcpu0
// runs the guest, vcpu1 is the pool's spare); a phase is the time since the
// thread's previous mark, or for a worker's first mark since the main
// thread's last mark before it.
//
// --realtime runs each mttcg under SCHED_FIFO (bench/lib/realtime.ts): on a
// host busy with other work the run then gets the cores it can use, so its
// phases are those of a quiet host rather than its waits for a core.
//
//   node dist/bench/speed/cold-phases.js [--repeat 10] [--program busybox|NAME] [--realtime] [-- extra mttcg run options]

import { CONFORMANCE_PROGRAMS } from '../../harness/conformance.js';
import { busyboxPath, guestElf } from '../../harness/guest-runner.js';
import { hostLine, median, textOption, timed } from '../lib/figures.js';
import { BIN } from '../lib/peers.js';
import { checkRealtime, REALTIME_RUN_LIMIT_MS, realtimeCommand, realtimeRequested, schedulingLine } from '../lib/realtime.js';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash >= 0 ? argv.slice(0, dash) : argv;
const extra = dash >= 0 ? argv.slice(dash + 1) : [];
const repeat = Number(textOption(own, 'repeat', '10'));
const programName = textOption(own, 'program', 'busybox');
const realtime = realtimeRequested(own);
if (realtime) checkRealtime();

function program(): { elf: string; args: readonly string[] } {
  if (programName === 'busybox') {
    const bb = busyboxPath();
    if (!bb) throw new Error('busybox is not fetched (sh scripts/fetch-busybox.sh)');
    return { elf: bb, args: ['true'] };
  }
  const p = CONFORMANCE_PROGRAMS.find((c) => c.name === programName);
  if (!p) throw new Error(`no conformance program ${programName}`);
  return { elf: guestElf(p.name), args: p.args };
}

const MARK = /^mttcg-cold: ([0-9.]+) (\S+) (.*?)(?: cpu=([0-9.]+))? tcpu=(-?[0-9.]+) twait=(-?[0-9.]+)$/;

interface Run {
  readonly marks: Map<string, number>;
  /** Each mark's thread CPU time (ms), -1 where unknown. */
  readonly tcpu: Map<string, number>;
  /** Each mark's thread time waiting for a core (ms), -1 where unknown. */
  readonly twait: Map<string, number>;
  readonly order: string[];
  readonly cpu: number;
  readonly wall: number;
}

/** One run's marks, keyed `thread phase`. */
function parse(stderr: string, wall: number): Run {
  const marks = new Map<string, number>();
  const tcpu = new Map<string, number>();
  const twait = new Map<string, number>();
  const order: string[] = [];
  let cpu = NaN;
  for (const line of stderr.split('\n')) {
    const m = MARK.exec(line);
    if (!m) continue;
    const key = `${m[2]} ${m[3]}`;
    if (m[4]) cpu = Number(m[4]);
    if (!marks.has(key)) {
      marks.set(key, Number(m[1]));
      tcpu.set(key, Number(m[5]));
      twait.set(key, Number(m[6]));
      order.push(key);
    }
  }
  return { marks, tcpu, twait, order, cpu, wall };
}

const cell = (xs: number[]): string =>
  xs.length ? `${median(xs).toFixed(1).padStart(7)} (${Math.min(...xs).toFixed(1)}..${Math.max(...xs).toFixed(1)})` : '-';

const { elf, args } = program();
console.log(hostLine());
console.log(`command: node dist/bench/speed/cold-phases.js --repeat ${repeat} --program ${programName}${own.includes('--realtime') ? ' --realtime' : ''}${extra.length ? ` -- ${extra.join(' ')}` : ''}`);
console.log(schedulingLine());
const runs: Run[] = [];
for (let i = 0; i < repeat; i++) {
  const [cmd, cmdArgs] = realtimeCommand(BIN, ['run', ...extra, elf, ...args]);
  const r = timed(cmd, cmdArgs, { env: { ...process.env, MTTCG_COLD_TRACE: '1' }, timeoutMs: realtime ? REALTIME_RUN_LIMIT_MS : undefined });
  if (r.timedOut) throw new Error(`killed after ${REALTIME_RUN_LIMIT_MS / 1000} s under SCHED_FIFO (a thread spinning on one that gets no core)`);
  runs.push(parse(r.stderr, r.seconds * 1000));
}
// Marks in the order of their median times.
const keys: string[] = [];
for (const r of runs) for (const k of r.order) if (!keys.includes(k)) keys.push(k);
keys.sort((a, b) => median(runs.flatMap((r) => r.marks.get(a) ?? [])) - median(runs.flatMap((r) => r.marks.get(b) ?? [])));
console.log(`${'mark'.padEnd(44)} ${'at ms, median (min..max)'.padEnd(26)} ${'phase wall ms'.padEnd(26)} ${'phase thread CPU ms'.padEnd(26)} waiting for a core ms`);
const thread = (k: string): string => k.slice(0, k.indexOf(' '));
/** The mark a phase starts at in run r: the thread's previous mark, else the main thread's last one before t. */
function phaseStart(r: Run, k: string, t: number): number {
  let best = -1;
  let bestMain = 0;
  for (const [other, at] of r.marks) {
    if (other === k || at > t) continue;
    if (thread(other) === thread(k)) best = Math.max(best, at);
    else if (thread(other) === 'main') bestMain = Math.max(bestMain, at);
  }
  return best >= 0 ? best : bestMain;
}
/** A thread clock's advance in the phase ending at k: since the thread's previous mark that has it, or since it started. */
function phaseClock(r: Run, clock: Map<string, number>, k: string): number[] {
  const c = clock.get(k);
  if (c === undefined || c < 0) return [];
  let prev = 0;
  for (const other of r.order) {
    if (other === k) break;
    const oc = clock.get(other)!;
    if (thread(other) === thread(k) && oc >= 0) prev = oc;
  }
  return [c - prev];
}
for (const k of keys) {
  const at = runs.flatMap((r) => r.marks.get(k) ?? []);
  const len = runs.flatMap((r) => {
    const t = r.marks.get(k);
    return t === undefined ? [] : [t - phaseStart(r, k, t)];
  });
  console.log(`${k.padEnd(44)} ${cell(at).padEnd(26)} ${cell(len).padEnd(26)} ` +
    `${cell(runs.flatMap((r) => phaseClock(r, r.tcpu, k))).padEnd(26)} ${cell(runs.flatMap((r) => phaseClock(r, r.twait, k)))}`);
}
console.log(`${'process CPU time at exit, all threads'.padEnd(44)} ${cell(runs.map((r) => r.cpu))}`);
/** Each traced thread's CPU time at its last mark (a worker's teardown after it is not seen). */
function lastCpuByThread(r: Run): Map<string, number> {
  const last = new Map<string, number>();
  for (const k of r.order) {
    const c = r.tcpu.get(k)!;
    if (c >= 0) last.set(thread(k), c);
  }
  return last;
}
const threads = [...new Set(runs.flatMap((r) => [...lastCpuByThread(r).keys()]))].sort();
for (const th of threads) {
  console.log(`${`  ${th} CPU at its last mark`.padEnd(44)} ${cell(runs.flatMap((r) => lastCpuByThread(r).get(th) ?? []))}`);
}
// The rest: V8's background threads (optimising compiler, GC helpers), libuv's pool, workers' teardown.
console.log(`${'  the other threads, by difference'.padEnd(44)} ${cell(runs.map((r) =>
  r.cpu - [...lastCpuByThread(r).values()].reduce((a, b) => a + b, 0)))}`);
console.log(`${'wall time seen by the parent'.padEnd(44)} ${cell(runs.map((r) => r.wall))}`);
console.log(hostLine());
