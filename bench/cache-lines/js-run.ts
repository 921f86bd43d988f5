// One JavaScript measurement of the cache-lines microbench: fresh words
// (layout.ts), one worker thread per bench thread (worker.ts), and the
// check that the lock excluded: the critical section's count equals the
// acquisitions made and the lock is free at the end.

import { Worker } from 'node:worker_threads';
import { layoutFor, type MetaPlace } from './layout.js';
import type { ThreadFigures } from './run-figures.js';
import { initialise, type Mode, type SequenceName } from './sequences.js';
import type { WorkerInput, WorkerOutput } from './worker.js';

export async function runJs(sequence: SequenceName, place: MetaPlace, threads: number, mode: Mode, ops: number, warmup: number): Promise<ThreadFigures[]> {
  const layout = layoutFor(place);
  const buffer = new SharedArrayBuffer(layout.words * 4);
  const m = new Int32Array(buffer);
  initialise(m, layout);
  const warmBuffer = new SharedArrayBuffer(layout.words * 4);
  initialise(new Int32Array(warmBuffer), layout);
  const outputs = await Promise.all(Array.from({ length: threads }, (_, self) => new Promise<WorkerOutput>((resolve, reject) => {
    const input: WorkerInput = { sequence, place, threads, self, mode, ops, warmup, buffer, warmBuffer };
    const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: input });
    w.once('message', resolve);
    w.once('error', reject);
  })));
  const total = outputs.reduce((s, o) => s + o.ops, 0);
  if (m[layout.count] !== total || m[layout.lock] !== 0) {
    throw new Error(`cache-lines: js ${sequence} ${place} ${threads} ${mode}: count ${m[layout.count]}, expected ${total} ` +
      `(lock word ${m[layout.lock]}): mutual exclusion broken`);
  }
  return outputs;
}
