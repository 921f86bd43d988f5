// The futex mutex (emulator/shared/shared-lock.ts) as AIE entries use it:
// states and counters in one thread, and mutual exclusion
// between workers (a non-atomic counter under the lock loses no update).

import t from 'tap';
import { mutexLock, mutexTryLock, mutexUnlock, type LockCounters } from '../../../src/emulator/shared/shared-lock.js';
import type { LockCountJob } from './aie-test-worker.js';
import { runWorkers } from '../../../harness/worker-pool.js';

const WORKER = new URL('./aie-test-worker.js', import.meta.url);
/** Only catches a hang, never a judgement of speed. */
const GUARD_SECONDS = 60;

t.test('one thread: lock, try, unlock', (t) => {
  const w = new Int32Array(new SharedArrayBuffer(16));
  const c: LockCounters = { lockAcquisitions: 0, lockContended: 0, lockSlept: 0 };
  mutexLock(w, 1, c);
  t.equal(Atomics.load(w, 1), 1, 'locked, no waiter');
  t.notOk(mutexTryLock(w, 1), 'a held lock cannot be taken');
  mutexUnlock(w, 1);
  t.equal(Atomics.load(w, 1), 0, 'unlocked');
  t.ok(mutexTryLock(w, 1));
  mutexUnlock(w, 1);
  mutexLock(w, 1, c);
  mutexUnlock(w, 1);
  t.same(c, { lockAcquisitions: 2, lockContended: 0, lockSlept: 0 }, 'uncontended acquisitions');
  t.equal(w[0], 0, 'neighbouring words untouched');
  t.equal(w[2], 0);
  t.end();
});

t.test('workers: mutual exclusion', async (t) => {
  const workers = 3;
  const iterations = 20000;
  const shared = new SharedArrayBuffer(64);
  const results = await runWorkers<LockCountJob, LockCounters>(WORKER,
    [...Array(workers)].map(() => ({ kind: 'lock-count', shared, iterations, workers })), GUARD_SECONDS);
  t.equal(new Int32Array(shared)[1], workers * iterations, 'no update lost');
  t.equal(Atomics.load(new Int32Array(shared), 0), 0, 'the lock ends free');
  t.equal(results.reduce((a, c) => a + c.lockAcquisitions, 0), workers * iterations);
  t.comment(`contended ${results.reduce((a, c) => a + c.lockContended, 0)}, slept ${results.reduce((a, c) => a + c.lockSlept, 0)}`);
});
