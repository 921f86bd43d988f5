// aie's inline LDREX and an unlocked store in flight on its frame
// (src/aie/inline-exclusives.ts): the LDREX joins the set and counts itself
// on the frame, then scans the other vCPUs' hazard words; one that names the
// frame sends it to the helper, which waits until the word clears and only
// then loads. So the LDREX reads the store's value, however long the store
// takes, and its STREX then succeeds. The store's other side is a worker
// thread (it writes the word, then clears its hazard) while this thread's
// inline LDREX waits.

import t from 'tap';
import { parseAieOptions } from '../../../src/aie/aie-options.js';
import { AieShared, HAZARD_STRIDE } from '../../../src/aie/aie-shared.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { PAGE_BITS, PAGE_SIZE } from '../../../src/emulator/softmmu/page-bits.js';
import { EXCL_MEMOPS } from '../../../harness/lowered-atomics.js';
import { DATA_BASE, vcpusTakingTurns } from '../../../harness/vcpu-harness.js';
import { runWorkers } from '../../../harness/worker-pool.js';
import type { HazardStoreJob } from './hazard-store-worker.js';

const WORKER = new URL('./hazard-store-worker.js', import.meta.url);
/** Only catches a hang, never a judgement of speed. */
const GUARD_SECONDS = 60;
const W = EXCL_MEMOPS.W;
const X = DATA_BASE + 0x100;
const LATE = 0x5a5a5a5a;

t.test('an inline LDREX that finds another vCPU\'s hazard on its frame loads only after the store', async (t) => {
  const tt = vcpusTakingTurns('aie', 2, { 'aie-monitor': 'set', 'aie-stores': 'always' });
  const [a, b] = tt.vcpus;
  // Warm: the helper LDREX puts X's entry in the inline table, the STREX fills the write entry.
  tt.on(0, (v) => { v.ops.ldrex(X, W); v.ops.strex(X, 1, 0, W); });
  const calls = (): number => Number(a!.atomics.stats().exclusiveHelperCalls);
  const stat = (key: string): number => Number(a!.atomics.stats()[key]);
  tt.on(0, (v) => { v.ops.ldrex(X, W); v.ops.strex(X, 2, 0, W); });
  const warmCalls = calls();
  tt.on(0, (v) => { v.ops.ldrex(X, W); v.ops.strex(X, 3, 0, W); });
  t.equal(calls(), warmCalls, 'warm, the pair runs inline');

  // B's unlocked store to X is in flight: its hazard names X's frame, the word is not written yet.
  const shared = new AieShared(a!.buffers.strategy!, parseAieOptions(a!.buffers.options));
  const offset = a!.mem.frameOffset(X >>> PAGE_BITS) + (X & (PAGE_SIZE - 1));
  const hazard = shared.hazardsWord + b!.slot * HAZARD_STRIDE;
  Atomics.store(shared.words, hazard, (offset >>> PAGE_BITS) + 1);
  const done = runWorkers<HazardStoreJob, number>(WORKER, [{
    words: a!.buffers.strategy!, hazard, data: a!.buffers.memory.data, offset, value: LATE, delayMs: 200,
  }], GUARD_SECONDS);
  const waits = stat('unlockedStoreWaits');
  const loaded = tt.on(0, (v) => v.ops.ldrex(X, W).lo);
  t.equal(loaded, LATE, 'the LDREX read the store\'s value (it loaded after the hazard cleared)');
  t.equal(stat('unlockedStoreWaits'), waits + 1, 'it waited for the store');
  t.equal(calls(), warmCalls + 1, 'the wait is the helper\'s (the inline path has no call of its own)');
  t.equal(Atomics.load(shared.words, hazard), 0, 'the hazard is clear');
  t.equal(tt.on(0, (v) => v.ops.strex(X, 4, 0, W)), 0, 'its reservation holds: the STREX succeeds');
  t.equal(tt.on(0, (v) => v.ops.load(X, MemOp.SIZE_32)), 4);
  await done;
});
