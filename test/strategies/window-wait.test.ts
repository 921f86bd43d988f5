// A LDREX's wait for another vCPU's short window (an announced store, a held
// range, a store hazard) ends when the window closes, and ends with an error
// naming the window when it never does, instead of spinning for ever: the
// guest hang the deadlock detector cannot see (src/emulator/atomics/window-wait.ts).

import t from 'tap';
import { awaitAnnouncedStores } from '../../src/emulator/atomics/inline-flagged-store.js';
import { awaitWindow, pauseInWindow, WINDOW_WAIT_LIMIT_MS } from '../../src/emulator/atomics/window-wait.js';

const STRIDE = 4;

t.test('a closed window is not waited for', async (t) => {
  const words = new Int32Array(new SharedArrayBuffer(64));
  words[STRIDE] = 0x20 + 1; // slot 1 announces a store to another frame
  t.equal(awaitAnnouncedStores(words, 0, STRIDE, 2, 0, 0x12 + 1), false);
  t.equal(awaitWindow(words, 0, () => false, () => 0, () => 'never asked'), false);
});

t.test('a window that closes after many reads is waited for, past the spins into the sleeps', async (t) => {
  const words = new Int32Array(new SharedArrayBuffer(64));
  let reads = 0;
  const open = (): boolean => ++reads < 400;
  t.equal(awaitWindow(words, 0, open, () => 0, () => 'test window', 1000), true);
  t.equal(reads, 400, 'read until it closed');
});

t.test("a store announcement that is never withdrawn ends the LDREX's wait with an error naming it", async (t) => {
  const words = new Int32Array(new SharedArrayBuffer(64));
  words[0] = 0x12 + 1; // slot 0: the waiter itself, skipped
  words[STRIDE] = 0x12 + 1; // slot 1 announced a store to frame 0x12 and never withdrew it
  const started = performance.now();
  t.throws(() => awaitAnnouncedStores(words, 0, STRIDE, 2, 0, 0x12 + 1, 40),
    /vCPU slot 1's store announcement on guest frame 0x12 stayed open for 40 ms .*an emulator bug/);
  t.ok(performance.now() - started >= 40, 'not before the limit');
});

t.test('pauseInWindow spins first, then sleeps with a deadline, then throws', async (t) => {
  const words = new Int32Array(new SharedArrayBuffer(64));
  t.equal(pauseInWindow(words, 0, 0, 1, 0, () => 'w', 5), 0, 'no deadline while spinning');
  const deadline = pauseInWindow(words, 0, 0, 101, 0, () => 'w', 5);
  t.ok(deadline > 0, 'the first sleep sets the deadline');
  while (performance.now() <= deadline) pauseInWindow(words, 0, 0, 102, deadline, () => 'w', 5);
  t.throws(() => pauseInWindow(words, 0, 0, 103, deadline, () => 'the window', 5), /the window stayed open for 5 ms/);
  t.ok(WINDOW_WAIT_LIMIT_MS >= 1000, 'the run-time limit is far above a host time slice');
});
