// A measurement hook at each read of the guest's thread CPU clock
// (CLOCK_THREAD_CPUTIME_ID, linux-user/guest-clock.ts). A benchmark guest
// reads that clock at the two ends of its timed section (bench/guest/bench.h),
// so a probe run there sees the emulator's and the OS's counters at the
// section's ends, and their growth is what happened inside it
// (machine/section-probe.ts). The probe's own run time is hidden from the
// clock's later answers, as the clock's own reads are (host/exact-thread-cpu.ts):
// the section's CPU figure does not include it. That run time is the probe's
// wall time less the growth of the thread's wait for a core (schedstat's wait
// field, current whenever the thread itself reads it): hiding the wall time
// would hide a wait that was never the thread's CPU, and on a loaded host
// make a section's figure too small by that wait. No probe is set unless a
// run asks for one, and then a read costs one null test more.

import { hideFromThreadCpu } from './exact-thread-cpu.js';
import { threadCpu } from './thread-cpu.js';

let probe: (() => void) | null = null;

/** Runs `p` at every later read of this thread's CPU clock (null: none). */
export function setThreadClockProbe(p: (() => void) | null): void {
  probe = p;
}

/** The thread's wait for a core so far (ns), or null where the kernel does not say (thread-cpu.ts). */
function waitNs(): bigint | null {
  const w = threadCpu()?.waitNs;
  return w === undefined || w === null ? null : BigInt(w);
}

/** Called by the guest's thread CPU clock after it has its answer. */
export function atThreadClockRead(): void {
  if (probe === null) return;
  const waitBefore = waitNs();
  const start = process.hrtime.bigint();
  probe();
  const wall = process.hrtime.bigint() - start;
  const waitAfter = waitNs();
  hideFromThreadCpu(waitBefore !== null && waitAfter !== null ? wall - (waitAfter - waitBefore) : wall);
}
