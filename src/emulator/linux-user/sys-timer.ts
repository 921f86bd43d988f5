// Timer syscalls on the process's timer table (posix-timers.ts):
// timer_create, timer_settime, timer_gettime (32- and 64-bit timespec),
// timer_getoverrun, timer_delete, setitimer, getitimer and alarm. Arming
// or disarming tells the supervisor, which fires the timers.

import { EFAULT, EINVAL } from './errno.js';
import { clockNs } from './guest-clock.js';
import {
  hostClocks, ITIMER_PROF, ITIMER_REAL, PosixTimers, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD_ID, TimerBase,
  type Clocks, type TimerSetting,
} from './posix-timers.js';
import { NSIG, SIGALRM } from './signal-numbers.js';
import type { ThreadContext } from './thread-context.js';

export const NR_alarm = 27;
export const NR_setitimer = 104;
export const NR_getitimer = 105;
export const NR_timer_create = 257;
export const NR_timer_settime = 258;
export const NR_timer_gettime = 259;
export const NR_timer_getoverrun = 260;
export const NR_timer_delete = 261;
export const NR_timer_gettime64 = 408;
export const NR_timer_settime64 = 409;

const TIMER_ABSTIME = 1;
const NS = 1e9;

/** The timer base of a clock id, or null if timers cannot use it. */
function baseOfClock(clock: number): TimerBase | null {
  switch (clock) {
    case 0: case 1: case 7: case 8: case 9: // REALTIME, MONOTONIC, BOOTTIME and their _ALARM forms
      return TimerBase.MONOTONIC;
    case 2: case 3: // PROCESS_CPUTIME_ID; THREAD_CPUTIME_ID counts the whole process too (documented)
      return TimerBase.CPU_TOTAL;
    default:
      return null;
  }
}

/** Reads a timespec (sec, nsec) as nanoseconds; null if nsec is out of range or sec negative. */
function readTs(ctx: ThreadContext, addr: number, time64: boolean): number | null {
  const sec = time64 ? ctx.access.readU32(addr) : ctx.access.readU32(addr);
  const secHi = time64 ? ctx.access.readU32(addr + 4) : sec < 0 ? -1 : 0;
  const nsec = ctx.access.readU32(time64 ? addr + 8 : addr + 4);
  if (nsec < 0 || nsec >= NS || secHi < 0) return null;
  return (secHi * 2 ** 32 + (sec >>> 0)) * NS + nsec;
}

function writeTs(ctx: ThreadContext, addr: number, ns: number, time64: boolean): void {
  const sec = Math.floor(ns / NS);
  const nsec = Math.round(ns - sec * NS);
  ctx.access.writeU32(addr, sec);
  if (time64) {
    ctx.access.writeU32(addr + 4, Math.floor(sec / 2 ** 32));
    ctx.access.writeU32(addr + 8, nsec);
    ctx.access.writeU32(addr + 12, 0);
  } else {
    ctx.access.writeU32(addr + 4, nsec);
  }
}

function tsBytes(time64: boolean): number {
  return time64 ? 16 : 8;
}

function armed(ctx: ThreadContext): void {
  ctx.timersChanged();
}

function sysTimerCreate(ctx: ThreadContext, clock: number, sevp: number, idPtr: number): number {
  const base = baseOfClock(clock);
  if (base === null) return -EINVAL;
  const t = ctx.signals.timers;
  let notify = SIGEV_SIGNAL;
  let signo = SIGALRM;
  let value = 0;
  let tid = 0;
  if (sevp !== 0) {
    value = ctx.access.readU32(sevp);
    signo = ctx.access.readU32(sevp + 4);
    notify = ctx.access.readU32(sevp + 8);
    tid = ctx.access.readU32(sevp + 12);
    if (notify !== SIGEV_SIGNAL && notify !== SIGEV_NONE && notify !== SIGEV_THREAD_ID) return -EINVAL;
    if (notify !== SIGEV_NONE && (signo < 1 || signo > NSIG)) return -EINVAL;
    if (notify === SIGEV_THREAD_ID && ctx.signals.slotOfTid(tid) < 0) return -EINVAL;
  }
  ctx.access.check(idPtr, 4, true);
  const id = t.create(clock, base, notify, signo, tid, sevp === 0 ? null : value);
  if (id < 0) return id;
  ctx.access.writeU32(idPtr, id);
  return 0;
}

/** Reads an itimerspec {interval, value}; null if a field is out of range. */
function readItimerspec(ctx: ThreadContext, addr: number, time64: boolean): TimerSetting | null {
  const intervalNs = readTs(ctx, addr, time64);
  const valueNs = readTs(ctx, addr + tsBytes(time64), time64);
  if (intervalNs === null || valueNs === null) return null;
  return { valueNs, intervalNs };
}

function writeItimerspec(ctx: ThreadContext, addr: number, s: TimerSetting, time64: boolean): void {
  writeTs(ctx, addr, s.intervalNs, time64);
  writeTs(ctx, addr + tsBytes(time64), s.valueNs, time64);
}

/** Nanoseconds from now to an absolute time on the timer's clock. */
function untilAbsolute(base: TimerBase, clock: number, absNs: number, now: Clocks): number {
  if (base !== TimerBase.MONOTONIC) return absNs - now.cpuTotalNs;
  return absNs - Number(clockNs(clock === 1 ? 1 : clock === 7 || clock === 9 ? 7 : 0)!);
}

function sysTimerSettime(ctx: ThreadContext, id: number, flags: number, newPtr: number, oldPtr: number, time64: boolean): number {
  const t = ctx.signals.timers;
  if (!t.exists(id)) return -EINVAL;
  const want = readItimerspec(ctx, newPtr, time64);
  if (want === null) return -EINVAL;
  if (oldPtr !== 0) ctx.access.check(oldPtr, 2 * tsBytes(time64), true);
  const now = hostClocks();
  let value = want.valueNs;
  if (value > 0 && flags & TIMER_ABSTIME) value = Math.max(1, untilAbsolute(t.baseOf(id), t.clockOf(id), value, now));
  const old = t.set(id, value, want.intervalNs, now);
  armed(ctx);
  if (oldPtr !== 0) writeItimerspec(ctx, oldPtr, old, time64);
  return 0;
}

function sysTimerGettime(ctx: ThreadContext, id: number, ptr: number, time64: boolean): number {
  const t = ctx.signals.timers;
  if (!t.exists(id)) return -EINVAL;
  writeItimerspec(ctx, ptr, t.get(id, hostClocks()), time64);
  return 0;
}

function sysTimerGetoverrun(ctx: ThreadContext, id: number): number {
  const t = ctx.signals.timers;
  return t.exists(id) ? t.overrun(id) : -EINVAL;
}

function sysTimerDelete(ctx: ThreadContext, id: number): number {
  const r = ctx.signals.timers.delete(id);
  if (r === 0) armed(ctx);
  return r;
}

/** struct itimerval: {interval, value} as timevals (sec, usec). */
function readItimerval(ctx: ThreadContext, addr: number): TimerSetting | null {
  const r = (o: number): number => ctx.access.readU32(addr + o);
  const [is, iu, vs, vu] = [r(0), r(4), r(8), r(12)];
  if (iu < 0 || iu >= 1e6 || vu < 0 || vu >= 1e6 || is < 0 || vs < 0) return null;
  return { intervalNs: is * NS + iu * 1000, valueNs: vs * NS + vu * 1000 };
}

function writeItimerval(ctx: ThreadContext, addr: number, s: TimerSetting): void {
  // The kernel rounds up to whole microseconds, so an armed timer never reads as 0.
  const us = (ns: number): [number, number] => {
    const total = Math.ceil(ns / 1000);
    return [Math.floor(total / 1e6), total % 1e6];
  };
  [...us(s.intervalNs), ...us(s.valueNs)].forEach((v, i) => ctx.access.writeU32(addr + 4 * i, v));
}

function sysSetitimer(ctx: ThreadContext, which: number, newPtr: number, oldPtr: number): number {
  if (which < ITIMER_REAL || which > ITIMER_PROF) return -EINVAL;
  const want = newPtr !== 0 ? readItimerval(ctx, newPtr) : { valueNs: 0, intervalNs: 0 };
  if (want === null) return -EINVAL;
  if (oldPtr !== 0) ctx.access.check(oldPtr, 16, true);
  const old = ctx.signals.timers.set(PosixTimers.itimer(which), want.valueNs, want.intervalNs, hostClocks());
  armed(ctx);
  if (oldPtr !== 0) writeItimerval(ctx, oldPtr, old);
  return 0;
}

function sysGetitimer(ctx: ThreadContext, which: number, ptr: number): number {
  if (which < ITIMER_REAL || which > ITIMER_PROF) return -EINVAL;
  if (ptr === 0) return -EFAULT;
  writeItimerval(ctx, ptr, ctx.signals.timers.get(PosixTimers.itimer(which), hostClocks()));
  return 0;
}

/** alarm(2): ITIMER_REAL without an interval; the old value in seconds, rounded as the kernel rounds it. */
function sysAlarm(ctx: ThreadContext, seconds: number): number {
  const old = ctx.signals.timers.set(PosixTimers.itimer(ITIMER_REAL), (seconds >>> 0) * NS, 0, hostClocks());
  armed(ctx);
  if (old.valueNs === 0) return 0;
  const sec = Math.floor(old.valueNs / NS);
  const usec = Math.ceil((old.valueNs - sec * NS) / 1000);
  return sec + ((sec === 0 && usec > 0) || usec >= 500000 ? 1 : 0);
}

export function timerSyscalls(): Map<number, (ctx: ThreadContext, ...a: number[]) => number> {
  return new Map<number, (ctx: ThreadContext, ...a: number[]) => number>([
    [NR_timer_create, (c, clock, sevp, id) => sysTimerCreate(c, clock!, sevp!, id!)],
    [NR_timer_settime, (c, id, fl, n, o) => sysTimerSettime(c, id!, fl!, n!, o!, false)],
    [NR_timer_settime64, (c, id, fl, n, o) => sysTimerSettime(c, id!, fl!, n!, o!, true)],
    [NR_timer_gettime, (c, id, p) => sysTimerGettime(c, id!, p!, false)],
    [NR_timer_gettime64, (c, id, p) => sysTimerGettime(c, id!, p!, true)],
    [NR_timer_getoverrun, (c, id) => sysTimerGetoverrun(c, id!)],
    [NR_timer_delete, (c, id) => sysTimerDelete(c, id!)],
    [NR_setitimer, (c, w, n, o) => sysSetitimer(c, w!, n!, o!)],
    [NR_getitimer, (c, w, p) => sysGetitimer(c, w!, p!)],
    [NR_alarm, (c, s) => sysAlarm(c, s!)],
  ]);
}
