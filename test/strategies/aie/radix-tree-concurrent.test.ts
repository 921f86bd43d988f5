// The radix tree under concurrent inserts from several workers with
// overlapping key sets: every key ends with exactly one entry that every
// worker agrees on, no insert is lost, and no lookup or walk running during
// the inserts ever sees a half-built node or entry.

import t from 'tap';
import type { TreeInsertJob, TreeInsertResult } from './aie-test-worker.js';
import { runWorkers } from '../../../harness/worker-pool.js';
import { attachSmallTree, createSmallTree } from './small-tree.js';

const WORKER = new URL('./aie-test-worker.js', import.meta.url);
/** Only catches a hang, never a judgement of speed. */
const GUARD_SECONDS = 60;
const WORKERS = 3;
const LEVEL_BITS = [4, 4, 4];
const KEYS = 1 << 12;

function shuffled(n: number, seed: number): number[] {
  const a = [...Array(n).keys()];
  let x = seed;
  for (let i = n - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

t.test('overlapping concurrent inserts: one entry per key', async (t) => {
  const tree = createSmallTree(LEVEL_BITS, 1 << 16);
  const gate = new SharedArrayBuffer(64);
  // Every worker inserts every key in the same random order, so that they chase each
  // other through the same empty slots (the last one reversed, meeting them half-way).
  const order = shuffled(KEYS, 7);
  const jobs: TreeInsertJob[] = [...Array(WORKERS).keys()].map((i) => ({
    kind: 'tree-insert', tree, keys: i === WORKERS - 1 ? [...order].reverse() : order, gate, workers: WORKERS, seed: 99 + i,
  }));
  const results = await runWorkers<TreeInsertJob, TreeInsertResult>(WORKER, jobs, GUARD_SECONDS);

  const byKey = new Map<number, number>();
  let disagreements = 0;
  for (const r of results) {
    for (const [k, e] of r.entries) {
      const seen = byKey.get(k);
      if (seen === undefined) byKey.set(k, e);
      else if (seen !== e) disagreements++;
    }
  }
  t.equal(byKey.size, KEYS, 'every key got an entry');
  t.equal(disagreements, 0, 'all workers got the same entry for each key');
  t.equal(new Set(byKey.values()).size, KEYS, 'distinct keys have distinct entries');

  const view = attachSmallTree(tree);
  let wrongMarks = 0;
  const counts = view.walk((k, e) => {
    if (byKey.get(k) !== e || view.words[e] !== k + 1) wrongMarks++;
  });
  t.equal(counts.entries, KEYS, 'the tree holds exactly one entry per key');
  t.equal(wrongMarks, 0, 'each installed entry is the one the workers got, fully built');
  const created = results.reduce((a, r) => a + r.entriesCreated, 0);
  const nodes = results.reduce((a, r) => a + r.nodesCreated, 0);
  t.equal(created, KEYS, 'exactly one worker installed each entry');
  t.equal(nodes, counts.nodes, 'exactly one worker installed each node');
  t.equal(results.reduce((a, r) => a + r.badLookups, 0), 0, 'no lookup or walk saw a half-built entry');
  const lost = results.reduce((a, r) => a + r.racesLost, 0);
  const lookups = results.reduce((a, r) => a + r.goodLookups, 0);
  t.comment(`races lost ${lost}, concurrent lookups that found an entry ${lookups}, walks ${results.reduce((a, r) => a + r.walks, 0)}`);
});
