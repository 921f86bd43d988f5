// How V8 optimises the translator and the guest's compiled regions in a vCPU
// worker. By default V8 compiles optimised code on a background thread and
// installs it when the job is done; the timing of that install against the
// guest's run decides what the hot region's optimised code looks like, and in
// about one run in four to six of the steady benchmark (parallel-compute, one
// thread) the same region JavaScript then ran at half speed for the whole
// timed section (thread CPU 118-139 ms against 59-72 ms; reports/measurements/
// speed.md). With the optimising compiler running on the vCPU's own thread the
// slow mode did not appear in 59 runs, the median was unchanged (67.9 ms) and
// cold start was within the noise (busybox `true` and conf-compute, 10
// interleaved runs). On a small host it also leaves the other core to the
// other vCPUs instead of a background compiler. V8's flags are process-wide,
// but V8 gives an isolate its background compiler when it creates the
// isolate: the first worker's setting reaches the workers made after it
// (every created thread, where the benchmarks' work runs), not the first
// worker itself (docs/translator.md, Steady speed and Start-up).
// MTTCG_CONCURRENT_RECOMPILATION=1 keeps V8's default, for comparisons.

import { setFlagsFromString } from 'node:v8';

let applied = false;

/** Makes V8 optimise on the thread that runs the code (once per process). */
export function optimiseOnTheRunningThread(): void {
  if (applied || process.env.MTTCG_CONCURRENT_RECOMPILATION === '1') return;
  applied = true;
  setFlagsFromString('--no-concurrent-recompilation');
}
