// Seconds-counting calls read the guest's CLOCK_REALTIME, as clock_gettime
// does: time(2) and the semihosting SYS_TIME once read Date.now() while
// clock_gettime read hrtime plus an offset taken at load, so conf-semihost's
// "time close to time()" came out -1 when the two straddled a second.

import t from 'tap';
import {
  CLOCK_REALTIME, CLOCK_THREAD_CPUTIME_ID, clockNs, continueThreadClock, realtimeSeconds, threadClockNs, useVirtualClock,
} from '../../../src/emulator/linux-user/guest-clock.js';
import { exactThreadCpuNs } from '../../../src/host/exact-thread-cpu.js';
import { legacySyscalls, NR_time } from '../../../src/emulator/linux-user/sys-legacy.js';
import type { ThreadContext } from '../../../src/emulator/linux-user/thread-context.js';

t.test('time(2) and realtimeSeconds follow the guest clock, virtual or not', async (t) => {
  // A virtual realtime half a second past 1,234 s: the host clock is far from it.
  useVirtualClock((c) => (c === CLOCK_REALTIME ? 1_234_500_000_000n : 0n));
  t.teardown(() => useVirtualClock(null));
  t.equal(realtimeSeconds(), 1234);
  const time = legacySyscalls().get(NR_time)!;
  const written: number[] = [];
  const ctx = { access: { writeU32: (_a: number, v: number) => written.push(v) } } as unknown as ThreadContext;
  t.equal(time(ctx, 0), 1234, 'time(NULL) is the guest clock\'s second');
  t.equal(time(ctx, 0x1000), 1234);
  t.same(written, [1234], 'time(&t) stores the same second');
});

t.test('on the host clock, realtimeSeconds is clock_gettime(CLOCK_REALTIME)\'s second', async (t) => {
  useVirtualClock(null);
  const before = clockNs(CLOCK_REALTIME)! / 1_000_000_000n;
  const s = realtimeSeconds();
  const after = clockNs(CLOCK_REALTIME)! / 1_000_000_000n;
  t.ok(BigInt(s) >= before && BigInt(s) <= after, `${before} <= ${s} <= ${after}`);
});

t.test('a thread moved from another host thread reads its CPU clock on from where it was', { skip: exactThreadCpuNs() === null ? 'no thread CPU clock here' : false }, async (t) => {
  t.teardown(() => continueThreadClock(null));
  // The main thread's solo phase handed the thread over when its clock read 5 s (machine/solo-phase.ts).
  continueThreadClock(5e9);
  const a = clockNs(CLOCK_THREAD_CPUTIME_ID)!;
  t.ok(a >= 5_000_000_000n && a < 5_100_000_000n, `goes on from 5 s (${a})`);
  const b = threadClockNs()!;
  t.ok(b >= a, 'and forward');
  continueThreadClock(null);
  const host = exactThreadCpuNs()!;
  const c = clockNs(CLOCK_THREAD_CPUTIME_ID)!;
  t.ok(c >= host && c - host < 100_000_000n, 'a thread that starts here reads the host thread\'s clock');
});
