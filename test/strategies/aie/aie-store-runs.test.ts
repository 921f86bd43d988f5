// aie's runs of plain stores under one announcement (stores=always,
// backend/store-announcement.ts): translated code makes the unlocked-store
// check (hazard word, then the frame's reservation count) for the first store
// of a block to a flagged frame, keeps the hazard up across the block's later
// stores to that frame and withdraws it before a helper that may fault and at
// the block's exit. A reservation on the frame, or one on another frame the
// block stores to, still sends those stores down the locked path. Real A32
// TBs, translated and emitted as a vCPU does, run on harness vCPUs taking turns.

import t from 'tap';
import {
  commonRunTests, compiledBlock, OTHER, RUN, statOf as stat, TWO_FRAMES, twoVcpusAfterPairs, wordAt as word, X,
} from '../store-run-blocks.js';
import { EXCL_MEMOPS } from '../../../harness/lowered-atomics.js';
import type { HarnessVcpu } from '../../../harness/vcpu-harness.js';
import { parseAieOptions } from '../../../src/aie/aie-options.js';
import { AieShared, HAZARD_STRIDE } from '../../../src/aie/aie-shared.js';

const W = EXCL_MEMOPS.W;

/** The frame + 1 vCPU v's hazard word names (0: none). */
function hazard(v: HarnessVcpu): number {
  const shared = new AieShared(v.buffers.strategy!, parseAieOptions(v.buffers.options));
  return Atomics.load(shared.words, shared.hazardsWord + v.slot * HAZARD_STRIDE);
}
/** Two vCPUs under aie stores=always; vCPU 0 has made entries (LDREX/STREX) on the chunks of X and OTHER. */
const flagged = () => twoVcpusAfterPairs('aie', { 'aie-monitor': 'set', 'aie-stores': 'always' });

commonRunTests('aie', X, flagged, hazard);

t.test('a reservation on the frame sends the run down the locked path and is cancelled', async (t) => {
  const { turns, a, b } = flagged();
  const run = turns.on(0, () => compiledBlock(a, RUN, 'aie'));
  turns.on(0, () => {
    a.env[10] = X;
    run(); // warm
  });
  turns.on(1, () => b.ops.ldrex(X, W));
  const withEntry = stat(a, 'storeChecksWithEntry');
  turns.on(0, () => {
    a.env[3] = 4;
    run();
    t.ok(stat(a, 'storeChecksWithEntry') > withEntry, 'the first store found B\'s reservation and took the entry lock');
    t.equal(hazard(a), 0, 'withdrawn at the exit');
  });
  turns.on(1, () => t.equal(b.ops.strex(X, 6, 0, W), 1, 'B\'s STREX fails'));
});

t.test('a store to another frame makes its own check: a reservation there is cancelled', async (t) => {
  const { turns, a, b } = flagged();
  const run = turns.on(0, () => compiledBlock(a, TWO_FRAMES, 'aie'));
  turns.on(0, () => {
    a.env[10] = X;
    a.env[11] = OTHER;
    run(); // warm both flagged entries
  });
  turns.on(1, () => b.ops.ldrex(OTHER, W));
  turns.on(0, () => {
    a.env[1] = 5;
    run();
    t.equal(hazard(a), 0, 'withdrawn at the exit');
  });
  turns.on(1, () => {
    t.equal(word(b, OTHER), 5, 'the store to the second frame landed');
    t.equal(b.ops.strex(OTHER, 6, 0, W), 1, 'and cancelled B\'s reservation there: its STREX fails');
  });
});
