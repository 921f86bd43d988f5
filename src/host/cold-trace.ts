// Cold-start phase marks (issue 14, docs/translator.md "Start-up"). With
// MTTCG_COLD_TRACE=1 in the environment, each mark writes one line to stderr:
//
//   mttcg-cold: <ms since the process started> <thread> <phase> tcpu=<ms> twait=<ms>
//
// The process's start is the main thread's performance.timeOrigin (Node's
// own start, before V8 and its bootstrap); a worker measures from the same
// origin, which the main thread puts in the environment workers inherit.
// <thread> is `main`, or a vCPU worker's `vcpu<slot>` once it has named
// itself. tcpu is the thread's own CPU time so far and twait its time
// runnable but waiting for a core (/proc/thread-self/schedstat; -1 where
// there is none): on a loaded host a phase's CPU time is the robust figure,
// its wall time mostly the wait. Without the variable a mark is one test of
// a constant. Lines are written with writeSync, so that they keep their
// order and survive process.exit().

import { readFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { isMainThread, threadId } from 'node:worker_threads';

export const COLD_TRACE_ENV = 'MTTCG_COLD_TRACE';
const ORIGIN_ENV = 'MTTCG_COLD_ORIGIN';

const enabled = Boolean(process.env[COLD_TRACE_ENV]);
const origin = isMainThread ? performance.timeOrigin : Number(process.env[ORIGIN_ENV] ?? performance.timeOrigin);
if (enabled && isMainThread) process.env[ORIGIN_ENV] = String(performance.timeOrigin);
/** This thread's label, on the global object: the bundles carry their own copies of this module. */
const LABEL = Symbol.for('mttcg-lab.cold-trace-label');
const labels = globalThis as Record<symbol, string | undefined>;
labels[LABEL] ??= isMainThread ? 'main' : `w${threadId}`;

/** Names this thread in the marks (a vCPU worker: its slot). */
export function coldTraceLabel(label: string): void {
  labels[LABEL] = label;
}

/** Milliseconds since the process started (the main thread's time origin). */
export function sinceProcessStart(): number {
  return performance.timeOrigin + performance.now() - origin;
}

/** This thread's CPU time and wait for a core so far, in ms, or -1s. */
function threadCpuMs(): [number, number] {
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ');
    return [Number(cpu) / 1e6, Number(wait) / 1e6];
  } catch {
    return [-1, -1];
  }
}

function line(ms: number, phase: string, [cpu, wait]: [number, number]): void {
  writeSync(2, `mttcg-cold: ${ms.toFixed(2)} ${labels[LABEL]} ${phase} tcpu=${cpu.toFixed(2)} twait=${wait.toFixed(2)}\n`);
}

/** Marks the end of a start-up phase (nothing unless MTTCG_COLD_TRACE is set). */
export function coldMark(phase: string): void {
  if (enabled) line(sinceProcessStart(), phase, threadCpuMs());
}

/** Node's own start-up phases (main thread): when V8 started, the environment was made, bootstrap ended. */
export function coldMarkNodeStart(): void {
  if (!enabled || !isMainThread) return;
  const t = performance.nodeTiming;
  line(t.v8Start, 'node: V8 started', [-1, -1]);
  line(t.environment, 'node: environment created', [-1, -1]);
  line(t.bootstrapComplete, 'node: bootstrap complete', [-1, -1]);
}

/** Marks the process's exit (the 'exit' event) with the CPU time of all its threads so far. */
export function coldMarkExit(): void {
  if (!enabled) return;
  process.once('exit', () => {
    const cpu = process.cpuUsage();
    coldMark(`process exit event cpu=${((cpu.user + cpu.system) / 1000).toFixed(1)}`);
  });
}
