// bench/speed/timed-window-cpu.ts's windowOf: a timed section's CPU and
// run-queue wait per host thread, from samples taken every few milliseconds
// (interpolated at the section's edges); the busiest threads other than the
// main thread are the vCPUs, every thread is listed by its place among the
// process's thread ids.

import t from 'tap';
import { perThreadText, windowOf, type Sample } from '../../../bench/speed/timed-window-cpu.js';

// Samples [at ms, cpu ms so far, wait ms so far] of one thread running at `cpuPerMs` and waiting at `waitPerMs`.
const steady = (cpuPerMs: number, waitPerMs: number): Sample[] =>
  [0, 10, 20, 30, 40].map((at) => [at, at * cpuPerMs, at * waitPerMs] as const);

t.test('the busiest threads but the main one are the vCPUs, each thread at its rank by id', async (t) => {
  const tasks = new Map<string, Sample[]>([
    ['500', steady(1, 0)], // the main thread, the busiest of all: never a vCPU
    ['507', steady(0.9, 0.1)],
    ['503', steady(0.05, 0.5)], // a V8 platform thread, say
    ['508', steady(0.8, 0.2)],
    ['509', steady(0, 0)], // idle throughout
  ]);
  const w = windowOf(500, tasks, 5, 25, 2, 0.5);
  t.equal(w.windowMs, 20);
  t.same(w.perThread.map((p) => [p.tid, p.rank, p.role]), [
    [500, 0, 'main'], [503, 1, 'other'], [507, 2, 'vcpu'], [508, 3, 'vcpu'], [509, 4, 'other'],
  ]);
  // Interpolated at 5 and 25 ms between the samples at 0, 10, 20 and 30.
  t.same(w.vcpuCpuMs.map((c) => Number(c.toFixed(6))), [18, 16], 'the vCPUs busiest first');
  t.same(w.vcpuWaitMs.map((c) => Number(c.toFixed(6))), [2, 4]);
  t.equal(Number(w.otherCpuMs.toFixed(6)), 21, 'the main thread (20) and the platform thread (1)');
  t.equal(w.overlap, 0.5);
  t.equal(perThreadText(w), '#0(main) 20.0/0.0, #1 1.0/10.0, #2(vcpu) 18.0/2.0, #3(vcpu) 16.0/4.0', 'idle threads left out');
});

t.test('a thread first seen inside the section counts from zero', async (t) => {
  const tasks = new Map<string, Sample[]>([
    ['10', steady(0.01, 0)],
    ['11', [[20, 2, 0], [30, 12, 1]]], // started between the samples at 10 and 20
  ]);
  const w = windowOf(10, tasks, 0, 30, 1, 0);
  t.same(w.vcpuCpuMs, [12]);
  t.same(w.vcpuWaitMs, [1]);
});
