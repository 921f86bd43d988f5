// A vCPU sleeping in the kernel until a shared word changes (a pipe, the
// process table, poll's event word), a timeout passes, or a signal it does
// not block arrives (then the syscall ends with EINTR and the signal is
// delivered on the way out). The vCPU counts as blocked (quiescent) for the
// whole wait. Atomics.wait cannot watch two words, so the wait is cut into
// slices between which pending signals are checked: a signal reaches a
// sleeper within one slice.

import type { SyscallContext } from './syscall-context.js';
import type { ThreadContext } from './thread-context.js';
import { sleepMs } from '../shared/host-sleep.js';

const SLICE_MS = 20;

export const enum WaitEnd {
  CHANGED = 0,
  TIMEOUT = 1,
  SIGNAL = 2,
}

function signalPending(ctx: SyscallContext): boolean {
  const t = ctx as Partial<ThreadContext>;
  return t.signals !== undefined && t.vcpuIndex !== undefined && t.signals.hasDeliverable(t.vcpuIndex);
}

/**
 * Sleeps while array[index] still holds `seen` (loaded by the caller before
 * it checked its condition), at most timeoutMs (Infinity: no limit).
 * `deadlockable`: an untimed wait only another guest thread can end (a pipe,
 * a child); the supervisor reports a deadlock when every vCPU is in one.
 */
export function waitForChange(
  ctx: SyscallContext, array: Int32Array, index: number, seen: number, timeoutMs: number, deadlockable: boolean,
): WaitEnd {
  if (signalPending(ctx)) return WaitEnd.SIGNAL;
  const sched = (ctx as Partial<ThreadContext>).sched;
  if (sched) {
    // --sched: other threads run until the word changes (virtual timeout).
    const end = sched.nowNs() + timeoutMs * 1e6;
    for (;;) {
      if (Atomics.load(array, index) !== seen) return WaitEnd.CHANGED;
      if (signalPending(ctx)) return WaitEnd.SIGNAL;
      if (sched.nowNs() >= end) return WaitEnd.TIMEOUT;
      if (!sched.yield()) sleepMs(1);
    }
  }
  const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
  ctx.enterBlocking?.(deadlockable && timeoutMs === Infinity, 0);
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return WaitEnd.TIMEOUT;
      // Atomics.wait compares and sleeps atomically: a change after the caller's load ends it at once.
      if (Atomics.wait(array, index, seen, Math.min(SLICE_MS, left)) !== 'timed-out') return WaitEnd.CHANGED;
      if (signalPending(ctx)) return WaitEnd.SIGNAL;
    }
  } finally {
    ctx.leaveBlocking?.();
  }
}
