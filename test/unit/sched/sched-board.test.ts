// The scheduler's decisions without guest code (src/emulator/sched/sched-board.ts):
// PCT change points, starvation slices, futex queues, virtual time, deadlock,
// replay, and the same decisions from the same seed.

import t from 'tap';
import { SchedBoard, ThreadState, WakeReason } from '../../../src/emulator/sched/sched-board.js';
import { parseSchedSpec, type SchedSpec } from '../../../src/emulator/sched/sched-spec.js';

function board(text: string, threads = 3): SchedBoard {
  const spec = parseSchedSpec(text);
  const b = new SchedBoard(SchedBoard.create(spec, 100), spec);
  for (let i = 1; i < threads; i++) b.addThread(100 + i);
  return b;
}

/** Runs `steps` guest steps, each by the thread chosen last; returns the chosen thread per step. */
function run(b: SchedBoard, steps: number, first = 0): number[] {
  const out: number[] = [];
  let me = first;
  for (let i = 0; i < steps; i++) {
    const d = b.decide(me, true);
    if (d.kind !== 'run') throw new Error(d.report);
    me = d.index;
    out.push(me);
  }
  return out;
}

t.test('PCT: the highest priority runs until a change point drops it', async (t) => {
  const b = board('seed:4,depth=2,steps=50,slice=1000000');
  const order = run(b, 60);
  const switches = order.filter((x, i) => i > 0 && x !== order[i - 1]).length;
  t.equal(switches, 1, `one change point, one switch (${order.join('')})`);
  const again = run(board('seed:4,depth=2,steps=50,slice=1000000'), 60);
  t.same(again, order, 'the same seed decides the same');
  const seeds = new Set<string>();
  for (let s = 0; s < 20; s++) seeds.add(run(board(`seed:${s},depth=3,steps=50,slice=1000000`), 60).join(''));
  t.ok(seeds.size > 5, `twenty seeds give ${seeds.size} different schedules`);
});

t.test('a thread that runs a whole slice while another is runnable gives way', async (t) => {
  const order = run(board('seed:1,depth=1,slice=10', 2), 40);
  const runs = order.join('').match(/(.)\1*/g)!.map((r) => r.length);
  t.ok(runs.slice(0, -1).every((n) => n <= 10), `no run longer than the slice (${runs.join(',')})`);
  t.ok(runs.length >= 4, 'both threads keep running');
});

t.test('futex waits: woken oldest first, or by their virtual deadline; time jumps when all wait', async (t) => {
  const b = board('seed:2,depth=1', 3);
  b.blockOnFutex(1, 0x1000, Infinity);
  b.blockOnFutex(2, 0x1000, Infinity);
  t.equal(b.wakeFutex(0x1000, 1), 1);
  t.equal(b.state(1), ThreadState.RUNNABLE, 'the first waiter is woken first');
  t.equal(b.wakeReason(1), WakeReason.WOKEN);
  t.equal(b.state(2), ThreadState.FUTEX);
  t.equal(b.wakeFutex(0x2000, -1), 0, 'another address wakes nobody');
  b.exit(1);
  b.sleep(0, b.nowNs + 1e6);
  const before = b.nowNs;
  const d = b.decide(0, false);
  t.same(d, { kind: 'run', index: 0 }, 'the sleeper runs again when its deadline comes');
  t.equal(b.nowNs, before + 1e6, 'virtual time jumped to the deadline (past its own step)');
  t.equal(b.wakeReason(0), WakeReason.TIMEOUT);
  b.blockOnFutex(0, 0x3000, Infinity);
  const dead = b.decide(0, false);
  t.equal(dead.kind, 'deadlock');
  t.match(dead.kind === 'deadlock' ? dead.report : '', /thread 100 waits on futex 0x3000; thread 102 waits on futex 0x1000/);
});

t.test('replay follows the recorded switches and refuses one that cannot happen', async (t) => {
  const spec = parseSchedSpec('seed:9,depth=1');
  const replay: SchedSpec = { ...spec, replay: [[3, 1], [5, 2], [6, 0]], replayFile: 'x.sched' };
  const b = new SchedBoard(SchedBoard.create(replay, 100), replay);
  b.addThread(101);
  b.addThread(102);
  t.same(run(b, 8), [0, 0, 1, 1, 2, 0, 0, 0]);
  const bad: SchedSpec = { ...spec, replay: [[2, 5]], replayFile: 'x.sched' };
  const c = new SchedBoard(SchedBoard.create(bad, 100), bad);
  t.throws(() => run(c, 3), /at step 2 the schedule names thread 5/);
});
