// The version monitor's word LDREX and STREX written out in translated code
// (src/llsc-tlbexcl/inline-version-exclusives.ts; docs/strategy-tlbexcl.md
// "The version monitor in translated code"), run on harness vCPUs taking
// turns: a real A32 block emitted as a vCPU does (its STREX starting the run
// the block's exit withdraws), and the lowering's LDREX and STREX alone
// (harness/lowered-atomics.ts, whose STREX withdraws its own commit). A warm
// pair calls no function at all; the counters stay exact; a word that came
// back after its sequence wrapped fails the written-out STREX; its own
// withdrawal counts a wrap and takes the carry's COMMIT off; a frame no
// longer READY sends the LDREX to the helper, which marks it again.

import t from 'tap';
import { compiledBlock, statOf, twoVcpusAfterPairs, wordAt, X } from '../store-run-blocks.js';
import { emitGoldenTb } from '../../../harness/golden-tbs.js';
import { EXCL_MEMOPS } from '../../../harness/lowered-atomics.js';
import type { HarnessVcpu } from '../../../harness/vcpu-harness.js';
import { compileRegion, makeTbRuntime } from '../../../src/emulator/backend/compile-tb.js';
import { PAGE_BITS } from '../../../src/emulator/softmmu/page-bits.js';
import { READY } from '../../../src/llsc-tlbexcl/exclusive-state.js';
import { COMMIT, LINE_BITS, lineWord, SEQ, SEQS, WRITERS } from '../../../src/llsc-tlbexcl/version-word.js';

const W = EXCL_MEMOPS.W;
const VERSION = { 'tlbexcl-monitor': 'version' };
const PC = 0x10000;

/** ldrex r0, [r10]; strex r2, r3, [r10]; bx lr */
const PAIR = [0xe19a0f9f, 0xe18a2f93, 0xe12fff1e];

const words = (v: HarnessVcpu): Int32Array => v.atomics.bindings['a_xl'] as Int32Array;
const wordIndexOfX = (v: HarnessVcpu): number => lineWord(v.mmu.readOffset(X, 4, 0) >>> LINE_BITS);
const versionOfX = (v: HarnessVcpu): number => Atomics.load(words(v), wordIndexOfX(v));
const wrapsOfX = (v: HarnessVcpu): number => Atomics.load(v.atomics.bindings['a_xw'] as Int32Array, wordIndexOfX(v));
const counters = (v: HarnessVcpu, keys: readonly string[]): number[] => keys.map((k) => statOf(v, k));
const PAIR_COUNTERS = ['ldrex', 'ldrexUnlocked', 'strex', 'strexUnlocked', 'strexFailNoRange', 'unlockedStoreWaits'] as const;

/** The block compiled as a vCPU compiles it, with every function it calls counted (the bindings as --stats wraps them). */
function countingBlock(v: HarnessVcpu, block: number[]): { run: () => number; calls: string[] } {
  const calls: string[] = [];
  const source = emitGoldenTb({ name: 'pair', pc: PC, words: block, strategies: ['tlbexcl'] }, v.atomics);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const wrap = <H extends (...a: any[]) => any>(f: H): H => ((...a: unknown[]) => (calls.push(f.name), f(...a))) as H;
  const rt = makeTbRuntime(v.env, v.mmu, v.atomics.bindings, v.control.pending, v.control.pendingIndex, wrap);
  const fn = compileRegion(rt, 'pair', source);
  return { run: () => fn(0, 1), calls };
}

t.test('a warm word LDREX/STREX pair calls nothing, commits, and counts as the helpers count', async (t) => {
  const { turns, a } = twoVcpusAfterPairs('tlbexcl', VERSION);
  turns.on(0, () => {
    const { run, calls } = countingBlock(a, PAIR);
    a.env[10] = X;
    a.env[3] = 1;
    run(); // warm: the write entry is filled with TLB_EXCL
    calls.length = 0;
    const before = counters(a, PAIR_COUNTERS);
    const version = versionOfX(a);
    for (let i = 2; i <= 4; i++) {
      a.env[3] = i;
      run();
      t.equal(a.env[2], 0, `pair ${i - 1}: the STREX succeeded`);
    }
    t.same(calls, [], 'no binding was called: no helper, no a_ldx, no a_xf');
    t.equal(wordAt(a, X), 4, 'the last STREX\'s value landed');
    t.same(counters(a, PAIR_COUNTERS).map((n, i) => n - before[i]!), [3, 3, 3, 3, 0, 0], 'ldrex, ldrexUnlocked, strex, strexUnlocked +3; no failure, no wait');
    t.equal(versionOfX(a), (version + 3 * SEQ) | 0, 'each commit (with the run it started) advanced the sequence once');
    t.equal(versionOfX(a) & (COMMIT | WRITERS), 0, 'nothing is left committing or announced');
  });
});

t.test('another vCPU\'s finished store fails the written-out STREX, counted as a failure', async (t) => {
  const { turns, a, b } = twoVcpusAfterPairs('tlbexcl', VERSION);
  turns.on(0, () => t.equal(a.ops.ldrex(X, W).lo, wordAt(a, X), 'A keeps X\'s word'));
  turns.on(1, () => {
    b.ops.ldrex(X, W);
    t.equal(b.ops.strex(X, 21, 0, W), 0, 'B stores to X (its STREX commits)');
  });
  turns.on(0, () => {
    const before = counters(a, PAIR_COUNTERS);
    t.equal(a.ops.strex(X, 22, 0, W), 1, 'A\'s STREX fails');
    t.equal(wordAt(a, X), 21, 'and stored nothing');
    t.same(counters(a, PAIR_COUNTERS).map((n, i) => n - before[i]!), [0, 0, 1, 0, 1, 0], 'strex and strexFailNoRange +1');
    t.equal(a.ops.strex(X, 23, 0, W), 1, 'a second STREX finds the monitor closed');
  });
});

t.test('the written-out STREX on a word that came back after its sequence wrapped fails, withdrawing as a commit', async (t) => {
  const { turns, a } = twoVcpusAfterPairs('tlbexcl', VERSION);
  turns.on(0, () => {
    const value = wordAt(a, X);
    a.ops.ldrex(X, W);
    const kept = versionOfX(a);
    // 2^21 finished stores bring the word back to the one A kept; the one that wrapped it counted the wrap.
    Atomics.add(a.atomics.bindings['a_xw'] as Int32Array, wordIndexOfX(a), 1);
    const before = counters(a, PAIR_COUNTERS);
    t.equal(a.ops.strex(X, value + 1, 0, W), 1, 'A\'s STREX fails (its compare-and-set from the kept word succeeds)');
    t.equal(wordAt(a, X), value, 'and stored nothing');
    t.equal(versionOfX(a), (kept + SEQ) | 0, 'its withdrawal took COMMIT off and advanced the sequence');
    t.same(counters(a, PAIR_COUNTERS).map((n, i) => n - before[i]!), [0, 0, 1, 0, 1, 0], 'strex and strexFailNoRange +1');
  });
});

t.test('the written-out STREX\'s withdrawal that wraps the sequence counts the wrap, then takes off its carry\'s COMMIT', async (t) => {
  const { turns, a } = twoVcpusAfterPairs('tlbexcl', VERSION);
  turns.on(0, () => {
    const wraps = wrapsOfX(a);
    Atomics.store(words(a), wordIndexOfX(a), SEQS); // the sequence at its last value, the word quiet
    a.ops.ldrex(X, W);
    t.equal(a.ops.strex(X, 5, 0, W), 0, 'the STREX commits');
    t.equal(wrapsOfX(a), wraps + 1, 'its withdrawal counted the wrap');
    t.equal(versionOfX(a), 0, 'and left the word quiet at sequence 0 (the carry\'s COMMIT taken off)');
    a.ops.ldrex(X, W);
    t.equal(a.ops.strex(X, 6, 0, W), 0, 'the next pair commits on the wrapped word');
  });
});

t.test('a frame no longer READY: the written-out LDREX keeps nothing, the helper marks the frame again', async (t) => {
  const { turns, a } = twoVcpusAfterPairs('tlbexcl', VERSION);
  turns.on(0, () => {
    const frame = a.mmu.readOffset(X, 4, 0) >>> PAGE_BITS;
    const marks = a.atomics.bindings['a_xm'] as Int32Array;
    const marked = statOf(a, 'pagesMarked');
    Atomics.store(marks, frame, 0); // as the lazy unmark leaves it (with no TLB flush)
    const version = versionOfX(a);
    t.equal(a.ops.ldrex(X, W).lo, wordAt(a, X), 'the LDREX loads the word');
    t.equal(statOf(a, 'pagesMarked'), marked + 1, 'through the helper, which marked the frame again');
    t.not(Atomics.load(marks, frame) & READY, 0, 'READY after its flush');
    t.equal(a.ops.strex(X, 9, 0, W), 0, 'and the STREX commits');
    t.equal(versionOfX(a), (version + SEQ) | 0, 'once');
  });
});

t.test('a run of plain stores between a LDREX and its STREX in another block: the STREX expects them', async (t) => {
  // The run's withdrawal counts the vCPU's own stores in the monitor's slots (a_xk), which the written-out STREX reads.
  const { turns, a } = twoVcpusAfterPairs('tlbexcl', VERSION);
  turns.on(0, () => {
    const stores = compiledBlock(a, [0xe58a1004, 0xe58a1008, 0xe12fff1e], 'tlbexcl'); // str r1, [r10, #4]; str r1, [r10, #8]
    a.env[10] = X;
    a.env[1] = 3;
    stores(); // warm
    a.ops.ldrex(X, W);
    stores();
    stores();
    t.equal(a.ops.strex(X, 17, 0, W), 0, 'the STREX commits over two runs of its own stores to the line');
    t.equal(wordAt(a, X), 17, 'and stored');
  });
});
