// aie's version monitor (--aie-monitor version, session 12; src/aie/version-monitor.ts,
// inline-version.ts; docs/strategy-aie.md "The version monitor"): a LDREX
// reads the chunk's version (bits 2..31 of the entry's lock word) and then
// the value, writing no shared word; a STREX compare-and-swaps the lock word
// from that version to held; a store under the entry lock advances the
// version in its release. Real A32 TBs, translated and emitted as a vCPU
// does, run on harness vCPUs taking turns; the last test hands a spinlock
// between two vCPUs through `mttcg run`.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { compiledBlock, statOf as stat, twoVcpusAfterPairs, wordAt as word, X } from '../store-run-blocks.js';
import { EXCL_MEMOPS } from '../../../harness/lowered-atomics.js';
import { emitGoldenTb } from '../../../harness/golden-tbs.js';
import { ROOT, runMttcg } from '../../../harness/guest-runner.js';
import type { HarnessVcpu } from '../../../harness/vcpu-harness.js';
import { EntryWord } from '../../../src/aie/aie-entry.js';
import { parseAieOptions } from '../../../src/aie/aie-options.js';
import { AieShared, Header } from '../../../src/aie/aie-shared.js';
import { LOCK_BITS, VERSION_STEP } from '../../../src/aie/entry-lock.js';

const W = EXCL_MEMOPS.W;
const VERSION = { 'aie-monitor': 'version', 'aie-stores': 'always' };
/** Another chunk of X's frame. */
const Y = X + 0x40;
/** ldrex r0, [r10]; strex r1, r2, [r10]; str r3, [r10, #4]; str r3, [r11]; bx lr */
const LOCK_THEN_STORES = [0xe19a0f9f, 0xe18a1f92, 0xe58a3004, 0xe58b3000, 0xe12fff1e];
/** ldrex r0, [r10]; strex r1, r2, [r10]; bx lr (a block with no plain store keeps no runs: the STREX releases at once) */
const PAIR = [0xe19a0f9f, 0xe18a1f92, 0xe12fff1e];

/** The lock word of the entry of guest address `addr`'s chunk, as vCPU v sees the shared words. */
function lockWordOf(v: HarnessVcpu, addr: number): number {
  const shared = new AieShared(v.buffers.strategy!, parseAieOptions(v.buffers.options));
  const off = v.mmu.readOffset(addr, 4, 0);
  const e = shared.tree.lookup(off >>> shared.words[Header.GRANULE_SHIFT]!);
  if (e === 0) throw new Error(`no entry for 0x${addr.toString(16)}`);
  return Atomics.load(shared.words, e + EntryWord.LOCK);
}

/** Two vCPUs under the version monitor, A's region over `words` warmed (its entries inline, its TLB filled). */
function warmed(words: number[]) {
  const world = twoVcpusAfterPairs('aie', VERSION);
  const { turns, a, b } = world;
  turns.on(1, () => b.ops.ldrex(Y, W));
  turns.on(1, () => b.ops.strex(Y, 0, 0, W));
  const run = turns.on(0, () => compiledBlock(a, words, 'aie'));
  turns.on(0, () => {
    a.env[10] = X;
    a.env[11] = X + 8;
    a.env[2] = 1;
    run();
    run();
  });
  return { ...world, run };
}

t.test('LDREX writes no shared word; the STREX\'s run holds the entry lock and its withdrawal advances the version', async (t) => {
  const { turns, a, b, run } = warmed(LOCK_THEN_STORES);
  const before = turns.on(1, () => lockWordOf(b, X));
  t.equal(before & LOCK_BITS, 0, 'the lock is free between runs');
  turns.on(1, () => {
    b.ops.ldrex(X, W);
    b.ops.clrex();
  });
  t.equal(turns.on(1, () => lockWordOf(b, X)), before, 'B\'s LDREX and CLREX left the lock word as it was');
  turns.on(0, () => {
    const calls = stat(a, 'exclusiveHelperCalls');
    const slow = a.mmu.slowStores;
    a.env[3] = 7;
    run();
    t.equal(a.env[1], 0, 'the STREX succeeded');
    t.equal(stat(a, 'exclusiveHelperCalls'), calls, 'LDREX and STREX ran inline');
    t.equal(a.mmu.slowStores, slow, 'the stores to the lock\'s chunk made no check (the run holds its lock)');
    t.same([word(a, X), word(a, X + 4), word(a, X + 8)], [1, 7, 7], 'the STREX\'s store and both plain stores landed');
  });
  const after = turns.on(1, () => lockWordOf(b, X));
  t.equal(after & LOCK_BITS, 0, 'the withdrawal released the lock');
  t.equal((after - before) | 0, VERSION_STEP, 'one store under the lock (the run): the version advanced one step');
});

t.test('a reservation on another chunk of the frame: the run covers one chunk, a store there advances its version', async (t) => {
  const { turns, a, b, run } = warmed(LOCK_THEN_STORES);
  turns.on(1, () => b.ops.ldrex(Y, W));
  turns.on(0, () => {
    const withEntry = stat(a, 'storeChecksWithEntry');
    a.env[11] = Y;
    a.env[3] = 9;
    run();
    t.equal(a.env[1], 0, 'A\'s STREX succeeded');
    t.equal(stat(a, 'storeChecksWithEntry'), withEntry + 1, 'the store to Y (a chunk with an entry) took the entry lock');
  });
  turns.on(1, () => {
    t.equal(word(b, Y), 9, 'A\'s store to Y landed');
    t.equal(b.ops.strex(Y, 6, 0, W), 1, 'and advanced Y\'s version: B\'s STREX fails');
  });
});

t.test('an LL/SC ABA between LDREX and STREX fails the STREX; a failed STREX changes no version', async (t) => {
  const { turns, a, b } = twoVcpusAfterPairs('aie', VERSION);
  turns.on(0, () => a.ops.ldrex(X, W));
  turns.on(1, () => {
    for (const v of [5, 0]) {
      b.ops.ldrex(X, W);
      t.equal(b.ops.strex(X, v, 0, W), 0, `B stores ${v}`);
    }
  });
  const before = turns.on(1, () => lockWordOf(b, X));
  turns.on(0, () => t.equal(a.ops.strex(X, 1, 0, W), 1, 'A\'s STREX fails although the word is back at 0'));
  t.equal(turns.on(1, () => lockWordOf(b, X)), before, 'the failed STREX left the version as it was');
});

t.test('the LDREX reads the version before the value; the STREX stores before the release that advances it', async (t) => {
  const { a } = warmed(PAIR);
  const source = emitGoldenTb({ name: 'pair', pc: 0x10000, words: PAIR, strategies: ['aie'] }, a.atomics);
  const ldrex = source.slice(source.indexOf('ldrex'), source.indexOf('strex'));
  const versionLoad = ldrex.indexOf(`Atomics.load(a_w, xe + ${EntryWord.LOCK})`);
  const valueRead = ldrex.indexOf('M32[xo >> 2]');
  t.ok(versionLoad > 0, 'the LDREX loads the lock word (the version)');
  t.ok(valueRead > 0, 'the LDREX reads the value');
  // With the value first, a store and its release between the two reads would leave the LDREX with the old value
  // and the new version, and its STREX would succeed over the store.
  t.ok(versionLoad < valueRead, 'the version comes first');
  const strex = source.slice(source.indexOf('strex'));
  const store = strex.indexOf('M32[xo >> 2] = ');
  const release = strex.indexOf('Atomics.exchange(a_w, xg');
  t.ok(store > 0 && release > 0, 'the STREX stores and releases');
  t.ok(store < release, 'the store comes before the release (else a LDREX between them reads the new version and the old value)');
});

t.test('a 2-vCPU LDREX/STREX spinlock under the version monitor loses no update', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'aie-version-'));
  const stats = join(dir, 'stats.json');
  const r = runMttcg(join(ROOT, 'bench', 'guest', 'spinlock.elf'), ['2', '200000', 'ldrex'],
    ['--strategy', 'aie', '--aie-monitor', 'version', '--aie-stores', 'always', '--stats-json', stats, '--timeout', '120']);
  t.equal(r.status, 0, `exit 0 (${r.stderr.trim().slice(0, 300)})`);
  const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH ')) ?? 'no BENCH line';
  t.match(line, /check=pass/, 'count and sum exact');
  const totals = (JSON.parse(readFileSync(stats, 'utf8')) as { totals: Record<string, number> }).totals;
  const ldrex = totals['atomic.ldrex'] ?? 0;
  const strex = totals['atomic.strex'] ?? 0;
  t.ok(ldrex >= 2 * 200000, `${ldrex} LDREXes`);
  t.ok((totals['atomic.exclusiveHelperCalls'] ?? ldrex) < ldrex / 10, 'LDREX and STREX mostly inline');
  // Locks: the STREXes' (one each, the critical sections' stores under them), the slow-path stores' (the cold tier's,
  // before the loop's region keeps the STREX's run) and a few others; none per LDREX.
  const locks = (totals['atomic.lockAcquisitions'] ?? 0) - (totals['atomic.storeChecksWithEntry'] ?? 0);
  t.ok(locks < 1.1 * strex, `${locks} lock acquisitions besides the slow-path stores' for ${strex} STREXes`);
  t.end();
});
