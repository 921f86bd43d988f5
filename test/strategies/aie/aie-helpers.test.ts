// The AIE helpers without guest code, per store mode: two or three vCPUs
// (the real Mmu, TLB, VcpuTable slots and shared state, taking turns) run
// LDREX/STREX/SWP/CLREX/kuser cmpxchg through the strategy's own lowering and
// plain stores through the backend's inline fast path. Each row is a torture
// case in miniature, with the STREX status every mode must give.

import t from 'tap';
import { Env } from '../../../src/emulator/arm/cpu-state.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { PAGE_SIZE, TLB_EXCL } from '../../../src/emulator/softmmu/page-bits.js';
import { Tlb } from '../../../src/emulator/softmmu/tlb.js';
import { EXCL_MEMOPS, SWP_MEMOPS } from '../../../harness/lowered-atomics.js';
import { DATA_BASE, type HarnessVcpu, type TakingTurns, vcpusTakingTurns } from '../../../harness/vcpu-harness.js';
import { inlineStore32, type InlineStore } from './inline-store.js';

const MODES = ['off', 'after-swp', 'always'] as const;
type Mode = (typeof MODES)[number];
const W = EXCL_MEMOPS.W;

const X = DATA_BASE + 0x100; // the word under test
const Y = DATA_BASE + 0x140; // same page, another chunk
const D = DATA_BASE + 3 * PAGE_SIZE; // a SWP dummy on another page
const X8 = DATA_BASE + 0x180; // an 8-aligned doubleword

class World {
  readonly tt: TakingTurns;
  readonly st: InlineStore[];
  constructor(mode: Mode, vcpus = 2) {
    this.tt = vcpusTakingTurns('aie', vcpus, { 'aie-monitor': 'set', 'aie-stores': mode });
    this.st = this.tt.vcpus.map((v) => inlineStore32(v));
  }
  on<T>(i: number, fn: (v: HarnessVcpu, store: InlineStore) => T): T {
    return this.tt.on(i, (v) => fn(v, this.st[i]!));
  }
  stat(i: number, key: string): number {
    return Number(this.tt.vcpus[i]!.atomics.stats()[key]);
  }
  word(addr: number): number {
    return this.on(0, (v) => v.ops.load(addr, MemOp.SIZE_32));
  }
}

interface Row {
  readonly name: string;
  /** Returns vCPU 0's final STREX status; X starts at 1. */
  run(w: World): number;
  readonly expect: Readonly<Record<Mode, 0 | 1>>;
}

const ldrexA = (w: World): number => w.on(0, (v) => v.ops.ldrex(X, W).lo);
const strexA = (w: World): number => w.on(0, (v) => v.ops.strex(X, 3, 0, W));
const swpD = (w: World): void => void w.on(1, (v) => v.ops.swp(D, 1, SWP_MEMOPS.W));

const ROWS: readonly Row[] = [
  {
    name: 'aba-plain: B stores 2 then 1 between LDREX and STREX',
    run: (w) => { ldrexA(w); w.on(1, (_v, st) => { st(X, 2); st(X, 1); }); return strexA(w); },
    expect: { off: 0, 'after-swp': 0, always: 1 },
  },
  {
    name: 'aba-plain-after-swp: the same after B ran one SWP',
    run: (w) => { swpD(w); ldrexA(w); w.on(1, (_v, st) => { st(X, 2); st(X, 1); }); return strexA(w); },
    expect: { off: 0, 'after-swp': 1, always: 1 },
  },
  {
    name: 'aba-llsc: B changes 1 -> 2 -> 1 with two LDREX/STREX pairs',
    run: (w) => {
      ldrexA(w);
      w.on(1, (v) => {
        v.ops.ldrex(X, W);
        if (v.ops.strex(X, 2, 0, W) !== 0) throw new Error('B\'s first STREX failed');
        v.ops.ldrex(X, W);
        if (v.ops.strex(X, 1, 0, W) !== 0) throw new Error('B\'s second STREX failed');
      });
      return strexA(w);
    },
    expect: { off: 1, 'after-swp': 1, always: 1 },
  },
  {
    name: 'store-same: B stores the value X holds',
    run: (w) => { ldrexA(w); w.on(1, (_v, st) => st(X, 1)); return strexA(w); },
    expect: { off: 0, 'after-swp': 0, always: 1 },
  },
  {
    name: 'store-diff: B stores another value',
    run: (w) => { ldrexA(w); w.on(1, (_v, st) => st(X, 2)); return strexA(w); },
    expect: { off: 0, 'after-swp': 0, always: 1 },
  },
  {
    name: 'a store to another chunk of the same page breaks nothing',
    run: (w) => { ldrexA(w); w.on(1, (_v, st) => st(Y, 7)); return strexA(w); },
    expect: { off: 0, 'after-swp': 0, always: 0 },
  },
  {
    name: 'B\'s SWP on X empties the set',
    run: (w) => { ldrexA(w); w.on(1, (v) => v.ops.swp(X, 1, SWP_MEMOPS.W)); return strexA(w); },
    expect: { off: 1, 'after-swp': 1, always: 1 },
  },
  {
    name: 'B\'s successful kuser cmpxchg on X empties the set',
    run: (w) => { ldrexA(w); w.on(1, (v) => v.ops.cas(X, 1, 1)); return strexA(w); },
    expect: { off: 1, 'after-swp': 1, always: 1 },
  },
  {
    name: 'B\'s failing kuser cmpxchg stores nothing and breaks nothing',
    run: (w) => { ldrexA(w); w.on(1, (v) => v.ops.cas(X, 5, 6)); return strexA(w); },
    expect: { off: 0, 'after-swp': 0, always: 0 },
  },
  {
    name: 'CLREX leaves the set',
    run: (w) => { ldrexA(w); w.on(0, (v) => v.ops.clrex()); return strexA(w); },
    expect: { off: 1, 'after-swp': 1, always: 1 },
  },
  {
    name: 'a syscall clears the reservation (Linux on return to user)',
    run: (w) => { ldrexA(w); w.on(0, (v) => v.ops.syscall()); return strexA(w); },
    expect: { off: 1, 'after-swp': 1, always: 1 },
  },
  {
    name: 'LDREX then STREX with no one in between',
    run: (w) => { ldrexA(w); w.on(1, (v) => v.ops.load(X, MemOp.SIZE_32)); return strexA(w); },
    expect: { off: 0, 'after-swp': 0, always: 0 },
  },
];

for (const mode of MODES) {
  t.test(`store mode ${mode}`, (t) => {
    for (const row of ROWS) {
      const w = new World(mode);
      w.on(0, (v) => v.ops.store(X, 1, MemOp.SIZE_32));
      const status = row.run(w);
      t.equal(status, row.expect[mode], `${row.name}: STREX ${row.expect[mode] === 0 ? 'succeeds' : 'fails'}`);
      if (status === 0) t.equal(w.word(X), 3, '  and memory holds the STREX value');
      else t.not(w.word(X), 3, '  and memory does not hold the STREX value');
      t.equal(w.stat(0, 'strexFailMonitor') + w.stat(0, 'strexFailReservation'), status, '  failure counted once');
    }
    t.end();
  });
}

t.test('a TLB entry filled before the page had entries is shot down', (t) => {
  for (const mode of MODES) {
    const w = new World(mode);
    w.on(1, (_v, st) => st(X, 1)); // B's write entry for X's page: no entries yet, no flag
    ldrexA(w); // the first entry in the frame
    w.on(1, (_v, st) => { st(X, 2); st(X, 1); });
    const status = strexA(w);
    t.equal(status, mode === 'always' ? 1 : 0, `${mode}: STREX ${mode === 'always' ? 'fails' : 'succeeds'}`);
    t.equal(w.stat(0, 'pageShootdowns'), mode === 'always' ? 1 : 0, `${mode}: shootdowns for the first entry`);
    const tag = w.on(1, (v) => v.mmu.tlb.write[Tlb.index(X)]!);
    t.equal((tag & TLB_EXCL) !== 0, mode === 'always', `${mode}: B's write entry for the page is flagged only if checks are on`);
  }
  t.end();
});

t.test('after-swp: the first SWP flags pages that already hold entries', (t) => {
  const w = new World('after-swp');
  // A SWP word on X's page: its frame is already published, so only the switch's own
  // shootdown can reach B's stale TLB entry (a first-entry shootdown would hide a missing one).
  const S = DATA_BASE + 0x200;
  w.on(0, (v) => v.ops.store(X, 1, MemOp.SIZE_32));
  ldrexA(w);
  t.equal(strexA(w), 0);
  w.on(1, (_v, st) => st(X, 1)); // B's write entry for the page: unflagged, checks are off
  t.equal(w.on(1, (v) => v.mmu.tlb.write[Tlb.index(X)]! & TLB_EXCL), 0, 'no flag before the SWP');
  w.on(0, (v) => v.ops.swp(S, 1, SWP_MEMOPS.W)); // vCPU 0 switches checks on
  t.equal(w.stat(0, 'switchShootdowns'), 1, 'the switch shot down the one page with entries');
  t.equal(w.stat(0, 'pageShootdowns'), 0, 'and nothing else');
  ldrexA(w);
  w.on(1, (_v, st) => { st(X, 2); st(X, 1); });
  t.equal(strexA(w), 1, 'the same plain stores now break the reservation');
  t.ok(w.on(1, (v) => v.mmu.tlb.write[Tlb.index(X)]! & TLB_EXCL), 'B\'s entry for the page is flagged');
  t.equal(w.stat(1, 'storeChecksWithEntry'), 1, 'B\'s first store took the slow path, found the entry and emptied its set');
  t.equal(w.stat(1, 'unlockedStores'), 1, 'the second found no reservation on the frame: inline, no lock');
  t.end();
});

t.test('pages without entries keep the fast path', (t) => {
  const w = new World('always');
  const P = DATA_BASE + 2 * PAGE_SIZE + 0x40;
  ldrexA(w);
  w.on(1, (v, st) => {
    st(P, 1); // a TLB miss: the slow path fills the entry
    const slow = v.mmu.slowStores;
    st(P, 2);
    st(P, 3);
    t.equal(v.mmu.slowStores, slow, 'later stores hit the inline fast path');
    t.equal(v.mmu.tlb.write[Tlb.index(P)]! & TLB_EXCL, 0, 'no flag on a page without entries');
    const before = v.mmu.slowStores;
    st(Y, 1);
    st(Y, 2);
    t.equal(v.mmu.slowStores, before + 2, 'a page with an entry: every store takes the slow path');
  });
  t.equal(w.stat(1, 'storeChecks'), 2, 'both checked');
  t.equal(w.stat(1, 'storeChecksWithEntry'), 0, 'Y\'s chunk has no entry: no lock taken');
  t.end();
});

t.test('a frame whose entries only SWP and cmpxchg use keeps the fast path until a LDREX reserves there', (t) => {
  // A SWP or cmpxchg is one Atomics read-modify-write of the word, atomic against plain stores; store checks protect
  // reservations only (aie-vcpu.ts, entryFor). glibc's thread descriptor shares the top page of a thread's stack.
  const w = new World('always');
  const P = DATA_BASE + 2 * PAGE_SIZE + 0x40;
  w.on(1, (_v, st) => st(P, 1)); // B's write entry for P's page, before any entry there
  t.equal(w.on(0, (v) => v.ops.cas(P, 1, 2)), 1, 'A: a storing cmpxchg on P');
  w.on(0, (v) => v.ops.swp(P + 0x20, 9, SWP_MEMOPS.W));
  t.equal(w.stat(0, 'pageShootdowns'), 0, 'neither published the frame');
  w.on(1, (v, st) => {
    const slow = v.mmu.slowStores;
    st(P + 4, 3);
    st(P, 2);
    t.equal(v.mmu.slowStores, slow, 'B stores beside the entries on the inline fast path');
    t.equal(v.mmu.tlb.write[Tlb.index(P)]! & TLB_EXCL, 0, 'its entry for the page is not flagged');
  });
  t.equal(w.stat(1, 'storeChecks'), 0, 'no store checked');
  t.equal(w.on(0, (v) => v.ops.ldrex(P, W).lo), 2, 'A reserves P');
  t.equal(w.stat(0, 'pageShootdowns'), 1, 'the LDREX published the frame (B\'s entry shot down)');
  w.on(1, (_v, st) => st(P, 2)); // the same value: a store, not a value change
  t.not(w.on(1, (v) => v.mmu.tlb.write[Tlb.index(P)]! & TLB_EXCL), 0, 'B\'s refilled entry is flagged');
  t.equal(w.on(0, (v) => v.ops.strex(P, 4, 0, W)), 1, 'B\'s store cancelled A\'s reservation');
  t.equal(w.on(0, (v) => v.ops.cas(P, 2, 5)), 1, 'a cmpxchg there still stores');
  t.equal(w.word(P), 5);
  t.end();
});

t.test('unlocked stores: a flagged page whose frame holds no reservation stores inline, without a lock', (t) => {
  const w = new World('always');
  ldrexA(w);
  t.equal(strexA(w), 0, 'the set on X is empty again');
  w.on(1, (v, st) => {
    st(X, 5); // fills B's entry (flagged: the frame has an entry)
    t.not(v.mmu.tlb.write[Tlb.index(X)]! & TLB_EXCL, 0, 'B\'s entry is flagged');
    const slow = v.mmu.slowStores;
    st(X, 6);
    st(Y, 7);
    t.equal(v.mmu.slowStores, slow, 'no slow path');
  });
  t.equal(w.stat(1, 'unlockedStores'), 3, 'every store ran unlocked (the first from the slow path, two inline)');
  t.equal(w.stat(1, 'storeChecksWithEntry'), 0, 'no entry was locked');
  t.equal(w.word(X), 6, 'the stores landed');
  ldrexA(w);
  w.on(1, (_v, st) => st(Y, 8));
  t.equal(w.stat(1, 'unlockedStores'), 3, 'with A\'s reservation on the frame, a store beside it takes the slow path');
  t.equal(strexA(w), 0, 'and leaves A\'s reservation on another chunk');
  ldrexA(w);
  w.on(1, (_v, st) => st(X, 9));
  t.equal(strexA(w), 1, 'a store to A\'s chunk breaks it');
  t.equal(w.stat(0, 'unlockedStoreWaits'), 0, 'no LDREX found a store in flight (the vCPUs take turns)');
  t.end();
});

t.test('reservation sets: several vCPUs on one chunk, one STREX wins', (t) => {
  const w = new World('off', 3);
  for (let i = 0; i < 3; i++) w.on(i, (v) => v.ops.ldrex(X, W));
  t.equal(w.on(1, (v) => v.ops.strex(X, 11, 0, W)), 0, 'the first STREX succeeds');
  t.equal(w.on(0, (v) => v.ops.strex(X, 12, 0, W)), 1, 'the others fail');
  t.equal(w.on(2, (v) => v.ops.strex(X, 13, 0, W)), 1);
  t.equal(w.word(X), 11);
  t.equal(w.stat(0, 'strexFailReservation'), 1);
  // A LDREX elsewhere leaves the previous set; the new reservation works.
  w.on(0, (v) => v.ops.ldrex(X, W));
  w.on(0, (v) => v.ops.ldrex(Y, W));
  t.equal(w.stat(0, 'reservationsLeft'), 1, 'left X\'s set');
  t.equal(w.on(0, (v) => v.ops.strex(X, 1, 0, W)), 1, 'STREX to X now fails (local monitor: Y)');
  t.end();
});

t.test('LDREXD/STREXD: 8 bytes in one chunk, a store to either half breaks it', (t) => {
  for (const mode of MODES) {
    const w = new World(mode);
    w.on(0, (v) => v.ops.store64(X8, 0x1122334455667788n));
    t.equal(w.on(0, (v) => v.ops.ldrexd(X8)), 0x1122334455667788n, `${mode}: LDREXD reads both words`);
    w.on(1, (_v, st) => st(X8 + 4, 0x11223344));
    const status = w.on(0, (v) => v.ops.strexd(X8, 0x0102030405060708n));
    t.equal(status, mode === 'always' ? 1 : 0, `${mode}: STREXD after a store to the high word`);
    t.equal(w.on(0, (v) => v.ops.load64(X8)), status === 0 ? 0x0102030405060708n : 0x1122334455667788n);
    w.on(0, (v) => v.ops.ldrexd(X8));
    t.equal(w.on(0, (v) => v.ops.strexd(X8, 0x500000005n)), 0, `${mode}: an undisturbed pair succeeds`);
    t.equal(w.on(0, (v) => v.ops.ldrexd(X8)), 0x500000005n, `${mode}: and LDREXD reads it back`);
    t.equal(w.on(0, (v) => v.env[Env.HELPER_HI]), 5, 'the high word came through HELPER_HI');
  }
  t.end();
});

t.test('a store over several chunks checks each of them', (t) => {
  const w = new World('always', 3);
  const Z = DATA_BASE + 0x300; // chunks Z (vCPU 0), Z+16 (no entry), Z+32 (vCPU 1)
  w.on(0, (v) => v.ops.ldrex(Z, W));
  w.on(1, (v) => v.ops.ldrex(Z + 32, W));
  let stores = 0;
  w.on(2, (v) => {
    v.mmu.fill(Z, 'write', 0x8000);
    const locks = Number(v.atomics.stats().lockAcquisitions);
    v.atomics.flaggedStore(Z, 48, () => stores++);
    t.equal(Number(v.atomics.stats().lockAcquisitions), locks + 2, 'two entries locked');
  });
  t.equal(stores, 1, 'the store itself ran once');
  t.equal(w.stat(2, 'storeChecksWithEntry'), 1);
  t.equal(w.on(0, (v) => v.ops.strex(Z, 1, 0, W)), 1, 'vCPU 0 lost its reservation');
  t.equal(w.on(1, (v) => v.ops.strex(Z + 32, 1, 0, W)), 1, 'vCPU 1 too');
  t.end();
});

t.test('counters for --stats', (t) => {
  const w = new World('after-swp');
  ldrexA(w);
  strexA(w);
  swpD(w);
  const s = w.tt.vcpus[0]!.atomics.stats();
  for (const key of ['ldrex', 'strex', 'strexFailMonitor', 'strexFailReservation', 'swaps', 'lockAcquisitions',
    'lockContended', 'storeChecks', 'storeChecksWithEntry', 'entriesCreated', 'arenaBytes']) {
    t.type(s[key], 'number', key);
  }
  t.equal(s.ldrex, 1);
  t.equal(s.strex, 1);
  t.equal(s.entriesCreated, 1, 'X\'s entry');
  t.ok(s.arenaBytes! > 0, 'nodes and the entry came from the arena');
  t.equal(w.stat(1, 'swaps'), 1);
  t.equal(w.stat(1, 'entriesCreated'), 1, 'D\'s entry');
  t.end();
});
