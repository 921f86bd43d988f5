// tlbexcl's runs of plain stores under one announcement
// (backend/store-announcement.ts): translated code checks the first store of
// a block to a marked frame, keeps the announcement up across the block's
// later stores to that frame, and withdraws it before a helper that may
// fault and at the block's exit; a STREX that commits without the lock
// starts the run itself. Real A32 TBs, translated and emitted as a
// vCPU does (harness/golden-tbs.ts), run on harness vCPUs taking turns.

import t from 'tap';
import { commonRunTests, compiledBlock, OTHER, statOf, TWO_FRAMES, twoVcpusAfterPairs, wordAt as word, X } from '../store-run-blocks.js';
import type { HarnessVcpu } from '../../../harness/vcpu-harness.js';
import { EXCL_MEMOPS } from '../../../harness/lowered-atomics.js';
import { announcedIn, LIVE_RANGES } from '../../../src/llsc-tlbexcl/live-word.js';

const W = EXCL_MEMOPS.W;

/** Stores announced on any frame (only vCPU v stores in these tests): the announcements live in the frames' live words. */
const announced = (v: HarnessVcpu): number => (v.atomics.bindings['a_xl'] as Int32Array).reduce((n, w) => n + announcedIn(w), 0);

/** Two vCPUs; vCPU 0 has marked (LDREX/STREX) the frames of X and OTHER. */
const marked = () => twoVcpusAfterPairs('tlbexcl', { 'tlbexcl-monitor': 'ranges' });

commonRunTests('tlbexcl', X, marked, announced);

t.test('a store to another frame makes its own check: a range there is cancelled', async (t) => {
  const { turns, a, b } = marked();
  const run = turns.on(0, () => compiledBlock(a, TWO_FRAMES, 'tlbexcl'));
  turns.on(0, () => {
    a.env[10] = X;
    a.env[11] = OTHER;
    run(); // warm both flagged entries
  });
  turns.on(1, () => b.ops.ldrex(OTHER, W));
  turns.on(0, () => {
    a.env[1] = 5;
    run();
    t.equal(announced(a), 0, 'withdrawn at the exit');
  });
  turns.on(1, () => {
    t.equal(word(b, OTHER), 5, 'the store to the second frame landed');
    t.equal(b.ops.strex(OTHER, 6, 0, W), 1, 'and cancelled B\'s range there: its STREX fails');
  });
});

/** ldrex r0, [r10]; strex r2, r3, [r10]; str r1, [r10, #4]; str r1, [r10, #8]; bx lr */
const STREX_THEN_RUN = [0xe19a0f9f, 0xe18a2f93, 0xe58a1004, 0xe58a1008, 0xe12fff1e];

t.test('a STREX that commits without the lock starts the run: its stores make no check, and the exit takes its count off', async (t) => {
  const { turns, a, b } = marked();
  const live = a.atomics.bindings['a_xl'] as Int32Array;
  const counted = (): number => live.reduce((n, w) => n + (w & LIVE_RANGES), 0);
  const run = turns.on(0, () => compiledBlock(a, STREX_THEN_RUN, 'tlbexcl'));
  turns.on(0, () => {
    a.env[10] = X;
    a.env[3] = 1;
    a.env[1] = 2;
    run(); // warm: fills the entries
    const checks = statOf(a, 'unlockedStores');
    const commits = statOf(a, 'strexUnlocked');
    const slow = a.mmu.slowStores;
    a.env[3] = 3;
    a.env[1] = 4;
    run();
    t.equal(a.env[2], 0, 'the STREX succeeded');
    t.equal(statOf(a, 'strexUnlocked'), commits + 1, 'without the lock');
    t.same([word(a, X), word(a, X + 4), word(a, X + 8)], [3, 4, 4], 'it and the two stores landed');
    t.equal(statOf(a, 'unlockedStores'), checks, 'the stores made no check of their own: they ran on the STREX\'s');
    t.equal(a.mmu.slowStores, slow, 'no slow path');
    t.equal(announced(a), 0, 'the run was withdrawn at the exit');
    t.equal(counted(), 0, 'and the STREX\'s count with it');
  });
  turns.on(1, () => {
    t.equal(b.ops.ldrex(X, W).lo, 3, 'another vCPU\'s LDREX sees the STREX\'s store');
    t.equal(b.ops.strex(X, 5, 0, W), 0, 'and its STREX commits (nothing left counted beside its range)');
  });
});
