// The version monitor (`--tlbexcl-monitor version`) in translated code: real
// A32 TBs emitted as a vCPU does (harness/golden-tbs.ts), run on harness
// vCPUs taking turns. A run of plain stores announces itself on its line's
// version word once and its withdrawal advances the sequence, so a monitor
// another vCPU kept before it fails; a STREX that commits starts the run
// under COMMIT, which its withdrawal takes off; a vCPU's own store between
// its LDREX and STREX does not fail its STREX. docs/strategy-tlbexcl.md ("The
// version monitor").

import t from 'tap';
import { commonRunTests, compiledBlock, RUN, statOf, twoVcpusAfterPairs, wordAt as word, X } from '../store-run-blocks.js';
import type { HarnessVcpu } from '../../../harness/vcpu-harness.js';
import { EXCL_MEMOPS } from '../../../harness/lowered-atomics.js';
import { COMMIT, LINE_BITS, lineWord, SEQ, SEQS, WRITER, WRITERS } from '../../../src/llsc-tlbexcl/version-word.js';

const W = EXCL_MEMOPS.W;
const VERSION = { 'tlbexcl-monitor': 'version' };

const words = (v: HarnessVcpu): Int32Array => v.atomics.bindings['a_xl'] as Int32Array;
/** Stores announced and commits under way on any frame (only vCPU v stores in these tests). */
const announced = (v: HarnessVcpu): number => words(v).reduce((n, w) => n + (w & WRITERS) / WRITER + (w & COMMIT ? 1 : 0), 0);
/** The index of X's line's version word, as vCPU v sees it. */
const wordOfX = (v: HarnessVcpu): number => lineWord(v.mmu.readOffset(X, 4, 0) >>> LINE_BITS);
/** The version word of X's line, as vCPU v sees it. */
const versionOfX = (v: HarnessVcpu): number => Atomics.load(words(v), wordOfX(v));
/** X's line's word's wrap count, as vCPU v sees it. */
const wrapsOfX = (v: HarnessVcpu): number => Atomics.load(v.atomics.bindings['a_xw'] as Int32Array, wordOfX(v));

/** Two vCPUs under the version monitor; vCPU 0 has marked the frames of X and OTHER. */
const marked = () => twoVcpusAfterPairs('tlbexcl', VERSION);

commonRunTests('tlbexcl', X, marked, announced);

t.test('a run\'s withdrawal advances the sequence: a monitor kept before the run fails', async (t) => {
  const { turns, a, b } = marked();
  const run = turns.on(0, () => compiledBlock(a, RUN, 'tlbexcl'));
  turns.on(0, () => {
    a.env[10] = X;
    run(); // warm: fills the flagged entry
  });
  turns.on(1, () => t.equal(b.ops.ldrex(X, W).lo, a.env[3], 'B keeps X\'s line\'s word'));
  turns.on(0, () => {
    const before = a.mmu.slowStores;
    a.env[3] = 11;
    run();
    t.equal(a.mmu.slowStores, before, 'A\'s run ran inline');
  });
  turns.on(1, () => {
    t.equal(b.ops.strex(X, 12, 0, W), 1, 'B\'s STREX fails (A stored to X\'s line since B\'s LDREX)');
    t.equal(b.ops.ldrex(X, W).lo, 11, 'B\'s next LDREX sees A\'s store');
    t.equal(b.ops.strex(X, 12, 0, W), 0, 'and its STREX commits');
  });
});

/** ldrex r0, [r10]; strex r2, r3, [r10]; str r1, [r10, #4]; str r1, [r10, #8]; bx lr */
const STREX_THEN_RUN = [0xe19a0f9f, 0xe18a2f93, 0xe58a1004, 0xe58a1008, 0xe12fff1e];

t.test('a STREX that commits starts the run under COMMIT; the exit takes COMMIT off and advances the sequence once', async (t) => {
  const { turns, a, b } = marked();
  const run = turns.on(0, () => compiledBlock(a, STREX_THEN_RUN, 'tlbexcl'));
  turns.on(0, () => {
    a.env[10] = X;
    a.env[3] = 1;
    a.env[1] = 2;
    run(); // warm: fills the entries
    const checks = statOf(a, 'unlockedStores');
    const slow = a.mmu.slowStores;
    const before = versionOfX(a);
    a.env[3] = 3;
    a.env[1] = 4;
    run();
    t.equal(a.env[2], 0, 'the STREX succeeded');
    t.same([word(a, X), word(a, X + 4), word(a, X + 8)], [3, 4, 4], 'it and the two stores landed');
    t.equal(statOf(a, 'unlockedStores'), checks, 'the stores made no check of their own');
    t.equal(a.mmu.slowStores, slow, 'no slow path');
    t.equal(announced(a), 0, 'nothing is left announced or committing after the exit');
    t.equal(versionOfX(a), (before + SEQ) | 0, 'the commit and its run advanced the sequence once');
  });
  turns.on(1, () => {
    t.equal(b.ops.ldrex(X, W).lo, 3, 'another vCPU\'s LDREX sees the STREX\'s store');
    t.equal(b.ops.strex(X, 5, 0, W), 0, 'and its STREX commits');
  });
});

/** ldrex r0, [r10]; str r1, [r10, #4]; strex r2, r3, [r10]; bx lr */
const OWN_STORE_IN_WINDOW = [0xe19a0f9f, 0xe58a1004, 0xe18a2f93, 0xe12fff1e];

t.test('a vCPU\'s own store to other bytes between its LDREX and STREX does not fail the STREX', async (t) => {
  const { turns, a } = marked();
  const run = turns.on(0, () => compiledBlock(a, OWN_STORE_IN_WINDOW, 'tlbexcl'));
  turns.on(0, () => {
    a.env[10] = X;
    a.env[1] = 6;
    a.env[3] = 7;
    run(); // warm
    const slow = a.mmu.slowStores;
    a.env[3] = 8;
    run();
    t.equal(a.mmu.slowStores, slow, 'the store ran inline');
    t.equal(a.env[2], 0, 'the STREX succeeded');
    t.same([word(a, X), word(a, X + 4)], [8, 6], 'both landed');
  });
});

t.test('a run\'s withdrawal that wraps the sequence counts the wrap, then takes off the COMMIT its carry set', async (t) => {
  const { turns, a } = marked();
  const plain = turns.on(0, () => compiledBlock(a, RUN, 'tlbexcl'));
  const started = turns.on(0, () => compiledBlock(a, STREX_THEN_RUN, 'tlbexcl'));
  turns.on(0, () => {
    a.env[10] = X;
    a.env[3] = 1;
    a.env[1] = 2;
    plain(); // warm: fills the entries
    started();
    const li = wordOfX(a);
    for (const [name, run] of [['a run of plain stores', plain], ['a run a STREX started', started]] as const) {
      const wraps = wrapsOfX(a);
      Atomics.store(words(a), li, SEQS); // the sequence at its last value, the word quiet
      run();
      t.equal(wrapsOfX(a), wraps + 1, `${name}: its withdrawal counted the wrap`);
      t.equal(versionOfX(a), 0, `${name}: and left the word quiet at sequence 0 (the carry's COMMIT taken off)`);
    }
  });
});
