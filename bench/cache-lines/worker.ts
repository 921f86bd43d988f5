// One thread of the cache-lines microbench (cache-lines.ts): warms its
// sequence up on a buffer of its own kind shared with the other threads (so
// V8 has optimised it, the contended branches too, before the timed part:
// a branch first taken in the timed part would deoptimise it there), then
// waits at the shared start gate (every thread adds one and
// spins until all have: no main thread is needed to open it, which under
// SCHED_FIFO may get no core), runs its acquisitions on the shared words,
// and reports its thread CPU and wall time. The first thread to finish sets
// `done`; the others stop at their next check, so every acquisition counted
// was made while all threads ran (the contended window).

import { parentPort, workerData } from 'node:worker_threads';
import { exactThreadCpuNs } from '../../src/host/exact-thread-cpu.js';
import { sequenceOf, type Mode, type SequenceName } from './sequences.js';
import { layoutFor, type MetaPlace } from './layout.js';
import type { ThreadFigures } from './run-figures.js';

export interface WorkerInput {
  readonly sequence: SequenceName;
  readonly place: MetaPlace;
  readonly threads: number;
  /** This thread's number, 0 to threads - 1 (its turn under `alternate`). */
  readonly self: number;
  readonly mode: Mode;
  readonly ops: number;
  readonly warmup: number;
  readonly buffer: SharedArrayBuffer;
  /** The warm-up's words (the same layout), shared by the threads as `buffer` is. */
  readonly warmBuffer: SharedArrayBuffer;
}

/** One worker's figures (run-figures.ts: the same as a line of the native reference). */
export type WorkerOutput = ThreadFigures;

/** Each thread adds one to the gate word and spins until every thread has. */
function passGate(m: Int32Array, gate: number, threads: number): void {
  Atomics.add(m, gate, 1);
  while (Atomics.load(m, gate) < threads);
}

function run(input: WorkerInput): WorkerOutput {
  const layout = layoutFor(input.place);
  const seq = sequenceOf[input.sequence];
  const turn = { self: input.self, threads: input.threads, mode: input.mode };
  const fence = new Int32Array(new SharedArrayBuffer(64));
  const warm = new Int32Array(input.warmBuffer);
  passGate(warm, layout.gate, input.threads);
  seq(warm, fence, layout, input.warmup, turn);
  const m = new Int32Array(input.buffer);
  const cpu0 = exactThreadCpuNs();
  const beforeGate = process.hrtime.bigint();
  passGate(m, layout.gate, input.threads);
  const start = process.hrtime.bigint();
  const r = seq(m, fence, layout, input.ops, turn);
  const end = process.hrtime.bigint();
  Atomics.store(m, layout.done, 1);
  const cpu1 = exactThreadCpuNs();
  if (cpu0 === null || cpu1 === null) throw new Error('cache-lines: no thread CPU clock (/proc/thread-self/schedstat)');
  return {
    ...r,
    cpuNs: Number(cpu1 - cpu0 - (start - beforeGate)),
    wallNs: Number(end - start),
    startNs: Number(start),
    endNs: Number(end),
  };
}

parentPort!.postMessage(run(workerData as WorkerInput));
