// The tlbexcl helpers without guest code: two (or three) vCPUs in one thread
// over one guest memory, each with its own Mmu and TLB. Plain stores go
// through the real inline fast path the backend emits (emitStore), compiled
// here, so a TLB entry without TLB_EXCL really bypasses the strategy. A
// vCPU's flushOthersPage flushes the other vCPUs' TLBs at once, which is what
// the acknowledged cross-vCPU flush guarantees by the time it returns.

import t from 'tap';
import { Env, createEnv } from '../../../src/emulator/arm/cpu-state.js';
import type { AtomicVcpu, InlineFlaggedStore, StrategyOptions } from '../../../src/emulator/atomics/strategy.js';
import { emitStore } from '../../../src/emulator/backend/emit-memory.js';
import { ANNOUNCED, announcesRuns, withdrawExpr } from '../../../src/emulator/backend/store-announcement.js';
import { MemOp } from '../../../src/emulator/ir/memop.js';
import { GuestMemory } from '../../../src/emulator/softmmu/guest-memory.js';
import { Mmu } from '../../../src/emulator/softmmu/mmu.js';
import { PAGE_BITS, PTE_READ, PTE_WRITE, TLB_EXCL, TLB_INVALID } from '../../../src/emulator/softmmu/page-bits.js';
import { Tlb } from '../../../src/emulator/softmmu/tlb.js';
import { attachStrategy, vcpuServices } from '../../../src/machine/attach-strategy.js';
import { tlbExclStrategy } from '../../../src/llsc-tlbexcl/tlbexcl-strategy.js';
import { DEFAULT_WITHDRAWAL, parseTlbExclOptions } from '../../../src/llsc-tlbexcl/tlbexcl-options.js';

const BASE = 0x10000;
const X = BASE + 0x100; // the word under test
const Y = BASE + 0x200; // another word on X's page
const OTHER_PAGE = BASE + 0x1000;

type Store = (
  tw: Int32Array, ta: Int32Array, m: Uint8Array | Uint16Array | Int32Array, st: Mmu['st'], addr: number, v: number,
  bindings: Readonly<Record<string, unknown>>,
) => void;

/**
 * The store the backend emits for this vCPU's lowering (with its inline
 * flagged-store path, unless `plain`), as a block of its own: a run's
 * announcement is withdrawn at its end, as at a block's exit.
 */
function compiledStore(memop: number, view: string, flagged: InlineFlaggedStore | undefined, names: string[]): Store {
  // The strategy's bindings as the region factory makes them: locals named a_*.
  const tail = announcesRuns(flagged) ? `${withdrawExpr(flagged)};` : '';
  const body = `const { ${names.join(', ')} } = B; let ti, ${ANNOUNCED} = 0; ${emitStore('v', 'addr', memop, 0, '', flagged)} ${tail}`;
  return new Function('TW', 'TA', view, 'st', 'addr', 'v', 'B', body) as Store;
}

class TestVcpu {
  readonly mmu: Mmu;
  readonly env = createEnv();
  a!: AtomicVcpu;
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  private store32!: Store;
  private store8!: Store;
  constructor(readonly mem: GuestMemory) {
    this.mmu = new Mmu(mem);
    this.i32 = new Int32Array(mem.data);
    this.u8 = new Uint8Array(mem.data);
  }
  /** Compiles this vCPU's stores: through the inline flagged-store path, or (`plain`) always the slow path on a flag. */
  compileStores(plain: boolean): void {
    const flagged = plain ? undefined : this.a.inlineFlaggedStore;
    const names = Object.keys(this.a.bindings);
    this.store32 = compiledStore(MemOp.SIZE_32, 'M32', flagged, names);
    this.store8 = compiledStore(MemOp.SIZE_8, 'M8', flagged, names);
  }
  private b(name: string): (...args: number[]) => number {
    return this.a.bindings[name] as (...args: number[]) => number;
  }
  ldrex(addr: number, memop = MemOp.SIZE_32): number { return this.b('a_ld_excl')(addr, memop | MemOp.ALIGN, 0); }
  strex(addr: number, v: number, memop = MemOp.SIZE_32, hi = 0): number { return this.b('a_st_excl')(addr, v, hi, memop | MemOp.ALIGN, 0); }
  clrex(): void { this.b('a_clrex')(); }
  swap(addr: number, v: number): number { return this.b('a_swap')(addr, v, MemOp.SIZE_32 | MemOp.ALIGN, 0); }
  cas(addr: number, e: number, r: number): number { return this.b('a_cmpxchg')(addr, e, r, MemOp.SIZE_32 | MemOp.ALIGN, 0); }
  /** STR through the emitted fast path (slow path on a miss or a flagged entry). */
  str(addr: number, v: number): void {
    this.store32(this.mmu.tlb.write, this.mmu.tlb.addend, this.i32, this.mmu.st.bind(this.mmu), addr, v, this.a.bindings);
  }
  strb(addr: number, v: number): void {
    this.store8(this.mmu.tlb.write, this.mmu.tlb.addend, this.u8, this.mmu.st.bind(this.mmu), addr, v, this.a.bindings);
  }
  /** An unaligned STR: the slow path stores it byte by byte. */
  strUnaligned(addr: number, v: number): void { this.mmu.st(addr, v, MemOp.SIZE_32, 0); }
  writeTag(addr: number): number { return this.mmu.tlb.write[Tlb.index(addr)]!; }
  stat(key: string): number { return this.a.stats()[key]!; }
}

/** `plain`: stores compiled without the inline flagged-store path (every flagged store takes the slow path). */
function machine(n: number, rangeOptions: StrategyOptions = {}, plain = false): { cpus: TestVcpu[]; mem: GuestMemory } {
  // This file tests the range monitor, an option since session 13 (the version monitor's: tlbexcl-version*.test.ts).
  const options = { 'tlbexcl-monitor': 'ranges', ...rangeOptions };
  const mem = new GuestMemory(GuestMemory.create(16));
  mem.map(BASE, 0x3000, PTE_READ | PTE_WRITE);
  const shared = tlbExclStrategy.createShared(options);
  const cpus = Array.from({ length: n }, () => new TestVcpu(mem));
  cpus.forEach((cpu, index) => {
    cpu.a = attachStrategy(tlbExclStrategy, shared, vcpuServices(index, cpu.env, cpu.mmu, mem, {
      stopTheWorld: (fn) => fn(),
      flushOthersPage: () => cpus.forEach((o) => { if (o !== cpu) o.mmu.tlb.flushAll(); }),
    }), options);
    cpu.compileStores(plain);
  });
  return { cpus, mem };
}

for (const lock of ['global', 'page', 'hashed']) {
  const opts = { 'tlbexcl-lock': lock };

  t.test(`${lock}: LDREX/STREX alone succeeds once; CLREX and a syscall clear the range`, async (t) => {
    const { cpus: [a] } = machine(1, opts);
    a!.str(X, 5);
    t.equal(a!.ldrex(X), 5);
    t.equal(a!.strex(X, 6), 0, 'first STREX succeeds');
    t.equal(a!.strex(X, 7), 1, 'second STREX fails: no range');
    a!.ldrex(X);
    a!.clrex();
    t.equal(a!.strex(X, 8), 1, 'STREX after CLREX fails');
    a!.ldrex(X);
    a!.a.onSyscall();
    t.equal(a!.strex(X, 9), 1, 'STREX after a syscall fails');
    t.equal(a!.i32[a!.mmu.readOffset(X, 4, 0) >> 2], 6);
    t.equal(a!.stat('strexFailNoRange'), 3);
  });

  t.test(`${lock}: another vCPU's store to the range cancels it, even a same-value store (ABA)`, async (t) => {
    const { cpus: [a, b] } = machine(2, opts);
    b!.str(X, 1); // B's TLB now holds an unflagged write entry for X's page
    t.equal(b!.writeTag(X) & TLB_EXCL, 0);
    t.equal(a!.ldrex(X), 1);
    t.equal(b!.writeTag(X), -1, 'A\'s new mark flushed B\'s TLB');
    b!.str(X, 2);
    t.not(b!.writeTag(X) & TLB_EXCL, 0, 'B refilled with TLB_EXCL');
    b!.str(X, 1);
    t.equal(a!.strex(X, 3), 1, 'A = 1, B: 2, 1; A\'s STREX fails');
    t.equal(b!.stat('markedPageStores'), 2, 'both stores went under the lock (A\'s range was live, then cancelled and still counted)');
    t.equal(b!.stat('unlockedStores'), 0);
    t.equal(b!.stat('rangesCancelled'), 1);
    b!.str(X, 1);
    t.equal(b!.stat('unlockedStores'), 1, 'A\'s failed STREX took its count off: the next store runs inline');

    a!.ldrex(X);
    b!.str(X, 1);
    t.equal(a!.strex(X, 3), 1, 'same-value store cancels');

    a!.ldrex(X);
    b!.str(Y, 7);
    t.equal(a!.strex(X, 4), 0, 'a store elsewhere on the page does not');
    t.equal(a!.stat('flushRequestsSent'), 1, 'the page stayed marked: one flush in all');
  });

  t.test(`${lock}: stores straddling a range boundary cancel it; adjacent ones do not`, async (t) => {
    const { cpus: [a, b] } = machine(2, opts);
    a!.ldrex(X);
    b!.strb(X + 4, 1);
    b!.strb(X - 1, 1);
    t.equal(a!.strex(X, 1), 0, 'bytes just outside [X, X+4) leave it');
    a!.ldrex(X);
    b!.strb(X + 3, 1);
    t.equal(a!.strex(X, 1), 1, 'the last byte of the range cancels it');
    a!.ldrex(X);
    b!.strUnaligned(X - 2, 0x01020304);
    t.equal(a!.strex(X, 1), 1, 'an unaligned STR covering X-2..X+1 cancels it');
    a!.ldrex(X, MemOp.SIZE_8);
    b!.strb(X + 1, 9);
    t.equal(a!.strex(X, 1, MemOp.SIZE_8), 0, 'LDREXB range is one byte');
  });

  t.test(`${lock}: STREX to another address or size fails; LDREXD/STREXD cover 8 bytes`, async (t) => {
    const { cpus: [a, b] } = machine(2, opts);
    a!.ldrex(X);
    t.equal(a!.strex(X + 4, 1), 1);
    t.equal(a!.stat('strexFailAddress'), 1);
    a!.ldrex(X);
    t.equal(a!.strex(X, 1, MemOp.SIZE_8), 1, 'STREXB after LDREX fails');
    a!.ldrex(X);
    t.equal(a!.strex(OTHER_PAGE, 1), 1, 'STREX on another page fails');
    t.equal(a!.strex(X, 1), 1, '... and cleared the range');
    t.equal(a!.stat('strexFailAddress'), 3);

    const off = a!.mmu.readOffset(X, 8, 0);
    a!.i32[off >> 2] = 0x11;
    a!.i32[(off >> 2) + 1] = 0x22;
    t.equal(a!.ldrex(X, MemOp.SIZE_64), 0x11);
    t.equal(a!.env[Env.HELPER_HI], 0x22, 'LDREXD high word');
    b!.str(X + 4, 0x22);
    t.equal(a!.strex(X, 1, MemOp.SIZE_64, 2), 1, 'a store to the high word cancels LDREXD');
    a!.ldrex(X, MemOp.SIZE_64);
    t.equal(a!.strex(X, 0x33, MemOp.SIZE_64, 0x44), 0);
    t.same([a!.i32[off >> 2], a!.i32[(off >> 2) + 1]], [0x33, 0x44], 'STREXD stored both words');
  });

  t.test(`${lock}: SWP and a successful kuser cmpxchg cancel; a failed cmpxchg does not`, async (t) => {
    const { cpus: [a, b] } = machine(2, opts);
    a!.str(X, 1);
    a!.ldrex(X);
    t.equal(b!.swap(X, 1), 1);
    t.equal(a!.strex(X, 2), 1, 'SWP of the same value cancels');
    a!.ldrex(X);
    t.equal(b!.cas(X, 5, 6), 0, 'cmpxchg with a wrong expected value fails');
    t.equal(a!.strex(X, 2), 0, '... and leaves the range');
    a!.ldrex(X);
    t.equal(b!.cas(X, 2, 2), 1);
    t.equal(a!.strex(X, 3), 1, 'a successful same-value cmpxchg cancels');
    t.equal(b!.stat('casFail'), 1);
  });

  t.test(`${lock}: a vCPU's own plain store keeps its own range; a third vCPU's range is cancelled too`, async (t) => {
    const { cpus: [a, b, c] } = machine(3, opts);
    a!.ldrex(X);
    c!.ldrex(X);
    a!.str(X, 4);
    t.equal(c!.strex(X, 5), 1, 'A\'s store cancelled C\'s range');
    t.equal(a!.strex(X, 6), 0, 'but not its own');
    t.equal(b!.stat('rangesCancelled') + a!.stat('rangesCancelled'), 1);
  });

  t.test(`${lock}: a successful STREX cancels the other reservations on its bytes`, async (t) => {
    const { cpus: [a, b] } = machine(2, opts);
    a!.ldrex(X);
    b!.ldrex(X);
    t.equal(a!.strex(X, 1), 0);
    t.equal(b!.strex(X, 2), 1, 'aba-llsc: the other LL/SC pair broke B\'s reservation');
  });
}

t.test('alias: a second virtual page on the same frame is flagged and its stores cancel', async (t) => {
  const { cpus: [a, b], mem } = machine(2);
  const ALIAS = BASE + 0x2000;
  mem.frameOffset(X >>> PAGE_BITS); // allocate X's frame
  Atomics.store(mem.pageTable, ALIAS >>> PAGE_BITS, mem.pte(X >>> PAGE_BITS)); // map it twice
  a!.ldrex(X);
  b!.str(ALIAS + (X & 0xfff), 1);
  t.not(b!.writeTag(ALIAS) & TLB_EXCL, 0, 'the alias entry carries TLB_EXCL');
  t.equal(a!.strex(X, 2), 1, 'the store through the alias cancelled the range');
  a!.ldrex(ALIAS + (X & 0xfff));
  t.equal(a!.strex(X, 3), 0, 'LDREX through the alias, STREX through the original: same physical range');
});

t.test('lazy unmark: idle stores clear the mark, the fast path comes back, a new LDREX flushes again', async (t) => {
  const { cpus: [a, b] } = machine(2, { 'tlbexcl-unmark-after': '4' });
  a!.ldrex(X);
  b!.str(Y, 0);
  t.equal(a!.strex(X, 1), 0);
  t.not(b!.writeTag(Y) & TLB_EXCL, 0, 'B\'s entry is flagged');
  for (let i = 0; i < 3; i++) a!.str(Y, i);
  t.equal(a!.stat('pagesUnmarked'), 0, 'three idle stores: still marked');
  a!.str(Y, 3);
  t.equal(a!.stat('pagesUnmarked'), 1, 'the fourth unmarks');
  a!.str(Y, 4);
  t.equal(a!.writeTag(Y) & TLB_EXCL, 0, 'A refilled without TLB_EXCL');
  const before = a!.stat('markedPageStores');
  for (let i = 0; i < 10; i++) a!.str(Y, i);
  t.equal(a!.stat('markedPageStores'), before, 'A stores on the fast path again');
  const bMarked = b!.stat('markedPageStores');
  const bStale = b!.stat('staleFlagStores');
  const bFills = b!.mmu.tlb.fills;
  b!.str(Y, 5);
  t.equal(b!.stat('staleFlagStores'), bStale + 1, 'B\'s stale flagged entry sent one store to the slow path');
  t.equal(b!.writeTag(Y), TLB_INVALID, 'which dropped the entry');
  b!.str(Y, 6);
  t.equal(b!.mmu.tlb.fills, bFills + 1, 'the next store refilled it');
  t.equal(b!.writeTag(Y) & TLB_EXCL, 0, 'without the flag');
  b!.str(Y, 7);
  t.equal(b!.mmu.tlb.fills, bFills + 1, 'B is back on the fast path');
  t.equal(b!.stat('markedPageStores'), bMarked, 'and B took no marked-page slow path');

  a!.ldrex(X);
  t.equal(a!.stat('pagesMarked'), 2);
  t.equal(a!.stat('flushRequestsSent'), 2, 're-marking flushes again');
  b!.str(X, 9);
  t.equal(a!.strex(X, 1), 1, 'and B\'s store is caught again');
});

t.test('an LDREX in a live, already flushed mark sends no flush', async (t) => {
  const { cpus: [a, b] } = machine(2);
  a!.ldrex(X);
  b!.ldrex(Y);
  t.equal(a!.stat('flushRequestsSent') + b!.stat('flushRequestsSent'), 1);
  t.equal(a!.strex(X, 1), 0);
  t.equal(b!.strex(Y, 1), 0);
});

t.test('option errors are clear', async (t) => {
  t.throws(() => parseTlbExclOptions({ 'tlbexcl-lock': 'striped' }), /tlbexcl-lock must be one of global, page, hashed/);
  t.throws(() => parseTlbExclOptions({ 'tlbexcl-unmark-after': '0' }), /whole number/);
  t.throws(() => parseTlbExclOptions({ 'tlbexcl-unmark-after': 'x' }), /whole number/);
  t.throws(() => parseTlbExclOptions({ 'tlbexcl-monitor': 'granule' }), /tlbexcl-monitor must be one of ranges, version/);
  t.same(parseTlbExclOptions({}), { lock: 'global', unmarkAfter: 64, monitor: 'version', withdraw: DEFAULT_WITHDRAWAL },
    'the version monitor is the default');
  t.same(parseTlbExclOptions({ 'tlbexcl-monitor': 'ranges' }).monitor, 'ranges');
  t.throws(() => parseTlbExclOptions({ 'tlbexcl-withdraw': 'lazy' }), /tlbexcl-withdraw must be one of plain, atomic/);
  t.equal(parseTlbExclOptions({ 'tlbexcl-withdraw': 'atomic' }).withdraw, 'atomic');
  t.equal(DEFAULT_WITHDRAWAL, process.arch === 'x64' ? 'plain' : 'atomic', 'the plain withdrawal by default only on x86-64');
  if (process.arch !== 'x64') t.throws(() => parseTlbExclOptions({ 'tlbexcl-withdraw': 'plain' }), /needs an x86-64 host/);
});

t.test('unlocked stores: a store to a marked frame holding no other range runs inline, without the lock', async (t) => {
  const { cpus: [a, b] } = machine(2);
  a!.ldrex(X);
  t.equal(a!.strex(X, 1), 0, 'the frame is marked and now holds no range');
  b!.str(Y, 1); // fills B's entry, with TLB_EXCL
  t.not(b!.writeTag(Y) & TLB_EXCL, 0, 'B\'s entry is flagged');
  const slow = b!.mmu.slowStores;
  const locks = b!.stat('lockAcquisitions');
  const unlocked = b!.stat('unlockedStores');
  for (let i = 0; i < 5; i++) b!.str(X, 10 + i);
  t.equal(b!.mmu.slowStores, slow, 'no SoftMMU slow path');
  t.equal(b!.stat('lockAcquisitions'), locks, 'no lock');
  t.equal(b!.stat('unlockedStores'), unlocked + 5, 'counted as unlocked stores');
  t.equal(a!.i32[a!.mmu.readOffset(X, 4, 0) >> 2], 14, 'the stores landed');

  a!.ldrex(X);
  t.equal(a!.stat('unlockedStoreWaits'), 0, 'no store was in flight: the LDREX did not wait');
  a!.str(Y, 3);
  t.equal(a!.stat('unlockedStores'), 1, 'the owner of the only range stores beside it inline');
  t.equal(a!.strex(X, 2), 0, 'and keeps its range');
  a!.ldrex(X);
  b!.str(Y, 4);
  t.equal(b!.mmu.slowStores, slow + 1, 'with A\'s range live, B\'s store takes the slow path');
  t.equal(b!.stat('unlockedStores'), unlocked + 5, 'not the unlocked one');
  b!.str(X, 5);
  t.equal(a!.strex(X, 6), 1, 'and a store to the range itself cancels it');
});

t.test('unlocked stores without the inline path: the slow path stores without the lock too', async (t) => {
  const { cpus: [a, b] } = machine(2, {}, true);
  a!.ldrex(X);
  t.equal(a!.strex(X, 1), 0);
  const locks = b!.stat('lockAcquisitions');
  b!.str(X, 7);
  b!.str(X, 8);
  t.equal(b!.stat('markedPageStores'), 2, 'both reached flaggedStore');
  t.equal(b!.stat('unlockedStores'), 2, 'and ran unlocked');
  t.equal(b!.stat('lockAcquisitions'), locks, 'no lock');
  a!.ldrex(X);
  b!.str(X, 9);
  t.equal(b!.stat('unlockedStores'), 2, 'a live range sends the store under the lock');
  t.equal(a!.strex(X, 1), 1, 'which cancels it');
});
