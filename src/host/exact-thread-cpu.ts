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
// An exact read first takes a base: the file, the host's monotonic clock
// and the file again, unchanged (so no switch fell between them). It then
// has the kernel bring the count up to date: getrusage(RUSAGE_SELF)
// (`process.cpuUsage()`, a few microseconds) updates the calling thread's
// run time before it sums the process's threads (Linux's
// thread_group_cputime, since 3.x), so the file read after it is current.
// Where the count has not moved after that call (a kernel without the
// update), it spins on the file until the count moves (at a tick, or at a
// switch if the thread is preempted meanwhile: from then the count is
// current). Either way it
// answers the value at the base: the count then, less what the thread ran
// since the base, which is the monotonic time since the base less the file's
// wait field's growth (time runnable but waiting for a core). A read of the
// file and the clock that a switch fell between (the file read again after
// the clock differs) is taken again. The time spun is the emulator's own, not
// the guest's: each read adds it to a hidden total that every later answer
// subtracts, so that the difference of two answers is the CPU the guest used
// between the calls. A read costs a few microseconds (where the kernel
// updates the count at getrusage; it spun up to a tick, 0-4 ms of wall time,
// before session 16: on a 2-vCPU benchmark's section start each vCPU's read
// before its wall clock read then took a different share of a tick, and the
// section, from the earliest start to the latest end, grew by the
// difference), or where it spins up to a tick of wall time (or SPIN_LIMIT_NS
// of run time where ticks stop: then the base's plain value).
// Time the host's hypervisor takes from this virtual machine during a spin
// (steal: neither run nor wait) makes an answer that much early; answers
// never run backwards. (Until session 9 the base was the call's clock and a
// later read of the file: a switch between the two, common on a loaded host,
// put the whole wait into the thread's run time since the call, and the
// answer came out early by that wait: a guest section timed too short.)

import { readFileSync } from 'node:fs';

/** The longest a read spins waiting for the count to move (2.5 ticks at HZ=250). */
const SPIN_LIMIT_NS = 10_000_000n;

/** CPU time this thread spent inside exact reads (spinning), hidden from the answers. */
let hiddenNs = 0n;
/** The last answer: a clock never runs backwards, though the hidden total counts wall time spun (steal included). */
let lastAnswer = 0n;

/**
 * Hides `ns` of this thread's run time from later answers: work the emulator
 * does at a read for its own measurement (host/thread-clock-probe.ts) is not
 * the guest's.
 */
export function hideFromThreadCpu(ns: bigint): void {
  if (ns > 0n) hiddenNs += ns;
}

function schedstat(): [bigint, bigint] | null {
  try {
    const [cpu, wait] = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/);
    const c = BigInt(cpu!);
    return c > 0n ? [c, BigInt(wait!)] : null;
  } catch {
    return null;
  }
}

/** Three reads that agree: schedstat, the monotonic clock, schedstat again unchanged (no switch between). */
function consistentRead(): { readonly cpu: bigint; readonly wait: bigint; readonly at: bigint; readonly retried: boolean } | null {
  for (let tries = 0; tries < 1000; tries++) {
    const a = schedstat();
    const at = process.hrtime.bigint();
    const b = schedstat();
    if (a === null || b === null) return null;
    if (a[0] === b[0] && a[1] === b[1]) return { cpu: a[0], wait: a[1], at, retried: tries > 0 };
  }
  return null;
}

/**
 * The calling thread's CPU time in ns as of this call, less the time earlier
 * exact reads spun; null where /proc/thread-self/schedstat gives none (the
 * caller then uses another clock). Only differences are meaningful.
 */
export function exactThreadCpuNs(): bigint | null {
  // The call's time is taken before anything else, in a function too small to cost V8 much to
  // optimise: V8 optimises a function at a call, on this thread in a vCPU worker
  // (host/v8-compile-mode.ts), before the function's first statement runs. The reader's own
  // optimisation (its spin loops make it hot within tens of reads; 8-12 ms of TurboFan when
  // measured) then falls after `called`, among the reads this answer hides; in the reader itself
  // it came before `called` and was counted as the guest's CPU.
  return exactSince(process.hrtime.bigint());
}

/** exactThreadCpuNs's answer for a call made at `called` (CLOCK_MONOTONIC ns). */
function exactSince(called: bigint): bigint | null {
  // The base: the file's two fields and the clock with no switch between them, so that the wait
  // growth measured from here is exactly the waits after `base.at` (a switch between the call and a
  // first read, on a loaded host, once put that wait on the guest's side of the ledger).
  const base = consistentRead();
  if (base === null) return null;
  // The reads before the base are the emulator's: this answer is the count at the call, not at the
  // base (unless a switch fell in them: a retried base's lead may hold a wait, and is left in).
  const before = base.retried ? 0n : base.at - called;
  let answer = base.cpu;
  let ran = 0n;
  let detected = base.at;
  // Brings this thread's count in the file up to date (the result, the process's totals, is not needed).
  process.cpuUsage();
  for (;;) {
    const s = schedstat();
    const now = process.hrtime.bigint();
    const again = schedstat();
    if (s === null || again === null) break;
    // Switched out between the reads (the tick that moves the count often preempts): `now` is not s's.
    if (again[0] !== s[0] || again[1] !== s[1]) continue;
    if (s[0] !== base.cpu) {
      // Current since a tick or a switch: the value then, less what this thread ran since the base
      // (the wall time since, less its waits for a core).
      ran = (now - base.at) - (s[1] - base.wait);
      answer = s[0] - ran;
      detected = now;
      break;
    }
    // Ticks stopped (or the hypervisor holds the core): the base's value, stale by up to a tick.
    if (now - base.at - (s[1] - base.wait) > SPIN_LIMIT_NS) {
      ran = now - base.at - (s[1] - base.wait);
      detected = now;
      break;
    }
  }
  // So are the reads after the count moved (the final pair around `detected` saw no switch, and what
  // follows it here is a few operations).
  const after = process.hrtime.bigint() - detected;
  let out = answer - before - hiddenNs;
  if (out < lastAnswer) out = lastAnswer;
  lastAnswer = out;
  // What this read ran after the call is the emulator's, not the guest's.
  hiddenNs += before + ran + after;
  return out;
}
