// Syscalls that wait for signals: pause, sigsuspend, rt_sigsuspend,
// rt_sigtimedwait (32- and 64-bit timespec), and restart_syscall.

import { EAGAIN, EINTR, EINVAL, ERESTARTNOHAND } from './errno.js';
import { readTimespec } from './guest-clock.js';
import { UNBLOCKABLE_LO } from './signal-numbers.js';
import { waitForSignal, WaitOutcome } from './signal-wait.js';
import { writeSigInfo, type SigInfo } from './siginfo.js';
import type { ThreadContext } from './thread-context.js';

export const NR_restart_syscall = 0;
export const NR_pause = 29;
export const NR_sigsuspend = 72;
export const NR_rt_sigtimedwait = 177;
export const NR_rt_sigsuspend = 179;
export const NR_rt_sigtimedwait_time64 = 421;

/** Sleeps until a signal is deliverable; then delivery runs its handler (the syscall returns EINTR). */
function suspend(ctx: ThreadContext): number {
  waitForSignal(ctx, Infinity);
  return -ERESTARTNOHAND;
}

/** rt_sigsuspend: the given mask is in force until a handler runs; the handler's frame saves the old one. */
function sysRtSigsuspend(ctx: ThreadContext, set: number, setsize: number): number {
  if (setsize !== 8) return -EINVAL;
  const lo = ctx.access.readU32(set);
  const hi = ctx.access.readU32(set + 4);
  ctx.signals.setTemporaryMask(ctx.vcpuIndex, lo, hi);
  return suspend(ctx);
}

/** ARM's old sigsuspend(unused, unused, mask): signals 1..32 only. */
function sysSigsuspend(ctx: ThreadContext, mask: number): number {
  ctx.signals.setTemporaryMask(ctx.vcpuIndex, mask, ctx.signals.blockedHi(ctx.vcpuIndex));
  return suspend(ctx);
}

/**
 * rt_sigtimedwait: takes a pending signal of `set` (temporarily unblocked
 * while waiting), its number as the result and its siginfo in uinfo; EAGAIN
 * on timeout, EINTR if another signal's handler must run first.
 */
function sysRtSigtimedwait(ctx: ThreadContext, uset: number, uinfo: number, uts: number, setsize: number, time64: boolean): number {
  if (setsize !== 8) return -EINVAL;
  const s = ctx.signals;
  const slot = ctx.vcpuIndex;
  const lo = ctx.access.readU32(uset) & ~UNBLOCKABLE_LO;
  const hi = ctx.access.readU32(uset + 4);
  let timeoutMs = Infinity;
  if (uts !== 0) {
    const ns = readTimespec(ctx.access, uts, time64);
    if (ns === null) return -EINVAL;
    timeoutMs = Number(ns) / 1e6;
  }
  let info: SigInfo | null = s.dequeue(slot, lo, hi);
  let outcome = WaitOutcome.WOKEN;
  if (info === null && timeoutMs > 0) {
    s.setTemporaryMask(slot, s.blockedLo(slot) & ~lo, s.blockedHi(slot) & ~hi);
    try {
      outcome = waitForSignal(ctx, timeoutMs, () => (info = s.dequeue(slot, lo, hi)) !== null);
    } finally {
      s.restoreMask(slot);
    }
    info ??= s.dequeue(slot, lo, hi);
  }
  if (info === null) return outcome === WaitOutcome.INTERRUPTED ? -EINTR : -EAGAIN;
  if (uinfo !== 0) writeSigInfo(ctx.access, uinfo, info);
  return info[0]!;
}

export function signalWaitSyscalls(): Map<number, (ctx: ThreadContext, ...a: number[]) => number> {
  return new Map<number, (ctx: ThreadContext, ...a: number[]) => number>([
    // Called by the guest itself only after a handler interrupted a sleep: the kernel's do_no_restart_syscall.
    [NR_restart_syscall, () => -EINTR],
    [NR_pause, (c) => suspend(c)],
    [NR_sigsuspend, (c, _a, _b, mask) => sysSigsuspend(c, mask!)],
    [NR_rt_sigsuspend, (c, set, size) => sysRtSigsuspend(c, set!, size!)],
    [NR_rt_sigtimedwait, (c, set, info, ts, size) => sysRtSigtimedwait(c, set!, info!, ts!, size!, false)],
    [NR_rt_sigtimedwait_time64, (c, set, info, ts, size) => sysRtSigtimedwait(c, set!, info!, ts!, size!, true)],
  ]);
}
