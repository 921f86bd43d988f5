// Blocking waits a signal can interrupt (the kernel's TASK_INTERRUPTIBLE
// sleeps). Every blocking syscall waits through one of these so that a
// signal posted to the thread ends the wait: the syscall then returns a
// restart code (errno.ts: ERESTARTSYS & co) and delivery decides between
// EINTR and restarting it (SA_RESTART).
//
// For other blocking syscalls (read on a pipe, wait4, poll; issue 22):
//   - wait on a word of a shared buffer with waitOnWord (your wakers notify
//     it when the condition may have changed; add a WAIT_WORD_* kind for the
//     buffer in signal-state.ts and process/process-signals.ts so that a
//     kick notifies it too); INTERRUPTED means "a signal is deliverable":
//     return -ERESTARTSYS (or -ERESTARTNOHAND for poll/select, which never
//     restart after a handler);
//   - or sleep with sleepInterruptible / waitForSignal below.
//
// How the wake-up reaches a waiter: posting a signal bumps the thread's
// wake word and notifies it (signal-state.ts kick). A waiter reads the wake
// word, checks for deliverable signals, then waits on the word with the
// value it read, so a signal posted in between is never missed. A wait on
// another word (a futex) cannot wait on two words: the kick notifies that
// word itself, and the wait runs in slices of FUTEX_SLICE_MS so that a kick
// landing just before the wait starts is seen within one slice. (Between
// two slices the thread is not asleep for a few microseconds; a FUTEX_WAKE
// in that window that did not change the word would be missed. Slices are
// used only while the process has a signal handler.)

import { clockNs, CLOCK_MONOTONIC } from './guest-clock.js';
import type { ThreadContext } from './thread-context.js';
import { sleepMs } from '../shared/host-sleep.js';

export const enum WaitOutcome {
  /** Notified (the condition may have changed). */
  WOKEN,
  TIMED_OUT,
  /** The word did not hold the expected value (nothing slept). */
  NOT_EQUAL,
  /** A signal the thread does not block is pending. */
  INTERRUPTED,
}

/** Longest a futex wait sleeps between checks for a signal that raced with its start. */
export const FUTEX_SLICE_MS = 20;

function nowMs(): number {
  return Number(clockNs(CLOCK_MONOTONIC)!) / 1e6;
}

/**
 * Waits while array[index] === expected until the word is notified, a
 * signal becomes deliverable, or timeoutMs passes (Infinity: no limit).
 * `array` is the shared buffer `kind` names (signal-state.ts WAIT_WORD_*),
 * so that posting a signal notifies the word too. NOT_EQUAL first if the
 * word already differs; a notify that comes with a signal counts as the
 * notify (the kernel's futex_wait: a wake-up wins). `futexAddr` (guest
 * address, 0 if none) and an infinite timeout feed deadlock detection.
 */
export function waitOnWord(
  ctx: ThreadContext, kind: number, array: Int32Array, index: number, expected: number, timeoutMs: number, futexAddr = 0,
): WaitOutcome {
  const s = ctx.signals;
  const slot = ctx.vcpuIndex;
  const wake = s.wakeWord(slot);
  if (Atomics.load(array, index) !== expected) return WaitOutcome.NOT_EQUAL;
  if (ctx.sched) return schedPoll(ctx, timeoutMs, () => Atomics.load(array, index) !== expected);
  s.setWaitWord(slot, kind, index);
  ctx.enterBlocking(timeoutMs === Infinity && futexAddr !== 0, futexAddr);
  try {
    const deadline = nowMs() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(wake.array, wake.index);
      if (s.hasDeliverable(slot)) return WaitOutcome.INTERRUPTED;
      const left = deadline - nowMs();
      if (left <= 0) return WaitOutcome.TIMED_OUT;
      // Slices only while a handler exists: without one a signal is ignored or
      // ends the process (by the poster), so nothing needs to interrupt us.
      const r = Atomics.wait(array, index, expected, s.hasHandlers() ? Math.min(left, FUTEX_SLICE_MS) : left);
      if (r === 'not-equal') return WaitOutcome.NOT_EQUAL;
      if (r === 'ok') {
        // Notified by FUTEX_WAKE, or by a kick (which bumped the wake word first).
        const kicked = Atomics.load(wake.array, wake.index) !== seq;
        return kicked && s.hasDeliverable(slot) ? WaitOutcome.INTERRUPTED : WaitOutcome.WOKEN;
      }
    }
  } finally {
    s.setWaitWord(slot, 0, 0);
    ctx.leaveBlocking();
  }
}

/**
 * Sleeps until `done()` holds or a signal is deliverable (INTERRUPTED), or
 * until timeoutMs passes. done() is checked first and after every wake-up.
 */
export function waitForSignal(ctx: ThreadContext, timeoutMs: number, done: () => boolean = () => false): WaitOutcome {
  if (ctx.sched) return schedPoll(ctx, timeoutMs, done);
  const s = ctx.signals;
  const slot = ctx.vcpuIndex;
  const wake = s.wakeWord(slot);
  ctx.enterBlocking(false, 0);
  try {
    const deadline = nowMs() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(wake.array, wake.index);
      if (done()) return WaitOutcome.WOKEN;
      if (s.hasDeliverable(slot)) return WaitOutcome.INTERRUPTED;
      const left = deadline - nowMs();
      if (left <= 0) return WaitOutcome.TIMED_OUT;
      Atomics.wait(wake.array, wake.index, seq, left);
    }
  } finally {
    ctx.leaveBlocking();
  }
}

/** Sleeps until the monotonic time deadlineNs; false if a deliverable signal cut it short. */
export function sleepUntil(ctx: ThreadContext, deadlineNs: bigint): boolean {
  if (ctx.sched) {
    ctx.sched.sleepUntil(Number(deadlineNs - clockNs(CLOCK_MONOTONIC)!) + ctx.sched.nowNs());
    return !ctx.signals.hasDeliverable(ctx.vcpuIndex);
  }
  const left = Number(deadlineNs - clockNs(CLOCK_MONOTONIC)!) / 1e6;
  if (left <= 0) return true;
  return waitForSignal(ctx, left) !== WaitOutcome.INTERRUPTED;
}

/**
 * A wait under --sched: the thread yields to every other runnable one until
 * done() holds, a signal is deliverable or the virtual timeout passes.
 */
function schedPoll(ctx: ThreadContext, timeoutMs: number, done: () => boolean): WaitOutcome {
  const sched = ctx.sched!;
  const deadline = sched.nowNs() + timeoutMs * 1e6;
  for (;;) {
    if (done()) return WaitOutcome.WOKEN;
    if (ctx.signals.hasDeliverable(ctx.vcpuIndex)) return WaitOutcome.INTERRUPTED;
    if (sched.nowNs() >= deadline) return WaitOutcome.TIMED_OUT;
    // Alone: only the host (a host pipe, a file) can end the wait.
    if (!sched.yield()) sleepMs(1);
  }
}
