// bench/speed/section-split.ts: an n-thread section's wall time against its
// busiest thread's CPU, and the threads' unequal CPU for equal work.

import t from 'tap';
import { parseBenchLine } from '../../../bench/lib/peers.js';
import { sectionSplit } from '../../../bench/speed/section-split.js';

t.test('two threads: the busiest thread sets both figures', async (t) => {
  const s = sectionSplit(parseBenchLine('BENCH workload=x threads=2 ops=2 ns=250000000 cpu=200000000:160000000 wall=248000000:170000000'));
  t.equal(s.cpuMaxOverMin, 1.25, '200 over 160 ms');
  t.equal(s.wallOverBusiest, 1.25, 'the 250 ms section over the busiest thread\'s 200 ms, not the mean');
});

t.test('one thread: equal CPU by definition, the section over its CPU', async (t) => {
  const s = sectionSplit(parseBenchLine('BENCH workload=x threads=1 ops=1 ns=150000000 cpu=120000000'));
  t.equal(s.cpuMaxOverMin, 1);
  t.equal(s.wallOverBusiest, 1.25);
});

t.test('a thread without its CPU clock gives no figures rather than wrong ones', async (t) => {
  for (const cpu of ['-:150000000', '', '0:150000000']) {
    const s = sectionSplit(parseBenchLine(`BENCH workload=x threads=2 ops=2 ns=250000000 cpu=${cpu}`));
    t.ok(Number.isNaN(s.cpuMaxOverMin) && Number.isNaN(s.wallOverBusiest), `cpu=${cpu}`);
  }
});
