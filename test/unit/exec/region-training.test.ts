// A region's training calls (exec/region-training.ts over backend/
// compile-tb.ts compileRegionPair): the same function, called with a third
// argument, reads the strategy's contended bindings instead of its own;
// every other one of a new region's first 16 calls trains with a small
// budget, then the region runs as compiled. A region whose body uses no
// contended binding has no training entry: its first 16 calls all run it
// with the small budget.

import t from 'tap';
import { compileRegionPair, type TbRuntime } from '../../../src/emulator/backend/compile-tb.js';
import { startTraining, TRAINING_BUDGET, TRAINING_CALLS } from '../../../src/emulator/exec/region-training.js';
import { Region } from '../../../src/emulator/exec/translation-block.js';

function runtime(bindings: Record<string, unknown>, contended: Record<string, unknown>): TbRuntime {
  return { names: Object.keys(bindings), values: Object.values(bindings), contended } as unknown as TbRuntime;
}

// What the body saw: a_k, a_j and the budget.
const BODY = 'return a_k * 10000 + a_j * 1000 + n;';

t.test('the run function reads the own bindings, the training entry the contended ones', async (t) => {
  const pair = compileRegionPair(runtime({ a_k: 7, a_j: 3 }, { a_k: 9 }), 'region_test', BODY);
  t.equal(pair.run(0, 5), 73005, 'own a_k and a_j');
  t.ok(pair.train, 'a body that uses a contended binding has a training entry');
  t.equal(pair.train!(0, 5), 93005, 'contended a_k, own a_j');
  t.match(pair.run.toString(), /a_k = t \? a_k_twin\$ : a_k\$, a_j = a_j\$/, 'only the contended binding is selected');
});

t.test('no training entry without a contended binding in the body', async (t) => {
  const pair = compileRegionPair(runtime({ a_k: 7, a_j: 3, a_x: 1 }, { a_x: 2 }), 'region_test', BODY);
  t.equal(pair.train, null);
  t.equal(pair.run(0, 5), 73005);
  t.notMatch(pair.run.toString(), /twin/, 'and no selection in the prologue');
});

t.test('a new region trains on every other one of its first calls, then runs as compiled', async (t) => {
  const pair = compileRegionPair(runtime({ a_k: 7, a_j: 3 }, { a_k: 9 }), 'region_test', BODY);
  const region = new Region(pair.run, [], [0], [], [], 0);
  startTraining(region, pair.train!);
  t.not(region.fn, pair.run, 'the cpu loop calls the training wrapper');
  const seen: number[] = [];
  for (let i = 0; i < TRAINING_CALLS; i++) seen.push(region.fn(0, 1000));
  t.equal(region.fn, pair.run, 'then the region function itself');
  t.equal(seen.filter((v) => v === 93000 + TRAINING_BUDGET).length, TRAINING_CALLS / 2, 'half the calls train, with the training budget');
  t.equal(seen.filter((v) => v === 73000 + 1000).length, TRAINING_CALLS / 2, 'the others run as compiled with the full budget');
  for (let i = 1; i < seen.length; i++) t.not(seen[i], seen[i - 1], `call ${i} alternates`);
});

t.test('a region without a training entry runs its first calls with the training budget, then as compiled', async (t) => {
  const pair = compileRegionPair(runtime({ a_k: 7, a_j: 3 }, {}), 'region_test', BODY);
  t.equal(pair.train, null, 'no contended binding');
  const region = new Region(pair.run, [], [0], [], [], 0);
  startTraining(region, null);
  t.not(region.fn, pair.run, 'the cpu loop calls the training wrapper');
  const seen: number[] = [];
  for (let i = 0; i < TRAINING_CALLS; i++) seen.push(region.fn(0, 1000));
  t.equal(region.fn, pair.run, 'then the region function itself');
  t.same(seen, new Array<number>(TRAINING_CALLS).fill(73000 + TRAINING_BUDGET), 'every one of those calls with the training budget');
  t.equal(region.fn(0, 1000), 73000 + 1000, 'and the full budget after');
  const other = new Region(pair.run, [], [0], [], [], 0);
  startTraining(other, null);
  t.equal(other.fn(0, 5), 73005, 'a budget below the training one is kept');
});
