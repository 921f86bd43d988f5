// A region's training calls (exec/region-training.ts over backend/
// compile-tb.ts compileRegionPair): the same function, called with a third
// argument, reads its TLB from the twin, whose tags miss for every address
// or flag every writable page, and with contended training the strategy's
// contended bindings; every other one of a new region's first 16 calls
// trains with a small budget, then the region runs as compiled.

import t from 'tap';
import { compileRegionPair, type TbRuntime } from '../../../src/emulator/backend/compile-tb.js';
import { startTraining, TRAINING_BUDGET, TRAINING_CALLS } from '../../../src/emulator/exec/region-training.js';
import { Region } from '../../../src/emulator/exec/translation-block.js';
import { TLB_EXCL, TLB_INVALID } from '../../../src/emulator/softmmu/page-bits.js';

const PAGE = 0x5000;
const INDEX = 5;

/** A runtime with a one-entry TLB hit at INDEX (page PAGE, addend 16) and a strategy binding a_k. */
function runtime(contended: Record<string, unknown>): { rt: TbRuntime; TR: Int32Array; TW: Int32Array; TA: Int32Array } {
  const TR = new Int32Array(256).fill(TLB_INVALID);
  const TW = new Int32Array(256).fill(TLB_INVALID);
  const TA = new Int32Array(256);
  TR[INDEX] = PAGE;
  TW[INDEX] = PAGE;
  TA[INDEX] = 16;
  const bindings: Record<string, unknown> = { TR, TW, TA, a_k: 7 };
  const rt = { names: Object.keys(bindings), values: Object.values(bindings), contended } as unknown as TbRuntime;
  return { rt, TR, TW, TA };
}

// What the body saw: 1 if its load hit, 2 if its store hit as plain, 3 as flagged; the addend; a_k; the budget.
const BODY = 'const i = (b >>> 12) & 255; return (TR[i] === b ? 1 : TW[i] === b ? 2 : TW[i] === (b | ' + TLB_EXCL +
  ') ? 3 : 0) * 1000000 + TA[i] * 10000 + a_k * 1000 + n;';

t.test('the run function reads the vCPU TLB and bindings', async (t) => {
  const { rt } = runtime({ a_k: 9 });
  const pair = compileRegionPair(rt, 'region_test', BODY);
  t.equal(pair.run(PAGE, 5), 1167005, 'load hit, addend 16, a_k 7, budget 5');
});

t.test('training over missAll: every tag misses', async (t) => {
  const { rt } = runtime({ a_k: 9 });
  const pair = compileRegionPair(rt, 'region_test', BODY);
  pair.twin.missAll();
  t.equal(pair.train(PAGE, 5, false), 7005, 'no hit, and the own a_k');
  t.equal(pair.train(PAGE, 5, true), 9005, 'contended: the contended a_k');
});

t.test('training over flagAll: writable pages carry TLB_EXCL with their addends, loads miss', async (t) => {
  const { rt, TW, TA } = runtime({});
  const pair = compileRegionPair(rt, 'region_test', BODY);
  pair.twin.flagAll();
  t.equal(pair.train(PAGE, 5, false), 3167005, 'a flagged store hit over the copied addend');
  TW[INDEX] = TLB_INVALID;
  TA[INDEX] = 99;
  t.equal(pair.train(PAGE, 5, false), 3167005, 'the twin keeps its copy until the next flagAll');
  pair.twin.flagAll();
  t.equal(pair.train(PAGE, 5, false), 997005, 'an entry the vCPU cannot write stays a miss');
});

t.test('a new region trains on every other one of its first calls, then runs as compiled', async (t) => {
  const { rt } = runtime({ a_k: 9 });
  const pair = compileRegionPair(rt, 'region_test', BODY);
  const region = new Region(pair.run, [], [0], [], [], 0);
  startTraining(region, pair);
  t.not(region.fn, pair.run, 'the cpu loop calls the training wrapper');
  const seen: number[] = [];
  for (let i = 0; i < TRAINING_CALLS; i++) seen.push(region.fn(PAGE, 1000));
  t.equal(region.fn, pair.run, 'then the region function itself');
  const trained = seen.filter((v) => v % 1000 === TRAINING_BUDGET);
  t.equal(trained.length, TRAINING_CALLS / 2, 'half the calls train, with the training budget');
  t.equal(seen.filter((v) => v === 1167000 + 1000).length, TRAINING_CALLS / 2, 'the others run with the full budget');
  t.ok(trained.some((v) => Math.floor(v / 1000000) === 3), 'some training calls flag the stores');
  t.ok(trained.some((v) => Math.floor(v / 1000000) === 0), 'some miss everything');
  t.ok(trained.some((v) => Math.floor((v % 10000) / 1000) === 9), 'some read the contended bindings');
  for (let i = 1; i < seen.length; i++) {
    t.not(seen[i]! % 1000 === TRAINING_BUDGET, seen[i - 1]! % 1000 === TRAINING_BUDGET, `call ${i} alternates`);
  }
});
