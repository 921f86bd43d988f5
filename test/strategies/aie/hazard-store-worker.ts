// Worker side of aie-inline-hazard.test.ts: the rest of another vCPU's
// unlocked store, whose hazard word the test has already set (the store read
// the frame's reservation count as 0 and has not written yet). After a delay
// it writes the word and then clears the hazard, in that order, as translated
// code does at the end of a run.

import { serveWorker } from '../../../harness/worker-pool.js';

export interface HazardStoreJob {
  /** The aie shared words and the index of the storing vCPU's hazard word. */
  readonly words: SharedArrayBuffer;
  readonly hazard: number;
  /** Guest memory (GuestMemoryBuffers.data) and the host byte offset of the stored word. */
  readonly data: SharedArrayBuffer;
  readonly offset: number;
  readonly value: number;
  readonly delayMs: number;
}

serveWorker<HazardStoreJob, number>((job) => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, job.delayMs);
  // A plain store, as an unlocked store is; the clearing Atomics.store publishes it.
  new Int32Array(job.data)[job.offset >> 2] = job.value;
  Atomics.store(new Int32Array(job.words), job.hazard, 0);
  return 0;
});
