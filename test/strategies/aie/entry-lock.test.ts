// The futex mutex (emulator/shared/shared-lock.ts), and the AIE entry's lock
// word (src/aie/entry-lock.ts: the same mutex on two bits, the set's members
// on the others): states and counters in one thread, and mutual exclusion
// between workers (a non-atomic counter under the lock loses no update),
// with the entry lock's members joining without the lock (no join lost).

import t from 'tap';
import { mutexLock, mutexTryLock, mutexUnlock, type LockCounters } from '../../../src/emulator/shared/shared-lock.js';
import { LOCK_BITS, lockEntry, MEMBER_SHIFT, tryLockEntry, unlockEntry } from '../../../src/aie/entry-lock.js';
import type { LockCountJob, LockCountResult } from './aie-test-worker.js';
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

t.test('one thread: the entry lock keeps the members\' bits', (t) => {
  const w = new Int32Array(new SharedArrayBuffer(16));
  const c: LockCounters = { lockAcquisitions: 0, lockContended: 0, lockSlept: 0 };
  const members = (1 << MEMBER_SHIFT) | (1 << (MEMBER_SHIFT + 29));
  Atomics.or(w, 1, members);
  lockEntry(w, 1, c);
  t.equal(Atomics.load(w, 1), members | 1, 'locked, no sleeper, members kept');
  t.notOk(tryLockEntry(w, 1), 'a held lock cannot be taken');
  Atomics.or(w, 1, 1 << (MEMBER_SHIFT + 3));
  unlockEntry(w, 1);
  t.equal(Atomics.load(w, 1), members | (1 << (MEMBER_SHIFT + 3)), 'unlocked: a join under the lock is kept');
  t.ok(tryLockEntry(w, 1));
  Atomics.or(w, 1, LOCK_BITS);
  unlockEntry(w, 1);
  t.equal(Atomics.load(w, 1) & LOCK_BITS, 0, 'the release clears the sleeper bit too');
  t.same(c, { lockAcquisitions: 1, lockContended: 0, lockSlept: 0 });
  t.equal(w[0], 0, 'neighbouring words untouched');
  t.equal(w[2], 0);
  t.end();
});

for (const lock of ['shared', 'entry'] as const) {
  t.test(`workers: mutual exclusion (${lock} lock)`, async (t) => {
    const workers = 3;
    const iterations = 20000;
    const shared = new SharedArrayBuffer(64);
    const results = await runWorkers<LockCountJob, LockCountResult>(WORKER,
      [...Array(workers)].map((_, index) => ({ kind: 'lock-count', shared, iterations, workers, lock, index })), GUARD_SECONDS);
    t.equal(new Int32Array(shared)[1], workers * iterations, 'no update lost');
    t.equal(Atomics.load(new Int32Array(shared), 0), 0, 'the lock ends free (and every member left)');
    t.equal(results.reduce((a, c) => a + c.lockAcquisitions, 0), workers * iterations);
    t.equal(results.reduce((a, c) => a + c.lostJoins, 0), 0, 'no join lost');
    t.comment(`contended ${results.reduce((a, c) => a + c.lockContended, 0)}, slept ${results.reduce((a, c) => a + c.lockSlept, 0)}`);
  });
}
