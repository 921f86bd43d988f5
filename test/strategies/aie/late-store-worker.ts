// Worker side of aie-settle.test.ts: a vCPU whose plain store to X looked the
// chunk up before X had an entry and is still writing when the entry appears
// (the race the hazard words close). It announces that it is inside the
// store, waits until another vCPU has installed X's entry, and only then
// writes: the other vCPU's LDREX must wait for it and read the new value.

import { parseAieOptions } from '../../../src/aie/aie-options.js';
import { AieShared } from '../../../src/aie/aie-shared.js';
import { Header } from '../../../src/aie/aie-shared.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { PAGE_BITS, PAGE_SIZE } from '../../../src/emulator/softmmu/page-bits.js';
import { HarnessVcpu, type HarnessBuffers } from '../../../harness/vcpu-harness.js';
import { serveWorker } from '../../../harness/worker-pool.js';

export interface LateStoreJob {
  readonly buffers: HarnessBuffers;
  readonly slot: number;
  readonly addr: number;
  readonly value: number;
  /** word 0: 1 once this worker is inside its store (hazard announced, entry not yet seen). */
  readonly signal: SharedArrayBuffer;
}

export interface LateStoreResult {
  readonly sawEntryInsideStore: boolean;
  readonly storeChecks: number;
}

serveWorker<LateStoreJob, LateStoreResult>((job) => {
  const v = new HarnessVcpu(job.buffers, job.slot);
  v.start();
  const shared = new AieShared(job.buffers.strategy!, parseAieOptions(job.buffers.options));
  const shift = shared.words[Header.GRANULE_SHIFT]!;
  const signal = new Int32Array(job.signal);
  let sawEntry = false;
  const hooks = v.mmu.hooks;
  v.mmu.hooks = {
    writeFlags: hooks.writeFlags,
    flaggedStore: (addr, bytes, doStore) => hooks.flaggedStore(addr, bytes, () => {
      const off = v.mem.frameOffset(addr >>> PAGE_BITS) + (addr & (PAGE_SIZE - 1));
      if (shared.tree.lookup(off >>> shift) !== 0) throw new Error('the entry existed before the store began');
      Atomics.store(signal, 0, 1);
      Atomics.notify(signal, 0);
      while (shared.tree.lookup(off >>> shift) === 0) Atomics.wait(signal, 1, 0, 1);
      sawEntry = true;
      doStore();
    }),
  };
  v.ops.store(job.addr, job.value, MemOp.SIZE_32);
  const storeChecks = Number(v.atomics.stats().storeChecks);
  v.release();
  return { sawEntryInsideStore: sawEntry, storeChecks };
});
