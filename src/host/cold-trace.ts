// Cold-start phase marks (issue 14, docs/translator.md "Cold start"). With
// MTTCG_COLD_TRACE=1 in the environment, each mark writes one line to stderr:
//
//   mttcg-cold: <ms since the process started> <thread> <phase>
//
// where the process's start is the main thread's performance.timeOrigin
// (Node's own start, before V8 and its bootstrap) and <thread> is `main` or
// `w<threadId>` (a vCPU worker: `vcpu<slot>` once it has named itself). A worker measures from the same origin: the main thread puts
// it in the environment the workers inherit. Without the variable a mark is
// one test of a constant. Written with writeSync so that the lines keep their
// order and survive process.exit().

import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { isMainThread, threadId } from 'node:worker_threads';

export const COLD_TRACE_ENV = 'MTTCG_COLD_TRACE';
const ORIGIN_ENV = 'MTTCG_COLD_ORIGIN';

const enabled = Boolean(process.env[COLD_TRACE_ENV]);
const origin = isMainThread ? performance.timeOrigin : Number(process.env[ORIGIN_ENV] ?? performance.timeOrigin);
if (enabled && isMainThread) process.env[ORIGIN_ENV] = String(performance.timeOrigin);
let who = isMainThread ? 'main' : `w${threadId}`;

/** Names this thread in the marks (a vCPU worker: its slot). */
export function coldTraceLabel(label: string): void {
  who = label;
}

/** Milliseconds since the process started (the main thread's time origin). */
export function sinceProcessStart(): number {
  return performance.timeOrigin + performance.now() - origin;
}

function line(ms: number, phase: string): void {
  writeSync(2, `mttcg-cold: ${ms.toFixed(2)} ${who} ${phase}\n`);
}

/** Marks the end of a start-up phase (nothing unless MTTCG_COLD_TRACE is set). */
export function coldMark(phase: string): void {
  if (enabled) line(sinceProcessStart(), phase);
}

/** Node's own start-up phases (main thread): when V8 started, the environment was made, bootstrap ended. */
export function coldMarkNodeStart(): void {
  if (!enabled || !isMainThread) return;
  const t = performance.nodeTiming;
  line(t.v8Start, 'node: V8 started');
  line(t.environment, 'node: environment created');
  line(t.bootstrapComplete, 'node: bootstrap complete');
}

/** Marks the process's exit (the 'exit' event) with the CPU time of all its threads so far. */
export function coldMarkExit(): void {
  if (!enabled) return;
  process.once('exit', () => {
    const cpu = process.cpuUsage();
    coldMark(`process exit event cpu=${((cpu.user + cpu.system) / 1000).toFixed(1)}`);
  });
}
