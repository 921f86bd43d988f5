// aie's inline LDREX and STREX (src/aie/inline-exclusives.ts): once a vCPU's
// helper LDREX has cached the chunk's entry and the TLB holds the page, a
// word LDREX and STREX run in the translated statement itself, with the
// helpers' results and --stats counters; an LL/SC pair, a plain store or a
// CLREX by another vCPU between them still makes the STREX fail, and the
// frame's reservation count goes back to 0 (a later plain store is unlocked).
// A warm kuser cmpxchg runs inline too. What the fast path does not cover
// calls the helper.

import t from 'tap';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { PAGE_SIZE, PTE_READ, PTE_WRITE } from '../../../src/emulator/softmmu/page-bits.js';
import { EXCL_MEMOPS, LoweredAtomics } from '../../../harness/lowered-atomics.js';
import { DATA_BASE, SCRATCH_BASE, type HarnessVcpu, vcpusTakingTurns } from '../../../harness/vcpu-harness.js';
import { inlineStore32, type InlineStore } from './inline-store.js';

const W = EXCL_MEMOPS.W;
const X = DATA_BASE + 0x100;
const Y = DATA_BASE + 0x140; // same page, another chunk
const MODES = ['off', 'after-swp', 'always'] as const;

function world(mode: string) {
  const tt = vcpusTakingTurns('aie', 2, { 'aie-monitor': 'set', 'aie-stores': mode });
  const st = tt.vcpus.map((v) => inlineStore32(v));
  const on = <T>(i: number, fn: (v: HarnessVcpu, store: InlineStore) => T): T => tt.on(i, (v) => fn(v, st[i]!));
  const stat = (i: number, key: string): number => Number(tt.vcpus[i]!.atomics.stats()[key]);
  // Warm both vCPUs: a helper LDREX caches the entry, a STREX fills the write entry.
  for (const i of [0, 1]) on(i, (v) => { v.ops.ldrex(X, W); v.ops.strex(X, 1, 0, W); });
  const helperCalls = (): number => stat(0, 'exclusiveHelperCalls') + stat(1, 'exclusiveHelperCalls');
  return { on, stat, helperCalls };
}

for (const mode of MODES) {
  t.test(`aie stores=${mode}: warm word LDREX/STREX call no helper and keep LL/SC semantics`, async (t) => {
    const w = world(mode);
    const calls0 = w.helperCalls();
    const before = [w.stat(0, 'ldrex'), w.stat(0, 'strex'), w.stat(0, 'strexFailReservation'), w.stat(0, 'lockAcquisitions')];
    const out: number[] = [];
    // A plain pair succeeds.
    out.push(w.on(0, (v) => v.ops.ldrex(X, W).lo), w.on(0, (v) => v.ops.strex(X, 2, 0, W)));
    // B's LL/SC pair between A's LDREX and STREX (an ABA by LL/SC: 2 -> 3 -> 2) makes A's STREX fail.
    out.push(w.on(0, (v) => v.ops.ldrex(X, W).lo));
    w.on(1, (v) => {
      out.push(v.ops.ldrex(X, W).lo, v.ops.strex(X, 3, 0, W));
      out.push(v.ops.ldrex(X, W).lo, v.ops.strex(X, 2, 0, W));
    });
    out.push(w.on(0, (v) => v.ops.strex(X, 9, 0, W)));
    t.same(out, [1, 0, 2, 2, 0, 3, 0, 1], 'the architectural results');
    t.equal(w.on(0, (v) => v.ops.load(X, MemOp.SIZE_32)), 2, 'the failed STREX stored nothing');
    t.equal(w.helperCalls(), calls0, 'no LDREX or STREX helper was called');
    const after = [w.stat(0, 'ldrex'), w.stat(0, 'strex'), w.stat(0, 'strexFailReservation'), w.stat(0, 'lockAcquisitions')];
    // The inline LDREX joins without the entry lock (its helper still takes it): only the two STREXes lock.
    t.same(after.map((a, i) => a - before[i]!), [2, 2, 1, 2], 'ldrex, strex, strexFailReservation counted as the helpers count; lockAcquisitions by the STREXes only');
  });
}

t.test('aie stores=always: a plain store between inline LDREX and STREX cancels; the frame count returns to 0', async (t) => {
  const w = world('always');
  const calls0 = w.helperCalls();
  w.on(0, (v) => v.ops.ldrex(X, W));
  w.on(1, (_v, st) => st(X, 1)); // the same value: a store, not a value change
  t.equal(w.on(0, (v) => v.ops.strex(X, 5, 0, W)), 1, 'B\'s store between them makes A\'s STREX fail');
  t.equal(w.stat(1, 'storeChecksWithEntry'), 1, 'B\'s store found A\'s reservation (slow path, entry lock)');
  w.on(0, (v) => v.ops.ldrex(X, W));
  t.equal(w.on(0, (v) => v.ops.strex(X, 6, 0, W)), 0, 'a pair without a store between succeeds');
  const unlocked = w.stat(1, 'unlockedStores');
  w.on(1, (_v, st) => st(X, 7));
  t.equal(w.stat(1, 'unlockedStores'), unlocked + 1, 'after the STREX no reservation is counted on the frame: B\'s store is unlocked');
  w.on(0, (v) => { v.ops.ldrex(X, W); v.ops.clrex(); });
  w.on(1, (_v, st) => st(X, 8));
  t.equal(w.stat(1, 'unlockedStores'), unlocked + 2, 'nor after LDREX and CLREX');
  t.equal(w.helperCalls(), calls0, 'the LDREXes and STREXes ran inline');
});

for (const mode of ['off', 'always'] as const) {
  t.test(`aie stores=${mode}: an inline STREX after the page was remapped to another frame fails`, async (t) => {
    const w = world(mode);
    w.on(0, (v) => v.ops.ldrex(X, W));
    const calls = w.helperCalls();
    // The page gets a new frame (the old one is not released, so it cannot come back); every TLB drops it.
    w.on(0, (v) => { v.mem.map(X & -PAGE_SIZE, PAGE_SIZE, PTE_READ | PTE_WRITE); v.mmu.tlb.flushAll(); });
    w.on(1, (v) => v.mmu.tlb.flushAll());
    w.on(0, (_v, st) => st(X + 8, 0)); // refills A's write entry: the STREX's TLB probe hits
    const fails = w.stat(0, 'strexFailReservation');
    t.equal(w.on(0, (v) => v.ops.strex(X, 5, 0, W)), 1, 'the reservation was on the old frame: the STREX fails');
    t.equal(w.on(0, (v) => v.ops.load(X, MemOp.SIZE_32)), 0, 'and stores nothing in the new frame');
    t.equal(w.stat(0, 'strexFailReservation'), fails + 1, 'counted as a lost reservation');
    t.equal(w.helperCalls(), calls + 1, 'the inline STREX saw the key of another chunk and left it to the helper');
  });
}

t.test('aie: what the inline path does not cover calls the helper', async (t) => {
  const w = world('always');
  let calls = w.helperCalls();
  const step = (what: string): void => {
    t.equal(w.helperCalls(), calls + 1, what);
    calls = w.helperCalls();
  };
  w.on(0, (v) => v.ops.ldrex(Y, W));
  step('a LDREX on a chunk other than the cached one');
  w.on(0, (v) => v.ops.ldrex(X, W));
  step('a LDREX while holding a reservation on another chunk (it leaves that set first)');
  t.equal(w.on(0, (v) => v.ops.strex(X + 4, 1, 0, W)), 1, 'a STREX the monitor does not match fails');
  step('in the helper');
  w.on(0, (v) => v.ops.ldrex(X, EXCL_MEMOPS.B));
  step('a byte LDREX');
  t.equal(w.on(0, (v) => v.ops.strex(X, 4, 0, EXCL_MEMOPS.B)), 0, 'and its STREX stores');
  step('through the helper');
});

t.test('aie: a warm kuser cmpxchg runs inline, cancels reservations when it stores, and alternating chunks stay inline', async (t) => {
  const tt = vcpusTakingTurns('aie', 2, { 'aie-monitor': 'set', 'aie-stores': 'always' });
  const [a, b] = tt.vcpus as [HarnessVcpu, HarnessVcpu];
  let casHelper = 0;
  const bindings: Record<string, unknown> = { ...b.atomics.bindings };
  const helper = bindings.a_cmpxchg as (...x: unknown[]) => unknown;
  bindings.a_cmpxchg = (...x: unknown[]) => { casHelper++; return helper(...x); };
  const bOps = new LoweredAtomics({ ...b.atomics, bindings }, b.env, b.mmu, b.control, SCRATCH_BASE + 64);
  const stat = (v: HarnessVcpu, key: string): number => Number(v.atomics.stats()[key]);
  tt.on(1, () => { bOps.cas(X, 0, 1); bOps.cas(X, 1, 1); }); // cold: the helper caches the entry and fills the TLB
  // A cmpxchg does not publish its frame (aie-vcpu.ts, entryFor): no TLB flush, so the second runs inline.
  t.equal(casHelper, 1, 'a cold cmpxchg calls the helper, the next runs inline');
  t.equal(tt.on(0, () => a.ops.ldrex(X, W).lo), 1, 'A reserves X');
  // A's LDREX published the frame and shot B's TLB entry down: B's next cmpxchg refills it (flagged) in the helper.
  t.equal(tt.on(1, () => bOps.cas(X, 3, 3)), 0, 'B: a failing cmpxchg');
  t.equal(casHelper, 2, 'through the helper (the shootdown)');
  const before = [stat(b, 'cas'), stat(b, 'casFail')];
  t.same(tt.on(1, () => [bOps.cas(X, 7, 9), bOps.cas(X, 1, 1)]), [0, 1], 'B: a failing and a storing cmpxchg');
  t.equal(casHelper, 2, 'both inline');
  t.same([stat(b, 'cas') - before[0]!, stat(b, 'casFail') - before[1]!], [2, 1], 'counted as the helper counts');
  t.equal(tt.on(0, () => a.ops.strex(X, 5, 0, W)), 1, 'B\'s storing cmpxchg (same value) cancelled A\'s reservation');
  // Two chunks in turn: each LDREX/STREX pair runs inline once both entries are known.
  tt.on(0, () => { a.ops.ldrex(Y, W); a.ops.strex(Y, 1, 0, W); });
  const calls = stat(a, 'exclusiveHelperCalls');
  const results = tt.on(0, () => [X, Y, X, Y].map((addr) => { a.ops.ldrex(addr, W); return a.ops.strex(addr, 2, 0, W); }));
  t.same(results, [0, 0, 0, 0], 'pairs on X and Y succeed');
  t.equal(stat(a, 'exclusiveHelperCalls'), calls, 'without a helper call');
});
