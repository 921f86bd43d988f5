// The calling thread's CPU time to a few microseconds, for the guest's
// CLOCK_THREAD_CPUTIME_ID (linux-user/guest-clock.ts). A plain read of
// /proc/thread-self/schedstat (host/thread-cpu.ts) is stale by up to one
// scheduler tick for a thread that is running: the kernel adds a running
// thread's time to that file only at a tick (4 ms at HZ=250) or when the
// thread is switched out, while qemu-arm's clock_gettime asks the kernel,
// which brings the count up to date first. Measured on the development
// machine, a thread spinning in Node sees the file move in steps of 3.98-4.02
// ms, so a 60 ms section timed by two plain reads is off by up to 4 ms either
// way: up to 1.14 max/min over identical runs from the reads alone
// (reports/measurements/speed.md, "Session 8: the thread-CPU clock's ticks").
//
// An exact read spins on the file until the count moves (at a tick, or at a
// switch if the thread is preempted meanwhile: from then the count is
// current), and answers the value at the call: the count then, less what
// the thread ran since the call, which is the host's monotonic time since
// the call less the file's wait field's growth (time runnable but waiting
// for a core). A read that the thread was switched out in the middle of
// (between its read of the file and of the clock: the file read again after
// the clock differs) spins on. The time spun is the emulator's own, not the
// guest's: each read adds it to a hidden total that every later answer
// subtracts, so that the difference of two answers is the CPU the guest used
// between the calls. Each read costs up to a tick of wall time (or
// SPIN_LIMIT_NS where ticks stop: then the plain value). Time the host's
// hypervisor takes from this virtual machine during a spin (steal: neither
// run nor wait) makes an answer that much early; answers never run
// backwards.

import { readFileSync } from 'node:fs';

/** The longest a read spins waiting for the count to move (2.5 ticks at HZ=250). */
const SPIN_LIMIT_NS = 10_000_000n;

/** CPU time this thread spent inside exact reads (spinning), hidden from the answers. */
let hiddenNs = 0n;
/** The last answer: a clock never runs backwards, though the hidden total counts wall time spun (steal included). */
let lastAnswer = 0n;

function schedstat(): [bigint, bigint] | null {
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/);
    const c = BigInt(cpu!);
    return c > 0n ? [c, BigInt(wait!)] : null;
  } catch {
    return null;
  }
}

/**
 * The calling thread's CPU time in ns as of this call, less the time earlier
 * exact reads spun; null where /proc/thread-self/schedstat gives none (the
 * caller then uses another clock). Only differences are meaningful.
 */
export function exactThreadCpuNs(): bigint | null {
  const called = process.hrtime.bigint();
  const first = schedstat();
  if (first === null) return null;
  let answer = first[0];
  let waited = 0n;
  for (;;) {
    const s = schedstat();
    const now = process.hrtime.bigint();
    const again = schedstat();
    if (s === null || again === null || now - called > SPIN_LIMIT_NS) break;
    // Switched out between the reads (the tick that moves the count often preempts): `now` is not s's.
    if (again[0] !== s[0] || again[1] !== s[1]) continue;
    if (s[0] !== first[0]) {
      // Current since a tick or a switch: the value then, less what this thread ran since the call
      // (the wall time since, less its waits for a core).
      waited = s[1] - first[1];
      answer = s[0] - ((now - called) - waited);
      break;
    }
  }
  let out = answer - hiddenNs;
  if (out < lastAnswer) out = lastAnswer;
  lastAnswer = out;
  // What this read ran after the call is the emulator's, not the guest's.
  hiddenNs += process.hrtime.bigint() - called - waited;
  return out;
}
