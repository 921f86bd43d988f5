// futex(2) on the guest word itself: guest memory is a SharedArrayBuffer, so
// FUTEX_WAIT is Atomics.wait on the word's host index (which compares and
// sleeps atomically, giving the kernel's EAGAIN semantics) and FUTEX_WAKE is
// Atomics.notify on the same index. PRIVATE makes no difference: one process.
//
// Limits (documented in docs/linux-user.md): bitsets are not tracked, so
// WAKE_BITSET wakes waiters regardless of their bitset (a spurious wake-up,
// which futex users must tolerate); REQUEUE wakes the waiters it would move
// instead of moving them (they retry and wait on the second word themselves).

import { EAGAIN, EFAULT, EINVAL, ENOSYS, ERESTART_RESTARTBLOCK, ERESTARTSYS, ETIMEDOUT } from './errno.js';
import { WAIT_WORD_GUEST_MEMORY } from './signal-state.js';
import { waitOnWord, WaitOutcome } from './signal-wait.js';
import { clockNs, CLOCK_MONOTONIC, CLOCK_REALTIME, readTimespec } from './guest-clock.js';
import type { ThreadContext } from './thread-context.js';
import { WakeReason } from '../sched/sched-board.js';
import { PAGE_BITS, PAGE_SIZE, PTE_MAPPED, PTE_READ } from '../softmmu/page-bits.js';

export const NR_futex = 240;
export const NR_futex_time64 = 422;

const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;
const FUTEX_REQUEUE = 3;
const FUTEX_CMP_REQUEUE = 4;
const FUTEX_WAKE_OP = 5;
const FUTEX_WAIT_BITSET = 9;
const FUTEX_WAKE_BITSET = 10;
const FUTEX_CMD_MASK = 0x7f;
const FUTEX_CLOCK_REALTIME = 256;

export interface FutexCounters {
  waits: number;
  wakes: number;
  eagain: number;
  timeouts: number;
}

/** Host Int32Array index of an aligned guest word, or -1 if not mapped readable. */
export function futexIndex(ctx: ThreadContext, uaddr: number): number {
  if (uaddr & 3) return -1;
  const page = uaddr >>> PAGE_BITS;
  const pte = ctx.mem.pte(page);
  if ((pte & (PTE_MAPPED | PTE_READ)) !== (PTE_MAPPED | PTE_READ)) return -1;
  return (ctx.mem.frameOffset(page) + (uaddr & (PAGE_SIZE - 1))) >> 2;
}

/**
 * FUTEX_WAIT: EAGAIN if the word differs, 0 when woken, ETIMEDOUT, or a
 * restart code when a signal interrupts (without a timeout the wait is
 * restarted under SA_RESTART; with one the kernel always gives EINTR).
 */
function wait(ctx: ThreadContext, c: FutexCounters, uaddr: number, val: number, timeoutMs: number): number {
  const idx = futexIndex(ctx, uaddr);
  if (idx < 0) return -EFAULT;
  c.waits++;
  if (ctx.sched) {
    // --sched: one thread runs at a time, so the compare and the queueing are atomic here.
    if (Atomics.load(ctx.mem.i32, idx) !== (val | 0)) {
      c.eagain++;
      return -EAGAIN;
    }
    const deadline = timeoutMs === Infinity ? Infinity : ctx.sched.nowNs() + timeoutMs * 1e6;
    if (ctx.sched.futexWait(uaddr, deadline) === WakeReason.WOKEN) return 0;
    c.timeouts++;
    return -ETIMEDOUT;
  }
  switch (waitOnWord(ctx, WAIT_WORD_GUEST_MEMORY, ctx.mem.i32, idx, val | 0, timeoutMs, uaddr)) {
    case WaitOutcome.NOT_EQUAL:
      c.eagain++;
      return -EAGAIN;
    case WaitOutcome.TIMED_OUT:
      c.timeouts++;
      return -ETIMEDOUT;
    case WaitOutcome.INTERRUPTED:
      return timeoutMs === Infinity ? -ERESTARTSYS : -ERESTART_RESTARTBLOCK;
    default:
      return 0;
  }
}

function wake(ctx: ThreadContext, c: FutexCounters, uaddr: number, n: number): number {
  const idx = futexIndex(ctx, uaddr);
  if (idx < 0) return -EFAULT;
  c.wakes++;
  if (ctx.sched) return ctx.sched.futexWake(uaddr, n < 0 ? -1 : n);
  return Atomics.notify(ctx.mem.i32, idx, n < 0 ? Infinity : n);
}

function wakeOp(ctx: ThreadContext, c: FutexCounters, uaddr: number, n: number, n2: number, uaddr2: number, encoded: number): number {
  // The operation writes uaddr2: a copy-on-write page gets its own frame first.
  if ((uaddr2 & 3) === 0) ctx.mem.breakCow(uaddr2 >>> PAGE_BITS);
  const idx2 = futexIndex(ctx, uaddr2);
  if (idx2 < 0) return -EFAULT;
  const op = (encoded >>> 28) & 7;
  const cmp = (encoded >>> 24) & 15;
  let oparg = (encoded << 8) >> 20;
  const cmparg = (encoded << 20) >> 20;
  if (op & 8) oparg = 1 << (oparg & 31);
  const i32 = ctx.mem.i32;
  let old: number;
  switch (op & 7) {
    case 0: old = Atomics.exchange(i32, idx2, oparg); break;
    case 1: old = Atomics.add(i32, idx2, oparg); break;
    case 2: old = Atomics.or(i32, idx2, oparg); break;
    case 3: old = Atomics.and(i32, idx2, ~oparg); break;
    case 4: old = Atomics.xor(i32, idx2, oparg); break;
    default: return -ENOSYS;
  }
  let woken = wake(ctx, c, uaddr, n);
  const hit = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg][cmp];
  if (hit === undefined) return -ENOSYS;
  if (hit) woken += wake(ctx, c, uaddr2, n2);
  return woken;
}

/** Relative timeout in ms from a guest timespec (Infinity when none). */
function timeoutMs(ctx: ThreadContext, ptr: number, time64: boolean, absolute: boolean, clock: number): number | null {
  if (ptr === 0) return Infinity;
  const t = readTimespec(ctx.access, ptr, time64);
  if (t === null) return null;
  const rel = absolute ? t - clockNs(clock)! : t;
  return rel <= 0n ? 0 : Number(rel) / 1e6;
}

export function sysFutex(
  ctx: ThreadContext, c: FutexCounters, time64: boolean,
  uaddr: number, op: number, val: number, timeout: number, uaddr2: number, val3: number,
): number {
  const cmd = op & FUTEX_CMD_MASK;
  const clock = op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME : CLOCK_MONOTONIC;
  switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET: {
      if (cmd === FUTEX_WAIT_BITSET && val3 === 0) return -EINVAL;
      const ms = timeoutMs(ctx, timeout, time64, cmd === FUTEX_WAIT_BITSET, clock);
      if (ms === null) return -EINVAL;
      return wait(ctx, c, uaddr >>> 0, val, ms);
    }
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
      if (cmd === FUTEX_WAKE_BITSET && val3 === 0) return -EINVAL;
      return wake(ctx, c, uaddr >>> 0, val);
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE: {
      const idx = futexIndex(ctx, uaddr >>> 0);
      if (idx < 0) return -EFAULT;
      if (cmd === FUTEX_CMP_REQUEUE && Atomics.load(ctx.mem.i32, idx) !== (val3 | 0)) return -EAGAIN;
      // val2 (the requeue count) travels in the timeout argument.
      return wake(ctx, c, uaddr >>> 0, (val >>> 0) + (timeout >>> 0));
    }
    case FUTEX_WAKE_OP:
      return wakeOp(ctx, c, uaddr >>> 0, val, timeout, uaddr2 >>> 0, val3);
    default:
      ctx.warnOnce(`futex-op-${cmd}`, `mttcg: futex operation ${cmd} is not supported (ENOSYS)`);
      return -ENOSYS;
  }
}
