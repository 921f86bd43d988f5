// The shared signal state without guest code: queueing, coalescing, masks,
// dequeue order, thread choice for process signals, kicks and the outcomes
// posters act on.

import t from 'tap';
import { EAGAIN, ESRCH } from '../../../src/emulator/linux-user/errno.js';
import {
  bitOf, firstSignal, SA_SIGINFO, SI_QUEUE, SIG_DFL, SIG_IGN, SIGCHLD, SIGINT, SIGKILL, SIGRTMIN, SIGSEGV, SIGTERM,
  SIGUSR1, SIGUSR2,
} from '../../../src/emulator/linux-user/signal-numbers.js';
import { makeSigInfo, userInfo } from '../../../src/emulator/linux-user/siginfo.js';
import { QUEUE_ENTRIES } from '../../../src/emulator/linux-user/signal-queue.js';
import { PostOutcome, SignalState, WAIT_WORD_GUEST_MEMORY } from '../../../src/emulator/linux-user/signal-state.js';

function fresh(): { s: SignalState; kicks: number[]; notified: number[] } {
  const kicks: number[] = [];
  const notified: number[] = [];
  const s = new SignalState(SignalState.create(100), {
    requestSignal: (slot) => kicks.push(slot),
    notifyWaitWord: (_kind, i) => notified.push(i),
  });
  return { s, kicks, notified };
}

const handlerAt = (addr: number): { handler: number; flags: number; restorer: number; maskLo: number; maskHi: number } =>
  ({ handler: addr, flags: SA_SIGINFO, restorer: 0, maskLo: 0, maskHi: 0 });

t.test('firstSignal prefers synchronous signals, then the lowest number', async (t) => {
  t.equal(firstSignal(0, 0), 0);
  t.equal(firstSignal(bitOf(SIGUSR1) | bitOf(SIGINT), 0), SIGINT);
  t.equal(firstSignal(bitOf(SIGINT) | bitOf(SIGSEGV), 0), SIGSEGV);
  t.equal(firstSignal(0, bitOf(40)), 40);
  t.equal(firstSignal(bitOf(32), bitOf(64)), 32);
});

t.test('a real-time signal queues every send; a standard one coalesces', async (t) => {
  const { s } = fresh();
  s.attachThread(0, 100, 0, 0);
  s.setAction(SIGRTMIN + 1, handlerAt(0x1000));
  s.setAction(SIGUSR1, handlerAt(0x1000));
  s.setBlocked(0, -1, -1);
  for (let v = 1; v <= 3; v++) {
    t.equal(s.postToThread(100, SIGRTMIN + 1, makeSigInfo(SIGRTMIN + 1, SI_QUEUE, 100, 0, v)), PostOutcome.PENDING);
    t.equal(s.postToThread(100, SIGUSR1, makeSigInfo(SIGUSR1, SI_QUEUE, 100, 0, v)), PostOutcome.PENDING);
  }
  const got: string[] = [];
  for (let info = s.dequeue(0, -1, -1); info; info = s.dequeue(0, -1, -1)) got.push(`${info[0]}:${info[5]}`);
  t.same(got, ['10:1', '33:1', '33:2', '33:3'], 'SIGUSR1 once (first value), then each SIGRTMIN+1 in order');
  t.same(s.pending(0), [0, 0], 'nothing left pending');
});

t.test('blocked signals stay pending and unblocking kicks the thread', async (t) => {
  const { s, kicks } = fresh();
  s.attachThread(3, 100, bitOf(SIGUSR2), 0);
  s.setAction(SIGUSR2, handlerAt(0x2000));
  t.equal(s.postToThread(100, SIGUSR2, userInfo(SIGUSR2, 1, 0)), PostOutcome.PENDING);
  t.same(kicks, [], 'a blocked signal kicks nobody');
  t.notOk(s.hasDeliverable(3));
  t.equal(s.dequeue(3, ~s.blockedLo(3), ~s.blockedHi(3)), null, 'not taken while blocked');
  s.setBlocked(3, 0, 0);
  t.same(kicks, [3], 'unblocking kicks the thread');
  t.ok(s.hasDeliverable(3));
  t.equal(s.dequeue(3, -1, -1)![0], SIGUSR2);
});

t.test('a process signal goes to a thread that does not block it; blocking it moves it on', async (t) => {
  const { s, kicks } = fresh();
  s.attachThread(0, 100, bitOf(SIGUSR1), 0);
  s.attachThread(1, 101, 0, 0);
  s.attachThread(2, 102, 0, 0);
  s.setAction(SIGUSR1, handlerAt(0x3000));
  t.equal(s.postToProcess(SIGUSR1, userInfo(SIGUSR1, 1, 0)), PostOutcome.PENDING);
  t.same(kicks, [1], 'thread 0 blocks it, so thread 1 is kicked');
  s.setBlocked(1, bitOf(SIGUSR1), 0);
  t.same(kicks, [1, 2], 'thread 1 blocks it now: thread 2 gets it');
  s.detachThread(2);
  t.same(kicks, [1, 2], 'nobody else accepts it when thread 2 exits');
  t.ok(s.pending(0)[0] & bitOf(SIGUSR1), 'still pending for the process');
  s.setBlocked(0, 0, 0);
  t.same(kicks, [1, 2, 0], 'thread 0 unblocks it and is kicked');
  t.equal(s.dequeue(0, -1, -1)![0], SIGUSR1);
});

t.test('ignored signals are dropped; SIG_IGN discards pending ones; fatal defaults are reported', async (t) => {
  const { s } = fresh();
  s.attachThread(0, 100, 0, 0);
  t.equal(s.postToProcess(SIGCHLD, userInfo(SIGCHLD, 1, 0)), PostOutcome.IGNORED, 'SIGCHLD is ignored by default');
  s.setAction(SIGINT, { ...handlerAt(SIG_IGN), flags: 0 });
  t.equal(s.postToThread(100, SIGINT, userInfo(SIGINT, 1, 0)), PostOutcome.IGNORED, 'SIG_IGN');
  t.equal(s.postToThread(100, SIGTERM, userInfo(SIGTERM, 1, 0)), PostOutcome.FATAL, 'SIGTERM kills by default');
  t.equal(s.postToThread(100, SIGKILL, userInfo(SIGKILL, 1, 0)), PostOutcome.FATAL, 'SIGKILL always');
  s.setBlocked(0, bitOf(SIGUSR1), 0);
  t.equal(s.postToThread(100, SIGUSR1, userInfo(SIGUSR1, 1, 0)), PostOutcome.PENDING, 'a blocked default-fatal signal waits');
  s.setAction(SIGUSR1, { ...handlerAt(SIG_IGN), flags: 0 });
  t.notOk(s.pending(0)[0] & bitOf(SIGUSR1), 'setting SIG_IGN discarded the pending SIGUSR1');
  s.setAction(SIGUSR1, { ...handlerAt(SIG_DFL), flags: 0 });
  t.equal(s.postToThread(999, SIGUSR1, userInfo(SIGUSR1, 1, 0)), -ESRCH, 'unknown tid');
});

t.test('SIGKILL cannot be blocked', async (t) => {
  const { s } = fresh();
  s.attachThread(0, 100, -1, -1);
  t.equal(s.blockedLo(0) & bitOf(SIGKILL), 0);
  t.equal(s.postToProcess(SIGKILL, userInfo(SIGKILL, 1, 0)), PostOutcome.FATAL);
});

t.test('a full queue refuses real-time signals with information, not kill(2)', async (t) => {
  const { s } = fresh();
  s.attachThread(0, 100, -1, -1);
  s.setAction(40, handlerAt(0x1000));
  let queued = 0;
  for (let i = 0; i < QUEUE_ENTRIES; i++) if (s.postToThread(100, 40, makeSigInfo(40, SI_QUEUE)) === PostOutcome.PENDING) queued++;
  t.equal(queued, QUEUE_ENTRIES, 'the pool takes QUEUE_ENTRIES signals');
  t.equal(s.postToThread(100, 40, makeSigInfo(40, SI_QUEUE)), -EAGAIN, 'sigqueue gets EAGAIN');
  t.equal(s.postToProcess(41, userInfo(41, 1, 0)), PostOutcome.PENDING, 'kill still sets it pending');
  let n = 0;
  for (let info = s.dequeue(0, -1, -1); info; info = s.dequeue(0, -1, -1)) n++;
  t.equal(n, QUEUE_ENTRIES + 1, 'every queued entry comes back, and the overflowed one without info');
});

t.test('temporary masks (sigsuspend) come back', async (t) => {
  const { s } = fresh();
  s.attachThread(0, 100, bitOf(SIGUSR1), 0);
  s.setTemporaryMask(0, 0, 0);
  t.equal(s.blockedLo(0), 0);
  s.restoreMask(0);
  t.equal(s.blockedLo(0), bitOf(SIGUSR1));
  t.equal(s.takeSavedMask(0), null, 'consumed');
});

t.test('a kick bumps the wake word and notifies a futex wait in progress', async (t) => {
  const { s, notified } = fresh();
  s.attachThread(5, 105, 0, 0);
  s.setAction(SIGUSR1, handlerAt(0x1000));
  const { array, index } = s.wakeWord(5);
  const before = Atomics.load(array, index);
  s.setWaitWord(5, WAIT_WORD_GUEST_MEMORY, 1234);
  s.postToThread(105, SIGUSR1, userInfo(SIGUSR1, 1, 0));
  t.not(Atomics.load(array, index), before, 'wake word changed');
  t.same(notified, [1234], 'the futex word was notified');
});
