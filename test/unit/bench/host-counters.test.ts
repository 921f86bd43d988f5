// bench/lib/host-counters.ts: the host's /proc/stat counters around a run.
import t from 'tap';
import { counterGrowth, describeGrowth, readHostCounters } from '../../../bench/lib/host-counters.js';

t.test('a reading of /proc/stat has counters that only grow', (t) => {
  const a = readHostCounters();
  if (!a) {
    t.pass('no /proc/stat on this host: nothing to read');
    t.end();
    return;
  }
  // This thread's own 30 ms sleep switches context twice and is ended by a timer interrupt.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
  const b = readHostCounters()!;
  const g = counterGrowth(a, b);
  t.ok(g.contextSwitches >= 1, `a 30 ms sleep switched context (${g.contextSwitches})`);
  t.ok(g.interrupts >= 1, `30 ms of a running host had interrupts (${g.interrupts})`);
  for (const [k, v] of Object.entries(g)) t.ok(v >= 0 && Number.isFinite(v), `${k} grew by ${v}, not negative`);
  t.end();
});

t.test('growth is the difference of two readings, described in one line', (t) => {
  const before = { stealMs: 10, irqMs: 0, softirqMs: 20, interrupts: 100, contextSwitches: 50 };
  const after = { stealMs: 40, irqMs: 10, softirqMs: 20, interrupts: 160, contextSwitches: 75 };
  const g = counterGrowth(before, after);
  t.same(g, { stealMs: 30, irqMs: 10, softirqMs: 0, interrupts: 60, contextSwitches: 25 });
  t.equal(describeGrowth(g), 'steal 30 ms, irq 10, softirq 0, 60 interrupts, 25 switches');
  t.equal(describeGrowth(undefined), 'no /proc/stat');
  t.end();
});
