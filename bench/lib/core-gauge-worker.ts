// One core's speed gauge (bench/lib/core-gauge.ts): a worker thread pinned to
// its core that, every `periodMs`, times a fixed loop of eight independent
// xorshift chains in registers. The chains keep the core's execution units
// busy (several instructions a cycle), so the loop slows whenever anything
// else shares the physical core's resources: on a virtual machine, another
// tenant's thread on the core's SMT sibling, which no counter of this
// machine shows (it is not steal: the core is never taken away). A sample
// the thread was switched out during (its wait for a core grew) is dropped.
// Samples go to a SharedArrayBuffer: [count, then (monotonic ns, loop ns) pairs].

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';

export interface CoreGaugeWorkerData {
  readonly core: number;
  readonly periodMs: number;
  readonly iterations: number;
  /** Int32 [0]: samples written; [1]: 1 once pinned (-1: pinning failed); [2]: 1 asks the worker to stop. */
  readonly control: SharedArrayBuffer;
  /** Float64 pairs: (CLOCK_MONOTONIC ns at the loop's start, the loop's ns). */
  readonly samples: SharedArrayBuffer;
}

const { core, periodMs, iterations, control, samples } = workerData as CoreGaugeWorkerData;
const ctl = new Int32Array(control);
const out = new Float64Array(samples);
const capacity = out.length >> 1;

function schedstat(): [number, number] {
  const [run, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/).map(Number);
  return [run!, wait!];
}

function chains(n: number): number {
  let a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
  for (let i = 0; i < n; i++) {
    a ^= a << 13; a ^= a >>> 17; a ^= a << 5;
    b ^= b << 13; b ^= b >>> 17; b ^= b << 5;
    c ^= c << 13; c ^= c >>> 17; c ^= c << 5;
    d ^= d << 13; d ^= d >>> 17; d ^= d << 5;
    e ^= e << 13; e ^= e >>> 17; e ^= e << 5;
    f ^= f << 13; f ^= f >>> 17; f ^= f << 5;
    g ^= g << 13; g ^= g >>> 17; g ^= g << 5;
    h ^= h << 13; h ^= h >>> 17; h ^= h << 5;
  }
  return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h;
}

const tid = Number(readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0]);
const pinned = spawnSync('taskset', ['-p', '-c', String(core), String(tid)], { encoding: 'utf8' });
Atomics.store(ctl, 1, pinned.status === 0 ? 1 : -1);
let sink = 0;
// Optimised before the first sample counts.
for (let r = 0; r < 50; r++) sink ^= chains(iterations);
while (pinned.status === 0 && Atomics.load(ctl, 2) === 0) {
  const [, wait0] = schedstat();
  const at = process.hrtime.bigint();
  sink ^= chains(iterations);
  const ns = Number(process.hrtime.bigint() - at);
  const [, wait1] = schedstat();
  const n = Atomics.load(ctl, 0);
  if (wait1 === wait0 && n < capacity) {
    out[2 * n] = Number(at);
    out[2 * n + 1] = ns;
    Atomics.store(ctl, 0, n + 1);
  }
  Atomics.wait(ctl, 2, 0, periodMs);
}
if (sink === 0.5) console.log(sink); // never: keeps the loop's result observable
