// tlbexcl's store announcements in the frame's live word
// (src/llsc-tlbexcl/exclusive-state.ts, docs/strategy-tlbexcl.md "Why mark +
// flush + TLB_EXCL is correct"): a store announces itself and reads the
// ranges counted before it in one Atomics.add; a LDREX counts its range,
// publishes it, and only then reads the announcements (awaitStores) and waits
// for them. The interleavings are driven step by step on the shared state of
// three vCPU slots; a wait that would block throws after a short limit, which
// is how a test sees that a LDREX waits.

import t from 'tap';
import { createExclusiveBuffer, ExclusiveState } from '../../../src/llsc-tlbexcl/exclusive-state.js';
import { announcedIn } from '../../../src/llsc-tlbexcl/live-word.js';
import { frameSlot } from '../../../src/llsc-tlbexcl/frame-slots.js';
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

const announced = (s: ExclusiveState): number => announcedIn(Atomics.load(s.live, frameSlot(FRAME)));
const waits = (s: ExclusiveState, slot: number): boolean => {
  try {
    s.awaitStores(slot, FRAME, BLOCKS);
    return false;
  } catch (e) {
    if (!/stores announced/.test((e as Error).message)) throw e;
    return true;
  }
};

t.test('a LDREX counted before a locked store announced, published after its scan, waits for that store', async (t) => {
  const [a, b] = world() as [ExclusiveState, ExclusiveState];
  t.ok(a.countUnlocked(FRAME), 'A counts its range');
  const li = b.locks.indexOf(FRAME);
  b.locks.acquire(li);
  b.holdOverlappingLocked(1, X, 4, FRAME);
  t.equal(announced(b), 1, 'B announces its store and scans: A\'s range is not published yet, so B holds nothing');
  a.publishUnlocked(0, X, 4);
  t.ok(waits(a, 0), 'A, its range published, reads B\'s announcement and waits (its load must see B\'s store)');
  b.releaseHeldLocked(FRAME, true);
  b.locks.release(li);
  t.equal(announced(b), 0, 'B withdrew after its store');
  t.notOk(a.awaitStores(0, FRAME), 'then A loads at once');
  t.equal(a.rangeStart(0), X, 'A\'s range stands: its load came after B\'s store');
});

t.test('an unlocked store announced before a LDREX\'s count holds the LDREX; one after it sees the range and stores nothing', async (t) => {
  const [a, b] = world() as [ExclusiveState, ExclusiveState];
  t.ok(b.beginUnlockedStore(1, FRAME), 'B may store without the lock: no range on the frame');
  t.ok(a.reserveUnlocked(0, X, 4), 'A reserves');
  t.ok(waits(a, 0), 'A waits for B\'s store');
  b.endUnlockedStore(FRAME);
  t.notOk(a.awaitStores(0, FRAME), 'B withdrew: A loads');
  t.notOk(b.beginUnlockedStore(1, FRAME), 'B\'s next store sees A\'s range: under the lock');
  t.equal(announced(b), 0, 'and withdrew its announcement before taking it');
});

t.test('an unlocked STREX announces its commit; a STREX beside another range does not commit unlocked', async (t) => {
  const [a, b] = world() as [ExclusiveState, ExclusiveState];
  t.ok(b.reserveUnlocked(1, Y, 4), 'B reserves Y');
  t.equal(b.beginCommit(1, Y, 4), 0, 'B\'s STREX: alone on the frame, held and announced');
  t.ok(a.reserveUnlocked(0, X, 4), 'A reserves X on the same frame');
  t.ok(waits(a, 0), 'A waits for B\'s commit');
  b.endCommit(1, Y);
  t.notOk(a.awaitStores(0, FRAME), 'B\'s commit is over: A loads');
  t.ok(b.reserveUnlocked(1, Y, 4), 'B reserves Y again');
  t.equal(b.beginCommit(1, Y, 4), 2, 'A\'s range is counted: B takes the lock');
  t.equal(announced(b), 0, 'with its announcement withdrawn');
  t.equal(b.rangeStart(1), Y, 'and its range put back');
});

t.test('a LDREX whose range a store cancelled stops waiting (its STREX fails whatever it loads)', async (t) => {
  const [a, b, c] = world() as [ExclusiveState, ExclusiveState, ExclusiveState];
  t.ok(c.beginUnlockedStore(2, FRAME), 'C announces an unlocked store');
  t.ok(a.reserveUnlocked(0, X, 4), 'A reserves X');
  const li = b.locks.indexOf(FRAME);
  b.locks.acquire(li);
  b.holdOverlappingLocked(1, X, 4, FRAME);
  b.releaseHeldLocked(FRAME, true);
  b.locks.release(li);
  t.equal(a.rangeStart(0), 0x7fffffff, 'B\'s store under the lock cancelled A\'s range');
  t.equal(announced(c), 1, 'C\'s store is still announced');
  t.ok(a.awaitStores(0, FRAME), 'A does not wait for it');
  c.endUnlockedStore(FRAME);
});
