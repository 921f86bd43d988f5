// host/thread-clock-probe.ts: a probe run at the guest's thread-CPU clock
// reads is hidden from the clock's answers, so a section timed with a probe
// set measures the guest's CPU, not the probe's.
import t from 'tap';
import { threadCpu } from '../../../src/host/thread-cpu.js';
import { clockNs, CLOCK_THREAD_CPUTIME_ID } from '../../../src/emulator/linux-user/guest-clock.js';
import { setThreadClockProbe } from '../../../src/host/thread-clock-probe.js';

// schedstat, with its wait for a core (thread-cpu.ts: null where the kernel gives none).
const haveSchedstat = threadCpu()?.waitNs != null;

/** This thread's wait for a core so far (ns; only called where haveSchedstat). */
function waitNs(): bigint {
  return BigInt(threadCpu()!.waitNs!);
}

let sink = 0;
function spin(ms: number): void {
  const end = process.hrtime.bigint() + BigInt(ms * 1e6);
  while (process.hrtime.bigint() < end) sink = (sink * 31 + 7) | 0;
}

t.test('a busy probe at each read adds nothing to the section between two reads', { skip: !haveSchedstat && 'no schedstat' }, (t) => {
  let probes = 0;
  setThreadClockProbe(() => {
    probes++;
    spin(15);
  });
  try {
    // A 5 ms section between two reads, each read running a 15 ms probe: 5 ms, not 20 or 35. The
    // section's own waits for a core are taken off its wall time (the probe's are the hook's business).
    const errors: number[] = [];
    for (let i = 0; i < 8; i++) {
      const a = clockNs(CLOCK_THREAD_CPUTIME_ID)!;
      const start = process.hrtime.bigint();
      const w1 = waitNs();
      spin(5);
      const w2 = waitNs();
      const wall = process.hrtime.bigint() - start;
      const b = clockNs(CLOCK_THREAD_CPUTIME_ID)!;
      errors.push(Number(b - a - (wall - (w2 - w1))) / 1e6);
    }
    t.equal(probes, 16, 'the probe ran at every read');
    const sorted = [...errors].sort((x, y) => x - y);
    const median = sorted[sorted.length >> 1]!;
    t.ok(Math.abs(median) < 1.5, `section CPU less its wall time and waits: median ${median.toFixed(3)} ms (errors ${errors.map((e) => e.toFixed(2)).join(', ')}); a probe not hidden adds 15 ms`);
  } finally {
    setThreadClockProbe(null);
  }
  t.end();
});

t.test('without a probe nothing runs at a read', (t) => {
  let probes = 0;
  setThreadClockProbe(() => probes++);
  setThreadClockProbe(null);
  clockNs(CLOCK_THREAD_CPUTIME_ID);
  clockNs(CLOCK_THREAD_CPUTIME_ID);
  t.equal(probes, 0);
  t.end();
});
