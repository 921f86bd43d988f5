// A run of plain stores started by aie's inline STREX (stores=always,
// src/aie/inline-exclusives.ts; docs/strategy-aie.md, "A run started by the
// STREX"): the STREX stores its hazard, then lowers the frame's count by the
// members it removed, and the add's result is the run's count read. With
// nothing else reserved on the frame the stores after it store at once;
// with a reservation on the frame (here another vCPU's, on another chunk)
// they take the locked path and cancel it. Real A32 TBs, translated and
// emitted as a vCPU does, run on harness vCPUs taking turns.

import t from 'tap';
import { compiledBlock, statOf as stat, twoVcpusAfterPairs, wordAt as word, X } from '../store-run-blocks.js';
import { EXCL_MEMOPS } from '../../../harness/lowered-atomics.js';
import { emitGoldenTb } from '../../../harness/golden-tbs.js';
import type { HarnessVcpu } from '../../../harness/vcpu-harness.js';
import { parseAieOptions } from '../../../src/aie/aie-options.js';
import { AieShared, HAZARD_STRIDE } from '../../../src/aie/aie-shared.js';

const W = EXCL_MEMOPS.W;
/** Another chunk of X's frame. */
const Y = X + 0x40;
/** ldrex r0, [r10]; strex r1, r2, [r10]; str r3, [r10, #4]; str r3, [r11]; bx lr */
const LOCK_THEN_STORES = [0xe19a0f9f, 0xe18a1f92, 0xe58a3004, 0xe58b3000, 0xe12fff1e];

/** The shared words and vCPU v's hazard word index. */
function hazardOf(v: HarnessVcpu): { readonly words: Int32Array; readonly index: number } {
  const shared = new AieShared(v.buffers.strategy!, parseAieOptions(v.buffers.options));
  return { words: shared.words, index: shared.hazardsWord + v.slot * HAZARD_STRIDE };
}

/** Two vCPUs under aie stores=always, A's region over LOCK_THEN_STORES warmed (its entries inline, its TLB filled). */
function warmed() {
  const world = twoVcpusAfterPairs('aie', { 'aie-monitor': 'set', 'aie-stores': 'always' });
  const { turns, a } = world;
  const run = turns.on(0, () => compiledBlock(a, LOCK_THEN_STORES, 'aie'));
  turns.on(0, () => {
    a.env[10] = X;
    a.env[11] = X + 8;
    a.env[2] = 1;
    run();
    run();
  });
  return { ...world, run };
}

t.test('the STREX starts the run: the stores after it make no check of their own and land; withdrawn at the exit', async (t) => {
  const { turns, a, run } = warmed();
  turns.on(0, () => {
    const runs = stat(a, 'unlockedStores');
    const slow = a.mmu.slowStores;
    const calls = stat(a, 'exclusiveHelperCalls');
    a.env[3] = 7;
    run();
    t.equal(a.env[1], 0, 'the STREX succeeded');
    t.equal(stat(a, 'exclusiveHelperCalls'), calls, 'LDREX and STREX ran inline');
    t.equal(a.mmu.slowStores, slow, 'no store took the slow path');
    t.equal(stat(a, 'unlockedStores'), runs + 1, 'one run: the STREX\'s');
    t.same([word(a, X), word(a, X + 4), word(a, X + 8)], [1, 7, 7], 'the STREX\'s store and both plain stores landed');
    const h = hazardOf(a);
    t.equal(Atomics.load(h.words, h.index), 0, 'the hazard is withdrawn when the block exits');
  });
});

t.test('a reservation on the frame when the STREX counts: its stores take the locked path and cancel it', async (t) => {
  const { turns, a, b, run } = warmed();
  // B reserves Y (another chunk of the frame): the frame's count is then A's and B's when A's STREX lowers it.
  turns.on(1, () => b.ops.ldrex(Y, W));
  turns.on(0, () => {
    const withEntry = stat(a, 'storeChecksWithEntry');
    a.env[11] = Y;
    a.env[3] = 9;
    run();
    t.equal(a.env[1], 0, 'A\'s STREX succeeded');
    t.ok(stat(a, 'storeChecksWithEntry') > withEntry, 'the store to Y found B\'s reservation and took the entry lock');
    const h = hazardOf(a);
    t.equal(Atomics.load(h.words, h.index), 0, 'the hazard is withdrawn when the block exits');
  });
  turns.on(1, () => {
    t.equal(word(b, Y), 9, 'A\'s store to Y landed');
    t.equal(b.ops.strex(Y, 6, 0, W), 1, 'and cancelled B\'s reservation: its STREX fails');
  });
});

t.test('the STREX stores its hazard before the count add whose result starts the run', async (t) => {
  const { a } = twoVcpusAfterPairs('aie', { 'aie-monitor': 'set', 'aie-stores': 'always' });
  const source = emitGoldenTb({ name: 'lock-then-stores', pc: 0x10000, words: LOCK_THEN_STORES, strategies: ['aie'] }, a.atomics);
  const h = hazardOf(a);
  const strex = source.slice(source.indexOf('strex'));
  const hazardStore = strex.indexOf(`Atomics.store(a_w, ${h.index}, (xo >>> 12) + 1)`);
  const countAdd = strex.indexOf('Atomics.add(a_w', strex.indexOf('Atomics.and(a_w'));
  t.ok(hazardStore > 0, 'the STREX announces its frame in its hazard word');
  t.ok(countAdd > 0, 'the STREX lowers the frame\'s count');
  t.ok(hazardStore < countAdd, 'the hazard store comes first (else a LDREX counting between them would miss both)');
  t.match(strex.slice(countAdd, countAdd + 200), /=== xb \? 1 : 0/, 'the run starts only if the add left the count at 0');
});
