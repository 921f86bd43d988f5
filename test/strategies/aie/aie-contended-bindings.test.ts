// aie's contended bindings (AtomicLowering.contendedBindings): the values a
// region's training calls read (exec/region-training.ts), under which every
// written-out fast path of aie takes its fallback, so that V8 has seen each
// fallback run before it optimises the region. Here the lowering's own
// statements are compiled once over the real bindings and once over those
// values: over the contended ones the word LDREX and STREX call their
// helpers, a checked plain store takes the Mmu's slow path, and the results
// are the same.

import t from 'tap';
import type { AtomicVcpu } from '../../../src/emulator/atomics/strategy.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { EXCL_MEMOPS, LoweredAtomics } from '../../../harness/lowered-atomics.js';
import { DATA_BASE, SCRATCH_BASE, singleVcpu } from '../../../harness/vcpu-harness.js';
import { inlineStore32 } from './inline-store.js';

const W = EXCL_MEMOPS.W;
const X = DATA_BASE + 0x100;

t.test('aie stores=always: over the contended bindings every inline path takes its fallback', async (t) => {
  const v = singleVcpu('aie', { 'aie-monitor': 'set', 'aie-stores': 'always' });
  const contended = v.atomics.contendedBindings ?? {};
  t.same(Object.keys(contended).sort(), ['a_ec', 'a_wr', 'a_xw'], 'the entry table, the frames\' counts, the wake flag');
  const training: AtomicVcpu = { ...v.atomics, bindings: { ...v.atomics.bindings, ...contended } };
  const trainingOps = new LoweredAtomics(training, v.env, v.mmu, v.control, SCRATCH_BASE);
  const trainingStore = inlineStore32({ ...v, atomics: training } as typeof v);
  const store = inlineStore32(v);
  const stat = (key: string): number => Number(v.atomics.stats()[key]);
  // Warm: the entry is in the inline table, the pages are in the TLB; a pair then runs inline.
  v.ops.ldrex(X, W);
  v.ops.strex(X, 1, 0, W);
  store(X + 4, 1);
  const calls = stat('exclusiveHelperCalls');
  v.ops.ldrex(X, W);
  t.equal(v.ops.strex(X, 2, 0, W), 0);
  t.equal(stat('exclusiveHelperCalls'), calls, 'over the real bindings the pair runs inline');

  t.equal(trainingOps.ldrex(X, W).lo, 2, 'the LDREX\'s result');
  t.equal(stat('exclusiveHelperCalls'), calls + 1, 'the LDREX called its helper');
  t.equal(trainingOps.strex(X, 3, 0, W), 0, 'the STREX\'s result');
  t.equal(stat('exclusiveHelperCalls'), calls + 2, 'the STREX called its helper');
  const checks = stat('storeChecks');
  const unlocked = stat('unlockedStores');
  trainingStore(X + 4, 5);
  t.equal(stat('storeChecks'), checks + 1, 'the plain store took the Mmu\'s slow path');
  t.equal(stat('unlockedStores'), unlocked + 1, 'which found no reservation (its inline check was uncounted)');
  t.equal(v.ops.load(X + 4, MemOp.SIZE_32), 5);
  t.equal(v.ops.load(X, MemOp.SIZE_32), 3);
});
