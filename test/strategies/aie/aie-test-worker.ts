// Worker side of the multi-worker AIE tests (radix-tree-concurrent.test.ts,
// entry-lock.test.ts): each job runs in its own worker_thread on shared buffers.

import { mutexLock, mutexUnlock, type LockCounters } from '../../../src/emulator/shared/shared-lock.js';
import { lockEntry, MEMBER_SHIFT, unlockEntry } from '../../../src/aie/entry-lock.js';
import { serveWorker } from '../../../harness/worker-pool.js';
import { attachSmallTree, markKey, type SmallTreeBuffers } from './small-tree.js';

export interface TreeInsertJob {
  readonly kind: 'tree-insert';
  readonly tree: SmallTreeBuffers;
  readonly keys: readonly number[];
  /** Shared word 0: workers count in, and start together when all have arrived. */
  readonly gate: SharedArrayBuffer;
  readonly workers: number;
  readonly seed: number;
}

export interface TreeInsertResult {
  /** key -> entry, for every key this worker inserted. */
  readonly entries: [number, number][];
  /** Lookups that returned an entry whose key mark was wrong (a half-built entry). */
  readonly badLookups: number;
  readonly goodLookups: number;
  readonly walks: number;
  readonly racesLost: number;
  readonly entriesCreated: number;
  readonly nodesCreated: number;
}

export interface LockCountJob {
  readonly kind: 'lock-count';
  /** word 0: the lock, word 1: a counter updated non-atomically under it, word 2: start gate. */
  readonly shared: SharedArrayBuffer;
  readonly iterations: number;
  readonly workers: number;
  /**
   * 'shared': the shared futex mutex (emulator/shared/shared-lock.ts). 'entry': an aie entry's lock word
   * (src/aie/entry-lock.ts), whose other bits are set members: worker `index` joins with Atomics.or outside the
   * lock, as the inline LDREX does, and checks under the lock that its bit is there, then removes it.
   */
  readonly lock: 'shared' | 'entry';
  readonly index: number;
}

export interface LockCountResult extends LockCounters {
  /** Entry lock: acquisitions under which this worker's joined bit was missing (a join lost). */
  readonly lostJoins: number;
}

export type AieTestJob = TreeInsertJob | LockCountJob;

/** A barrier on gate[index]: the round-th meeting of `workers` workers (round 0 first). */
function meet(gate: Int32Array, index: number, workers: number, round = 0): void {
  const target = workers * (round + 1);
  Atomics.add(gate, index, 1);
  for (let now = Atomics.load(gate, index); now < target; now = Atomics.load(gate, index)) Atomics.wait(gate, index, now, 1);
  Atomics.notify(gate, index);
}

function treeInsert(job: TreeInsertJob): TreeInsertResult {
  const tree = attachSmallTree(job.tree);
  const w = tree.words;
  const init = markKey(w);
  const keySpace = 2 ** tree.keyBits;
  let x = job.seed | 1;
  const random = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  let badLookups = 0;
  let goodLookups = 0;
  let walks = 0;
  const entries: [number, number][] = [];
  const gate = new Int32Array(job.gate);
  for (let i = 0; i < job.keys.length; i++) {
    // Meet every 256 keys, so that the workers really run side by side on a busy host.
    if (i % 256 === 0) meet(gate, 0, job.workers, i / 256);
    const key = job.keys[i]!;
    entries.push([key, tree.getOrInsert(key, init)]);
    // Look up random keys while the others insert: any entry seen must be complete.
    for (let j = 0; j < 4; j++) {
      const k = random() % keySpace;
      const e = tree.lookup(k);
      if (e === 0) continue;
      if (w[e] === k + 1) goodLookups++;
      else badLookups++;
    }
    // Now and then walk the whole tree: every reachable node must carry its tag.
    if (i % 256 === 255) {
      tree.walk((k, e) => {
        if (w[e] !== k + 1) badLookups++;
      });
      walks++;
    }
  }
  return {
    entries, badLookups, goodLookups, walks,
    racesLost: tree.racesLost, entriesCreated: tree.entriesCreated, nodesCreated: tree.nodesCreated,
  };
}

function lockCount(job: LockCountJob): LockCountResult {
  const w = new Int32Array(job.shared);
  const c: LockCounters = { lockAcquisitions: 0, lockContended: 0, lockSlept: 0 };
  const entry = job.lock === 'entry';
  const bit = 1 << (MEMBER_SHIFT + job.index);
  let lostJoins = 0;
  meet(w, 2, job.workers);
  for (let i = 0; i < job.iterations; i++) {
    if (entry) {
      Atomics.or(w, 0, bit);
      lockEntry(w, 0, c);
      if ((w[0]! & bit) === 0) lostJoins++;
      Atomics.and(w, 0, ~bit);
    } else {
      mutexLock(w, 0, c);
    }
    // A non-atomic read-modify-write with a gap: without mutual exclusion, updates get lost.
    const v = w[1]!;
    for (let spin = 0; spin < 20; spin++) Atomics.load(w, 3);
    w[1] = v + 1;
    if (entry) unlockEntry(w, 0);
    else mutexUnlock(w, 0);
  }
  return { ...c, lostJoins };
}

serveWorker<AieTestJob, TreeInsertResult | LockCountResult>((job) =>
  job.kind === 'tree-insert' ? treeInsert(job) : lockCount(job));
