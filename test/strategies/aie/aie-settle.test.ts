// Store checks and new entries on a page that is already flagged: a plain
// store that found no entry for its chunk may still be writing when another
// vCPU installs the entry and LDREXes. The new entry is "settled" first (the
// LDREX waits until no hazard word names the frame), so the LDREX reads the
// late store's value instead of having it land after the load unnoticed.

import t from 'tap';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { EXCL_MEMOPS } from '../../../harness/lowered-atomics.js';
import { allocateSlots, createHarness, DATA_BASE, HarnessVcpu } from '../../../harness/vcpu-harness.js';
import type { LateStoreJob, LateStoreResult } from './late-store-worker.js';
import { runWorkers } from '../../../harness/worker-pool.js';

const WORKER = new URL('./late-store-worker.js', import.meta.url);
/** Only catches a hang, never a judgement of speed. */
const GUARD_SECONDS = 60;
const X = DATA_BASE + 0x100;
const Y = DATA_BASE + 0x140; // same page: its entry makes the page flagged before the worker stores
const LATE = 0x5a5a5a5a;

t.test('a LDREX on a new entry waits for a store still in flight on its chunk', async (t) => {
  const buffers = createHarness('aie', { 'aie-monitor': 'set', 'aie-stores': 'always' });
  const [mine, theirs] = allocateSlots(buffers, 2);
  const v = new HarnessVcpu(buffers, mine!);
  v.start();
  v.ops.ldrex(Y, EXCL_MEMOPS.W);
  t.equal(v.ops.strex(Y, 1, 0, EXCL_MEMOPS.W), 0, 'Y has an entry: X\'s page is flagged from now on');

  const signal = new SharedArrayBuffer(64);
  const done = runWorkers<LateStoreJob, LateStoreResult>(WORKER,
    [{ buffers, slot: theirs!, addr: X, value: LATE, signal }], GUARD_SECONDS);
  const flag = new Int32Array(signal);
  // Wait (bounded: a crashed worker must not hang the test) until the worker is inside its store.
  for (let i = 0; i < 60000 && Atomics.load(flag, 0) === 0; i++) Atomics.wait(flag, 0, 0, 1);
  t.equal(Atomics.load(flag, 0), 1, 'the worker is inside its store, before X has an entry');

  const loaded = v.ops.ldrex(X, EXCL_MEMOPS.W).lo;
  t.equal(loaded, LATE, 'LDREX read the late store\'s value');
  t.equal(Number(v.atomics.stats().settleWaits), 1, 'settling the new entry had to wait for the store');
  t.equal(v.ops.strex(X, 7, 0, EXCL_MEMOPS.W), 0, 'the reservation taken after the store holds');
  const [r] = await done;
  t.ok(r!.sawEntryInsideStore, 'the worker wrote only after the entry was installed');
  t.equal(r!.storeChecks, 1, 'its store went through the flagged slow path');
  t.equal(v.ops.load(X, MemOp.SIZE_32), 7);
});
