// host/thread-os-counters.ts: the OS's counters of the calling thread, read
// at a guest section's two ends by the section probe.
import { cpus } from 'node:os';
import t from 'tap';
import { readProcessThreadsCpu, readThreadOsCounters, schedField, statFields } from '../../../src/host/thread-os-counters.js';

t.test('the parsers read the named fields, whatever the thread is called', (t) => {
  const sched = 'node (1234, #threads: 9)\n------\nse.exec_start   :   1.5\nse.nr_migrations    :    7\nnr_switches : 40\nnr_voluntary_switches : 31\nnr_involuntary_switches : 9\n';
  t.equal(schedField(sched, 'se.nr_migrations'), 7);
  t.equal(schedField(sched, 'nr_voluntary_switches'), 31);
  t.equal(schedField(sched, 'nr_involuntary_switches'), 9);
  t.ok(Number.isNaN(schedField(sched, 'nr_missing')), 'an absent field is NaN');
  // A name with spaces and a parenthesis; minflt is field 10, majflt 12, processor 39.
  const fields = ['S', ...Array.from({ length: 50 }, (_, i) => String(i + 4))];
  fields[10 - 3] = '5555';
  fields[12 - 3] = '66';
  fields[39 - 3] = '1';
  const stat = `4321 (a (b) c) ${fields.join(' ')}\n`;
  t.same(statFields(stat), { hostTid: 4321, minorFaults: 5555, majorFaults: 66, core: 1 });
  t.end();
});

t.test('live counters grow with what the thread does', (t) => {
  const a = readThreadOsCounters();
  if (a === null) {
    t.pass('no /proc/thread-self here');
    t.end();
    return;
  }
  // Touching 8 MiB of fresh memory faults its pages in (at least four: the kernel may give 2 MiB
  // pages, THP); sleeping three times switches out three times.
  const mem = Buffer.allocUnsafeSlow(8 << 20);
  for (let i = 0; i < mem.length; i += 4096) mem[i] = 1;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 3; i++) Atomics.wait(cell, 0, 0, 3);
  const spinUntil = process.hrtime.bigint() + 20_000_000n;
  while (process.hrtime.bigint() < spinUntil);
  const b = readThreadOsCounters()!;
  t.ok(b.minorFaults - a.minorFaults >= 4, `8 MiB touched: ${b.minorFaults - a.minorFaults} minor faults (2048 small pages or 4 huge ones)`);
  t.ok(b.voluntarySwitches - a.voluntarySwitches >= 3, `three sleeps: ${b.voluntarySwitches - a.voluntarySwitches} voluntary switches`);
  t.ok(b.runNs - a.runNs >= 10_000_000, `20 ms of spinning: ${(b.runNs - a.runNs) / 1e6} ms on a core (schedstat, up to a tick stale)`);
  t.ok(b.migrations >= a.migrations && b.involuntarySwitches >= a.involuntarySwitches && b.waitNs >= a.waitNs, 'the other counters never fall');
  t.ok(b.core >= 0 && b.core < cpus().length, `the core (${b.core}) is one of the host's`);
  const threads = readProcessThreadsCpu();
  const me = threads.find((x) => x.tid === b.hostTid);
  t.ok(me, `this thread (${b.hostTid}) is among the process's threads`);
  t.ok(me!.runNs >= b.runNs, 'and its CPU there is its own');
  t.end();
});
