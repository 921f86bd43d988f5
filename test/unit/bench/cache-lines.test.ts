// The cache-lines microbench (bench/cache-lines/): each strategy's sequence
// leaves its words as the strategy's own code would (tlbexcl's version word
// advanced by one finished store per acquisition and quiet, a wrap counted;
// aie's chunk lock free with its version advanced), two worker threads
// exclude each other in both modes, and the figures per acquisition are
// the threads' sums over their acquisitions.

import t from 'tap';
import { runJs } from '../../../bench/cache-lines/js-run.js';
import { layoutFor } from '../../../bench/cache-lines/layout.js';
import { runFigures } from '../../../bench/cache-lines/run-figures.js';
import { initialise, sequenceOf, SEQUENCES, type Turn } from '../../../bench/cache-lines/sequences.js';
import { VERSION_STEP } from '../../../src/aie/entry-lock.js';
import { COMMIT, SEQS, isQuiet } from '../../../src/llsc-tlbexcl/version-word.js';

const alone: Turn = { self: 0, threads: 1, mode: 'free' };

t.test('one thread: the words as the strategy leaves them', async (t) => {
  for (const place of ['own', 'same'] as const) {
    const l = layoutFor(place);
    const fence = new Int32Array(new SharedArrayBuffer(64));
    for (const name of SEQUENCES) {
      const m = new Int32Array(new SharedArrayBuffer(l.words * 4));
      initialise(m, l);
      const r = sequenceOf[name](m, fence, l, 1000, alone);
      t.same(r, { ops: 1000, fails: 0, waits: 0 }, `${name} ${place}: every try-lock succeeds alone`);
      t.equal(m[l.count], 1000, `${name} ${place}: the critical section ran once per acquisition`);
      t.equal(m[l.sumLo], (999 * 1000) / 2, `${name} ${place}: the sum of i`);
      t.equal(m[l.lock], 0, `${name} ${place}: unlocked`);
      if (name.startsWith('tlbexcl')) t.equal(m[l.meta], 1000, `${name} ${place}: one SEQ per acquisition, no COMMIT left up`);
      if (name === 'aie') t.equal(m[l.meta], 1000 * VERSION_STEP, `${place}: the chunk lock free, its version advanced`);
      if (name === 'cmpxchg') t.equal(m[l.meta], 0, `${place}: no metadata word`);
    }
  }
});

t.test('tlbexcl: the withdrawal that wraps the sequence counts the wrap and takes the carry off', async (t) => {
  for (const name of ['tlbexcl', 'tlbexcl-left'] as const) {
    const l = layoutFor('own');
    const m = new Int32Array(new SharedArrayBuffer(l.words * 4));
    initialise(m, l);
    m[l.meta] = SEQS - 1;
    // Under tlbexcl-left the wrapping withdrawal's word (the carry's COMMIT in it) is not kept: the next LDREX reads.
    t.same(sequenceOf[name](m, new Int32Array(new SharedArrayBuffer(64)), l, 4, alone), { ops: 4, fails: 0, waits: 0 },
      `${name}: no try-lock failed`);
    t.equal(m[l.wraps], 1, `${name}: one wrap counted`);
    t.ok(isQuiet(m[l.meta]!), `${name}: the word is quiet`);
    t.equal(m[l.meta]! & COMMIT, 0, `${name}: no COMMIT left up`);
    t.equal(m[l.meta], 2, `${name}: the sequence went on from 0`);
  }
});

t.test('two worker threads exclude each other; alternating, every acquisition is a hand-over', async (t) => {
  for (const name of SEQUENCES) {
    for (const mode of ['free', 'alternate'] as const) {
      // runJs throws if the count and the acquisitions differ, or the lock is left taken.
      const threads = await runJs(name, 'own', 2, mode, 5_000, 500);
      const f = runFigures(threads);
      t.ok(f.ops >= 5_000 && f.ops <= 10_000, `${name} ${mode}: ${f.ops} acquisitions`);
      if (mode === 'alternate') {
        const [a, b] = threads.map((x) => x.ops);
        t.ok(Math.abs(a! - b!) <= 1, `${name}: the threads took turns (${a} and ${b})`);
      }
    }
  }
});

t.test('figures per acquisition', async (t) => {
  const f = runFigures([
    { ops: 100, fails: 10, waits: 4, cpuNs: 1000, wallNs: 2000, startNs: 10, endNs: 2010 },
    { ops: 300, fails: 30, waits: 0, cpuNs: 3000, wallNs: 3000, startNs: 0, endNs: 3000 },
  ]);
  t.equal(f.ops, 400);
  t.equal(f.cpuPerOp, 10, 'all threads CPU over all acquisitions');
  t.equal(f.wallPerOp, 7.5, 'first start to last end over all acquisitions');
  t.equal(f.failsPerOp, 0.1);
  t.equal(f.waitsPerOp, 0.01);
  t.equal(f.leastOnCore, 0.5, 'the least busy thread');
  t.throws(() => runFigures([{ ops: 0, fails: 0, waits: 0, cpuNs: 1, wallNs: 1, startNs: 0, endNs: 1 }]), /no acquisitions/);
});
