// tlbexcl's store announcements in the frame's live word
// (src/llsc-tlbexcl/exclusive-state.ts, docs/strategy-tlbexcl.md "Why mark +
// flush + TLB_EXCL is correct"): a store announces itself and reads the
// ranges counted before it in one Atomics.add; an unlocked LDREX publishes its
// range, then counts it, and reads the announcements (and LIVE_READY) in its
// count's own result, which it waits out (awaitStores); only the owner takes
// its count off; a STREX that starts a run leaves its commit's announcement
// and count up until the run's withdrawal. The interleavings are driven step by step on the shared state
// of three vCPU slots; a wait that would block throws after a short limit,
// which is how a test sees that a LDREX waits.

import t from 'tap';
import { createExclusiveBuffer, ExclusiveState } from '../../../src/llsc-tlbexcl/exclusive-state.js';
import { announcedIn, LIVE_RANGES, LIVE_READY } from '../../../src/llsc-tlbexcl/live-word.js';
import { inlineUnlockedStores } from '../../../src/llsc-tlbexcl/inline-stores.js';
import { ANNOUNCED } from '../../../src/emulator/backend/store-announcement.js';
import { frameSlot } from '../../../src/llsc-tlbexcl/frame-slots.js';
import { FrameStores } from '../../../src/llsc-tlbexcl/frame-stores.js';
import { newTlbExclCounters } from '../../../src/llsc-tlbexcl/tlbexcl-vcpu.js';
import { PAGE_BITS } from '../../../src/emulator/softmmu/page-bits.js';

const FRAME = 5;
const X = (FRAME << PAGE_BITS) + 0x100; // host offset of the word under test
const Y = X + 0x40; // another word on its frame
const BLOCKS = 50; // ms a wait may take before the test counts it as waiting

/** Three slots' views of one shared state (global lock), with FRAME marked and flushed (READY). */
function world(): ExclusiveState[] {
  const buffer = createExclusiveBuffer('global');
  const views = [0, 1, 2].map(() => new ExclusiveState(buffer, 'global', 64, newTlbExclCounters()));
  views.forEach((v, slot) => v.registerSlot(slot));
  const mark = views[0]!.reserve(0, X, 4);
  views[0]!.markReady(FRAME, mark);
  views[0]!.dropRange(0);
  return views;
}

/** Each slot's stores (one per view, as each vCPU has one). */
const storesOf = new WeakMap<ExclusiveState, FrameStores>();
function stores(s: ExclusiveState): FrameStores {
  let f = storesOf.get(s);
  if (!f) storesOf.set(s, (f = new FrameStores(s, 64, newTlbExclCounters())));
  return f;
}
const word = (s: ExclusiveState): number => Atomics.load(s.live, frameSlot(FRAME));
const announced = (s: ExclusiveState): number => announcedIn(word(s));
const counted = (s: ExclusiveState): number => word(s) & LIVE_RANGES;
/** Whether a LDREX of `slot` whose count returned `w` waits. */
const waits = (s: ExclusiveState, slot: number, w: number): boolean => {
  try {
    s.awaitStores(slot, FRAME, w, BLOCKS);
    return false;
  } catch (e) {
    if (!/stores announced/.test((e as Error).message)) throw e;
    return true;
  }
};
/** A store by `slot` under the frame's lock to [off, off+4) (holds, stores, cancels, withdraws), in steps. */
function lockedStore(s: ExclusiveState, slot: number, off: number): { finish: () => void } {
  const li = s.locks.indexOf(FRAME);
  s.locks.acquire(li);
  stores(s).holdOverlappingLocked(slot, off, 4, FRAME);
  return {
    finish: () => {
      stores(s).releaseHeldLocked(FRAME, true);
      s.locks.release(li);
    },
  };
}

t.test('a locked store announced between a LDREX\'s publication and its count: the count\'s result shows it, the LDREX waits', async (t) => {
  const [a, b] = world() as [ExclusiveState, ExclusiveState];
  a.publishUnlocked(0, X, 4);
  const store = lockedStore(b, 1, X);
  t.equal(announced(b), 1, 'B announces its store; no range counted, so it scans nothing');
  const w = a.countUnlocked(0, FRAME);
  t.ok(w >= 0, 'A counts its range (the frame is READY)');
  t.equal(announcedIn(w), 1, 'and its count\'s own result holds B\'s announcement');
  t.ok(waits(a, 0, w), 'so A waits (its load must see B\'s store)');
  store.finish();
  t.notOk(a.awaitStores(0, FRAME, word(a)), 'B withdrew after its store: A loads');
  t.equal(a.rangeStart(0), X, 'A\'s range stands: its load came after B\'s store');
});

t.test('a locked store that scans finds a range published and not yet counted, cancels it, and leaves its count to the owner', async (t) => {
  const [a, b, c] = world() as [ExclusiveState, ExclusiveState, ExclusiveState];
  t.ok(c.reserveUnlocked(2, Y, 4) >= 0, 'C reserves Y: one range counted');
  a.publishUnlocked(0, X, 4);
  const store = lockedStore(b, 1, X);
  t.equal(b.rangeStart(0) >>> 0, (X | 0x80000000) >>> 0, 'B\'s announcement saw C\'s count, so B scanned and holds A\'s published range');
  store.finish();
  t.equal(a.rangeStart(0), 0x7fffffff, 'B cancelled it');
  t.equal(counted(a), 1, 'and took no count off: C\'s is still counted');
  const w = a.countUnlocked(0, FRAME);
  t.equal(counted(a), 2, 'A counts its (cancelled) range');
  t.notOk(waits(a, 0, w), 'A does not wait (B withdrew before A\'s count)');
  t.equal(a.beginCommit(0, X, 4), 1, 'A\'s STREX fails: its range is none');
  t.equal(counted(a), 1, 'and the owner took its count off: C\'s alone');
  t.equal(c.beginCommit(2, Y, 4), 0, 'C\'s STREX commits unlocked (it is alone on the frame)');
  c.endCommit(2, Y);
  t.equal(counted(c), 0, 'no count is left');
  t.equal(announced(c), 0, 'and no announcement');
});

t.test('an unlocked store announced before a LDREX\'s count holds the LDREX; one after it sees the range and stores nothing', async (t) => {
  const [a, b] = world() as [ExclusiveState, ExclusiveState];
  t.ok(stores(b).beginUnlockedStore(1, FRAME), 'B may store without the lock: no range on the frame');
  const w = a.reserveUnlocked(0, X, 4);
  t.ok(w >= 0, 'A reserves');
  t.ok(waits(a, 0, w), 'A waits for B\'s store');
  stores(b).endUnlockedStore(FRAME);
  t.notOk(a.awaitStores(0, FRAME, word(a)), 'B withdrew: A loads');
  t.notOk(stores(b).beginUnlockedStore(1, FRAME), 'B\'s next store sees A\'s range: under the lock');
  t.equal(announced(b), 0, 'and withdrew its announcement before taking it');
});

t.test('an unlocked STREX announces its commit; a STREX beside another range does not commit unlocked', async (t) => {
  const [a, b] = world() as [ExclusiveState, ExclusiveState];
  t.ok(b.reserveUnlocked(1, Y, 4) >= 0, 'B reserves Y');
  t.equal(b.beginCommit(1, Y, 4), 0, 'B\'s STREX: alone on the frame, held and announced');
  const w = a.reserveUnlocked(0, X, 4);
  t.ok(w >= 0, 'A reserves X on the same frame');
  t.ok(waits(a, 0, w), 'A waits for B\'s commit');
  b.endCommit(1, Y);
  t.notOk(a.awaitStores(0, FRAME, word(a)), 'B\'s commit is over: A loads');
  t.ok(b.reserveUnlocked(1, Y, 4) >= 0, 'B reserves Y again');
  t.equal(b.beginCommit(1, Y, 4), 2, 'A\'s range is counted: B takes the lock');
  t.equal(announced(b), 0, 'with its announcement withdrawn');
  t.equal(b.rangeStart(1), Y, 'and its range put back');
});

t.test('a LDREX whose range a store under the lock holds waits, and stops waiting once that store cancels it', async (t) => {
  const [a, b, c] = world() as [ExclusiveState, ExclusiveState, ExclusiveState];
  t.ok(c.reserveUnlocked(2, Y, 4) >= 0, 'C reserves Y: one range counted');
  a.publishUnlocked(0, X, 4);
  const li = b.locks.indexOf(FRAME);
  b.locks.acquire(li);
  t.equal(stores(b).announceLocked(FRAME) & LIVE_RANGES, 1, 'B announces a store to X and sees C\'s count');
  stores(b).holdRangesLocked(1, X, 4, FRAME);
  const w = a.countUnlocked(0, FRAME);
  t.equal(announcedIn(w), 1, 'A counts its range after B\'s announcement');
  t.ok(waits(a, 0, w), 'A waits while B holds its range');
  b.cancelRangeLocked(0);
  t.notOk(waits(a, 0, w), 'B cancelled it (B is still announced): A stops waiting, its STREX will fail');
  stores(b).releaseHeldLocked(FRAME, true);
  b.locks.release(li);
  t.equal(a.beginCommit(0, X, 4), 1, 'A\'s STREX fails');
});

t.test('an unlocked STREX reads the announcements in its own add: a store under the lock announced before it sends it to the lock', async (t) => {
  const [a, b] = world() as [ExclusiveState, ExclusiveState];
  t.ok(a.reserveUnlocked(0, X, 4) >= 0, 'A reserves X');
  const li = b.locks.indexOf(FRAME);
  b.locks.acquire(li);
  const w = stores(b).announceLocked(FRAME);
  t.equal(w & LIVE_RANGES, 1, 'B announces a store to X under the lock and sees A\'s count');
  t.equal(a.beginCommit(0, X, 4), 2, 'A\'s STREX finds B\'s announcement: it takes the lock (B may hold and cancel its range)');
  t.equal(announced(a), 1, 'A withdrew its own announcement');
  t.equal(a.rangeStart(0), X, 'and left its range as it was');
  stores(b).awaitCommitsLocked(FRAME, w, BLOCKS);
  stores(b).holdRangesLocked(1, X, 4, FRAME);
  stores(b).releaseHeldLocked(FRAME, true);
  b.locks.release(li);
  t.equal(a.beginCommit(0, X, 4), 1, 'then A\'s STREX fails: B cancelled its range');
  t.equal(counted(a), 0, 'and A took its count off');
});

t.test('a store under the lock waits for an unlocked STREX\'s commit announced before it, then scans', async (t) => {
  const [a, b] = world() as [ExclusiveState, ExclusiveState];
  t.ok(a.reserveUnlocked(0, X, 4) >= 0, 'A reserves X');
  t.equal(a.beginCommit(0, X, 4), 0, 'A\'s STREX commits unlocked: alone, nothing announced');
  const li = b.locks.indexOf(FRAME);
  b.locks.acquire(li);
  const w = stores(b).announceLocked(FRAME);
  t.equal(w & LIVE_RANGES, 1, 'B announces a store to X and sees A\'s count');
  const commitWaits = (): boolean => {
    try {
      stores(b).awaitCommitsLocked(FRAME, w, BLOCKS);
      return false;
    } catch (e) {
      if (!/waiting to scan/.test((e as Error).message)) throw e;
      return true;
    }
  };
  t.ok(commitWaits(), 'B waits for A\'s commit before it scans (its store must come after A\'s)');
  a.endCommit(0, X);
  t.notOk(commitWaits(), 'A\'s commit is over: B scans');
  stores(b).holdRangesLocked(1, X, 4, FRAME);
  t.equal(a.rangeStart(0), 0x7fffffff, 'and finds A\'s range gone (B holds nothing)');
  stores(b).releaseHeldLocked(FRAME, true);
  b.locks.release(li);
  t.equal(announced(a) + counted(a), 0, 'nothing is left announced or counted');
});

t.test('the lazy unmark against an unlocked LDREX: READY in the count\'s result decides', async (t) => {
  const [a, b] = world() as [ExclusiveState, ExclusiveState];
  const li = b.locks.indexOf(FRAME);
  const unmarkTries = (): boolean => {
    b.locks.acquire(li);
    try {
      for (let i = 0; i < 64; i++) if (stores(b).noteStoreLocked(FRAME)) return true;
      return false;
    } finally {
      b.locks.release(li);
    }
  };
  a.publishUnlocked(0, X, 4);
  const w = a.countUnlocked(0, FRAME);
  t.ok(w >= 0, 'A counts first');
  t.notOk(unmarkTries(), 'so the unmark fails: a range is counted');
  a.dropRange(0);
  t.ok(unmarkTries(), 'with A\'s range gone, the frame is unmarked');
  t.equal(a.reserveUnlocked(0, X, 4), -1, 'an unlocked LDREX now takes the locked path');
  a.publishUnlocked(0, X, 4);
  t.equal(a.countUnlocked(0, FRAME), -1, 'and one that counts after the unmark (past its mark check) sees READY gone');
  t.equal(a.rangeStart(0), 0x7fffffff, 'its range taken back');
  t.equal(counted(a), 0, 'and its count');
});

t.test('a STREX that starts a run keeps its announcement and its count up until the run\'s withdrawal', async (t) => {
  const [a, b, c] = world() as [ExclusiveState, ExclusiveState, ExclusiveState];
  // The run's withdrawal as translated code makes it (inline-stores.ts), with the region local naming the frame.
  const { lowering, bindings } = inlineUnlockedStores(a);
  const owed = bindings['a_xo'] as Int32Array;
  const withdraw = new Function('a_xl', 'a_xo', ANNOUNCED, lowering.withdraw) as (l: Int32Array, o: Int32Array, xf: number) => void;
  t.ok(a.reserveUnlocked(0, X, 4) >= 0, 'A reserves X');
  t.equal(a.beginCommit(0, X, 4), 0, 'A\'s STREX commits unlocked');
  a.endCommitStartingRun(0);
  owed[0] = 1; // as the inline STREX does when it starts the run
  t.equal(a.rangeStart(0), 0x7fffffff, 'A\'s range is gone');
  t.same([counted(a), announced(a)], [1, 1], 'but its count and its commit\'s announcement stay up: the run\'s');
  const w = b.reserveUnlocked(1, Y, 4);
  t.ok(w >= 0, 'B reserves Y on the frame during A\'s run');
  t.ok(waits(b, 1, w), 'B waits: its load must see the run\'s stores');
  t.notOk(stores(c).beginUnlockedStore(2, FRAME), 'a store by C sees a range counted (A\'s owed count): under the lock');
  const li = c.locks.indexOf(FRAME);
  c.locks.acquire(li);
  const cw = stores(c).announceLocked(FRAME);
  const scanWaits = (): boolean => {
    try {
      stores(c).awaitCommitsLocked(FRAME, cw, BLOCKS);
      return false;
    } catch (e) {
      if (!/waiting to scan/.test((e as Error).message)) throw e;
      return true;
    }
  };
  t.ok(scanWaits(), 'where it waits for A\'s run before it scans');
  withdraw(a.live, owed, FRAME + 1);
  t.equal(owed[0], 0, 'the run\'s withdrawal clears the owed count');
  t.notOk(scanWaits(), 'A\'s run is withdrawn: C scans');
  stores(c).holdRangesLocked(2, Y + 8, 4, FRAME);
  stores(c).releaseHeldLocked(FRAME, true);
  c.locks.release(li);
  t.notOk(b.awaitStores(1, FRAME, word(b)), 'and B loads');
  t.equal(counted(b), 1, 'A\'s count went with the run: B\'s alone is counted');
  t.equal(b.beginCommit(1, Y, 4), 0, 'so B\'s STREX commits unlocked');
  b.endCommit(1, Y);
  t.equal(word(b) & ~LIVE_READY, 0, 'nothing is left announced or counted');
});
