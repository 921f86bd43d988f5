// tlbexcl's runs of plain stores under one announcement
// (backend/store-announcement.ts): translated code checks the first store of
// a block to a marked frame, keeps the announcement up across the block's
// later stores to that frame, and withdraws it before a helper that may
// fault and at the block's exit. Real A32 TBs, translated and emitted as a
// vCPU does (harness/golden-tbs.ts), run on harness vCPUs taking turns.

import t from 'tap';
import { commonRunTests, compiledBlock, OTHER, TWO_FRAMES, twoVcpusAfterPairs, wordAt as word, X } from '../store-run-blocks.js';
import type { HarnessVcpu } from '../../../harness/vcpu-harness.js';
import { EXCL_MEMOPS } from '../../../harness/lowered-atomics.js';
import { announcedIn } from '../../../src/llsc-tlbexcl/live-word.js';

const W = EXCL_MEMOPS.W;

/** Stores announced on any frame (only vCPU v stores in these tests): the announcements live in the frames' live words. */
const announced = (v: HarnessVcpu): number => (v.atomics.bindings['a_xl'] as Int32Array).reduce((n, w) => n + announcedIn(w), 0);

/** Two vCPUs; vCPU 0 has marked (LDREX/STREX) the frames of X and OTHER. */
const marked = () => twoVcpusAfterPairs('tlbexcl');

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
