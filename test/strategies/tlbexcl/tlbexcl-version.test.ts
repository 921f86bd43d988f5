// tlbexcl's version monitor (`--tlbexcl-monitor version`,
// src/llsc-tlbexcl/version-monitor.ts; docs/strategy-tlbexcl.md "The version
// monitor"): a LDREX keeps its line's quiet version word and writes nothing
// shared; a STREX compare-and-sets exactly that word (advanced by the vCPU's
// own finished stores) to word + COMMIT; every store announces itself on its
// line's word before it stores (waiting out a commit under way) and advances
// the sequence when it withdraws. The interleavings are driven step by step on three vCPUs'
// views of one shared state; a wait that would block throws after a short
// limit, which is how a test sees that a LDREX or a store waits. The tests
// before the last ones drive the atomic withdrawal (`--tlbexcl-withdraw
// atomic`: a store announces with an add, even beside a commit); the last
// ones the plain withdrawal's order (a store never writes a word whose COMMIT
// is up, so the commit's holder may withdraw with a plain store).

import t from 'tap';
import { createExclusiveBuffer, ExclusiveState } from '../../../src/llsc-tlbexcl/exclusive-state.js';
import { newTlbExclCounters } from '../../../src/llsc-tlbexcl/tlbexcl-vcpu.js';
import { MonitorSlot } from '../../../src/llsc-tlbexcl/monitor-slots.js';
import { VersionMonitor } from '../../../src/llsc-tlbexcl/version-monitor.js';
import type { Withdrawal } from '../../../src/llsc-tlbexcl/tlbexcl-options.js';
import { COMMIT, LINE_BITS, lineWord, SEQ, SEQS, WRITER, WRITERS, wrappedBy } from '../../../src/llsc-tlbexcl/version-word.js';
import { MARKED, READY } from '../../../src/llsc-tlbexcl/exclusive-state.js';
import { PAGE_BITS } from '../../../src/emulator/softmmu/page-bits.js';

const FRAME = 5;
const OTHER = 9; // another frame
const X = (FRAME << PAGE_BITS) + 0x100; // host offset of the word under test
const Y = X + 0x40; // a word on another line of its frame
const XO = OTHER << PAGE_BITS; // a word on the other frame
const BLOCKS = 50; // ms a wait may take before the test counts it as waiting

interface Vcpu {
  readonly state: ExclusiveState;
  readonly mon: VersionMonitor;
}

/** Three vCPUs' views of one shared state, FRAME and OTHER marked and flushed (READY). */
function world(unmarkAfter = 64, withdrawal: Withdrawal = 'atomic'): Vcpu[] {
  const buffer = createExclusiveBuffer('global');
  const vcpus = [0, 1, 2].map(() => {
    const c = newTlbExclCounters();
    const state = new ExclusiveState(buffer, 'global', unmarkAfter, c, 0);
    return { state, mon: new VersionMonitor(state, c, withdrawal) };
  });
  for (const f of [FRAME, OTHER]) vcpus[0]!.state.markReady(f, vcpus[0]!.state.markLocked(f));
  return vcpus;
}

const word = (v: Vcpu, off = X): number => Atomics.load(v.state.live, lineWord(off >>> LINE_BITS));
const ready = (v: Vcpu): boolean => (Atomics.load(v.state.marks, FRAME) & (MARKED | READY)) === (MARKED | READY);
/** A finished store of `v` at `off` (announce, store, withdraw); `stored` false: a failed cmpxchg. */
const store = (v: Vcpu, off = X, stored = true): void => {
  v.mon.announce(off, BLOCKS);
  v.mon.withdrawStore(off, stored);
};
/** Whether `f` ran into a wait's limit (a window that stayed open) rather than returning. */
const waits = (f: () => unknown, what: RegExp): boolean => {
  try {
    f();
    return false;
  } catch (e) {
    if (!what.test((e as Error).message)) throw e;
    return true;
  }
};
/** A full LDREX/STREX pair's STREX: 0 committed (and withdrawn), else the failure. */
const strex = (v: Vcpu, off = X, bytes = 4): number => {
  const r = v.mon.beginCommit(off, bytes);
  if (r === 0) v.mon.endCommit(off);
  return r;
};

t.test('a LDREX only reads; an uncontended STREX commits and advances the sequence', async (t) => {
  const [a] = world() as [Vcpu];
  const before = word(a);
  t.ok(ready(a), 'the frame is marked READY');
  t.not(lineWord(X >>> LINE_BITS), lineWord(Y >>> LINE_BITS), 'X and Y (another line) have words of their own');
  t.equal(a.mon.reserve(X, 4, BLOCKS), 0, 'A keeps the word without waiting');
  t.equal(word(a), before, 'and wrote nothing to it');
  t.equal(a.mon.beginCommit(X, 4), 0, 'A\'s STREX wins its compare-and-set');
  t.equal(word(a), before + COMMIT, 'COMMIT is up while it stores');
  a.mon.endCommit(X);
  t.equal(word(a), before + SEQ, 'and the withdrawal advances the sequence');
  t.equal(strex(a), 1, 'a second STREX without a LDREX fails');
});

t.test('a store finished between a LDREX and its STREX fails the STREX; one that stored nothing does not', async (t) => {
  const [a, b] = world() as [Vcpu, Vcpu];
  a.mon.reserve(X, 4, BLOCKS);
  store(b, X, false);
  t.equal(strex(a), 0, 'a failed cmpxchg (nothing stored) leaves the monitor');
  a.mon.reserve(X, 4, BLOCKS);
  store(b, X + 4);
  t.equal(strex(a), 1, 'B\'s finished store to X\'s line (other bytes) fails A\'s STREX');
  a.mon.reserve(X, 4, BLOCKS);
  store(b, Y);
  t.equal(strex(a), 0, 'a store to another line of the frame does not (strex-fail-keeps)');
  a.mon.reserve(X, 4, BLOCKS);
  store(b, XO);
  t.equal(strex(a), 0, 'nor one to another frame');
});

t.test('a store announced and not withdrawn: a LDREX waits; a STREX after a LDREX fails', async (t) => {
  const [a, b] = world() as [Vcpu, Vcpu];
  b.mon.announce(X, BLOCKS);
  t.ok(waits(() => a.mon.reserve(X, 4, BLOCKS), /stores announced/), 'A\'s LDREX waits for B\'s withdrawal (its load must see B\'s store)');
  b.mon.withdrawStore(X, true);
  t.equal(a.mon.reserve(X, 4, BLOCKS), 0, 'after it A keeps the advanced word');
  t.equal(strex(a), 0, 'and commits');
  a.mon.reserve(X, 4, BLOCKS);
  b.mon.announce(X, BLOCKS);
  t.equal(strex(a), 1, 'a store announced after the LDREX, still storing, fails the STREX (the word is compared whole)');
  t.equal(word(a) & WRITERS, WRITER, 'and the failed STREX left the word alone');
  b.mon.withdrawStore(X, true);
});

t.test('a commit under way: a store waits for it, a LDREX waits, another STREX fails', async (t) => {
  const [a, b, c] = world() as [Vcpu, Vcpu, Vcpu];
  a.mon.reserve(X, 4, BLOCKS);
  c.mon.reserve(X, 4, BLOCKS);
  t.equal(a.mon.beginCommit(X, 4), 0, 'A commits');
  t.equal(c.mon.beginCommit(X, 4), 1, 'C\'s STREX (the same word kept) fails');
  t.ok(waits(() => c.mon.reserve(X, 4, BLOCKS), /stores announced/), 'C\'s next LDREX waits for A\'s commit');
  t.ok(waits(() => b.mon.announce(X + 8, BLOCKS), /commit on guest frame/), 'B\'s store to X\'s line announces and waits for A\'s commit before it stores');
  t.equal(word(a) & (COMMIT | WRITERS), COMMIT | WRITER, 'B\'s announcement is up beside the commit');
  a.mon.endCommit(X);
  t.notOk(waits(() => b.mon.announce(X + 8, BLOCKS), /commit on guest frame/), 'once A withdraws, B\'s next announcement stores at once');
  t.notOk(waits(() => b.mon.announce(Y, BLOCKS), /commit on guest frame/), 'a store to another line never waited for it');
  b.mon.withdrawStore(X + 8, true);
  b.mon.withdrawStore(X + 8, true);
  b.mon.withdrawStore(Y, true);
  t.equal(word(a) & (COMMIT | WRITERS), 0, 'the word is quiet again');
  t.equal(c.mon.reserve(X, 4, BLOCKS), 0, 'C keeps it');
  t.equal(strex(c), 0, 'and commits');
});

t.test('own stores to the monitored frame do not fail the STREX; another vCPU\'s store beside them does', async (t) => {
  const [a, b] = world() as [Vcpu, Vcpu];
  a.mon.reserve(X, 4, BLOCKS);
  store(a, X + 4);
  store(a, X + 8);
  store(a, Y);
  t.equal(a.mon.slots[MonitorSlot.OWN_STORES], 2, 'A counts its two finished stores to the monitored line');
  t.equal(strex(a), 0, 'A\'s STREX expects them and commits');
  a.mon.reserve(X, 4, BLOCKS);
  store(a, X + 4);
  store(b, X + 8);
  t.equal(strex(a), 1, 'with B\'s store to the line as well, A\'s STREX fails');
  a.mon.reserve(X, 4, BLOCKS);
  store(b, X + 8);
  store(a, X + 4);
  t.equal(strex(a), 1, 'in either order');
});

t.test('STREX to another address or size, CLREX, and a LDREX elsewhere', async (t) => {
  const [a] = world() as [Vcpu];
  a.mon.reserve(X, 4, BLOCKS);
  t.equal(strex(a, Y), 2, 'another address fails (2)');
  a.mon.reserve(X, 4, BLOCKS);
  t.equal(strex(a, X, 8), 2, 'another size fails (2)');
  a.mon.reserve(X, 4, BLOCKS);
  a.mon.clear();
  t.equal(strex(a), 1, 'CLREX (or a syscall) closes the monitor');
  a.mon.reserve(X, 4, BLOCKS);
  a.mon.reserve(Y, 4, BLOCKS);
  t.equal(strex(a), 2, 'a new LDREX replaces the monitor');
});

t.test('the lazy unmark fails the monitors on the frame and takes READY off', async (t) => {
  const [a, b] = world(3) as [Vcpu, Vcpu];
  a.mon.reserve(X, 4, BLOCKS);
  for (let i = 0; i < 3; i++) {
    b.mon.announce(Y, BLOCKS);
    b.mon.withdrawStore(Y, true);
    if (i < 2) t.notOk(b.mon.noteStore(FRAME), `idle store ${i + 1} does not unmark`);
    else t.ok(b.mon.noteStore(FRAME), 'the third unmarks');
  }
  t.notOk(b.state.isMarked(FRAME), 'the frame is unmarked');
  t.equal(strex(a), 1, 'A\'s STREX fails (its line\'s word was advanced, though the idle stores went to another line)');
  t.equal(a.mon.reserve(X, 4, BLOCKS), -1, 'a LDREX finds the frame not READY (it marks it again and flushes)');
  a.state.markReady(FRAME, a.state.markLocked(FRAME));
  t.equal(a.mon.reserve(X, 4, BLOCKS), 0, 'after the new mark\'s flush, it keeps the word');
  t.equal(strex(a), 0, 'and commits');
});

t.test('an unmark between a LDREX\'s read of the word and its read of the mark: the LDREX keeps nothing', async (t) => {
  const [a, b] = world(1) as [Vcpu, Vcpu];
  let unmarked = false;
  const r = a.mon.reserve(X, 4, BLOCKS, () => {
    store(b, Y);
    unmarked = b.mon.noteStore(FRAME);
  });
  t.ok(unmarked, 'B\'s idle store unmarked the frame after A read X\'s word');
  t.equal(r, -1, 'A\'s LDREX, reading the mark after the word, keeps no monitor (it marks the frame again and flushes)');
  t.equal(strex(a), 1, 'so no STREX of A can commit on the word it read (fast-path stores may follow the unmark)');
});

t.test('a word seen again after its sequence wrapped fails the STREX', async (t) => {
  const [a, b] = world() as [Vcpu, Vcpu];
  a.mon.reserve(X, 4, BLOCKS);
  const kept = word(a);
  const li = lineWord(X >>> LINE_BITS);
  const wraps = Atomics.load(a.state.wraps, li);
  // 2^21 finished stores bring the 21-bit sequence round to the kept word.
  for (let i = 0; i <= SEQS; i++) store(b, X + 4);
  t.equal(word(a), kept, 'the word is the one A kept');
  t.equal(Atomics.load(a.state.wraps, li), wraps + 1, 'the store that wrapped it counted the wrap');
  t.equal(strex(a), 1, 'A\'s STREX fails');
  t.equal(word(a) & (COMMIT | WRITERS), 0, 'and withdrew its commit');
});

t.test('a storer stopped between its wrapping add and its count: no store lands and no STREX commits until the count', async (t) => {
  const [a, b, c] = world() as [Vcpu, Vcpu, Vcpu];
  const li = lineWord(X >>> LINE_BITS);
  for (let i = 0; i < 5; i++) store(c, X + 4);
  a.mon.reserve(X, 4, BLOCKS);
  const kept = word(a);
  const wraps = Atomics.load(a.state.wraps, li);
  // C's finished stores bring the sequence to its last value.
  while (!wrappedBy(word(a))) store(c, X + 4);
  // B stores to the line; its withdrawal's add wraps the sequence, and B's thread stops right after that add.
  b.mon.announce(X + 8, BLOCKS);
  Atomics.add(a.state.live, li, SEQ - WRITER);
  t.not(word(a) & COMMIT, 0, 'the wrapping add\'s carry shows a commit under way on the word');
  // More stores of C would bring the word back to the one A kept while the wrap is uncounted: each waits instead.
  let waited = false;
  while (word(a) !== kept && !waited) {
    waited = waits(() => c.mon.announce(X + 4, BLOCKS), /commit on guest frame/);
    c.mon.withdrawStore(X + 4, !waited);
  }
  t.ok(waited, 'C\'s next store waits for the count (the word never came back to A\'s)');
  t.ok(waits(() => c.mon.reserve(X, 4, BLOCKS), /stores announced/), 'so does a LDREX');
  // B runs again: it counts the wrap and takes the carry's COMMIT off (VersionMonitor's countWrap).
  Atomics.add(a.state.wraps, li, 1);
  Atomics.sub(a.state.live, li, COMMIT);
  t.equal(word(a) & (COMMIT | WRITERS), 0, 'then the word is quiet');
  while (word(a) !== kept) store(c, X + 4);
  t.equal(Atomics.load(a.state.wraps, li), wraps + 1, 'C\'s stores bring it back to A\'s word, the wrap counted');
  t.equal(strex(a), 1, 'and A\'s STREX fails on the count');
});

// The plain withdrawal (`--tlbexcl-withdraw plain`, docs/strategy-tlbexcl.md "The plain withdrawal"): translated code
// withdraws a commit by storing the word it committed from + SEQ, which is right only if no other vCPU wrote the word
// while COMMIT was up. `plainWithdrawal` does what that code does.
const plainWithdrawal = (v: Vcpu, from: number, off = X): void => {
  Atomics.store(v.state.live, lineWord(off >>> LINE_BITS), (from + SEQ) | 0);
};

t.test('plain withdrawal: a store waits out a commit before it announces, so the holder\'s plain store loses nothing', async (t) => {
  const [a, b] = world(64, 'plain') as [Vcpu, Vcpu];
  a.mon.reserve(X, 4, BLOCKS);
  const from = word(a);
  t.equal(a.mon.beginCommit(X, 4), 0, 'A commits');
  t.ok(waits(() => b.mon.announce(X + 8, BLOCKS), /commit on guest frame/), 'B\'s store to X\'s line waits for A\'s commit');
  t.equal(word(a), (from + COMMIT) | 0, 'and wrote nothing to the word meanwhile (no WRITER beside the commit)');
  plainWithdrawal(a, from);
  t.equal(word(a), (from + SEQ) | 0, 'A\'s plain withdrawal: the word quiet, one SEQ on');
  t.notOk(waits(() => b.mon.announce(X + 8, BLOCKS), /commit on guest frame/), 'then B announces at once');
  t.equal(word(a) & WRITERS, WRITER, 'with one WRITER');
  b.mon.withdrawStore(X + 8, true);
  t.equal(word(a), (from + 2 * SEQ) | 0, 'and B\'s withdrawal leaves the word quiet, two SEQs on: nothing lost');
});

t.test('plain withdrawal: a store announced before a LDREX keeps the next STREX out; one after it fails it', async (t) => {
  const [a, b] = world(64, 'plain') as [Vcpu, Vcpu];
  b.mon.announce(X + 8, BLOCKS);
  t.ok(waits(() => a.mon.reserve(X, 4, BLOCKS), /stores announced/), 'A\'s LDREX waits for B\'s withdrawal');
  b.mon.withdrawStore(X + 8, true);
  a.mon.reserve(X, 4, BLOCKS);
  b.mon.announce(X + 8, BLOCKS);
  t.equal(a.mon.beginCommit(X, 4), 1, 'B announced after A\'s LDREX: A\'s STREX fails (no commit beside a WRITER)');
  b.mon.withdrawStore(X + 8, true);
  t.equal(word(a) & (COMMIT | WRITERS), 0, 'the word is quiet');
});

t.test('plain withdrawal: a wrap\'s carry holds stores out until it is counted', async (t) => {
  const [a, b, c] = world(64, 'plain') as [Vcpu, Vcpu, Vcpu];
  const li = lineWord(X >>> LINE_BITS);
  while (!wrappedBy(word(a))) store(c, X + 4);
  b.mon.announce(X + 8, BLOCKS);
  Atomics.add(a.state.live, li, SEQ - WRITER); // B's wrapping withdrawal; B stops before it counts the wrap
  const carried = word(a);
  t.not(carried & COMMIT, 0, 'the carry shows a commit under way');
  t.ok(waits(() => c.mon.announce(X + 4, BLOCKS), /commit on guest frame/), 'C\'s store waits for the count');
  t.equal(word(a), carried, 'without writing the word');
  Atomics.add(a.state.wraps, li, 1);
  Atomics.sub(a.state.live, li, COMMIT);
  store(c, X + 4);
  t.equal(word(a) & (COMMIT | WRITERS), 0, 'once counted, C stores and the word is quiet');
});
