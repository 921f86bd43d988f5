// Time syscalls: clock_gettime/getres (32- and 64-bit), gettimeofday,
// nanosleep and clock_nanosleep. Sleeping blocks only the calling vCPU's worker.

import { EINVAL, ERESTART_RESTARTBLOCK, ERESTARTNOHAND } from './errno.js';
import { clockNs, CLOCK_MONOTONIC, CLOCK_REALTIME, readTimespec, writeTimespec } from './guest-clock.js';
import type { ThreadContext } from './thread-context.js';
import { sleepUntil } from './signal-wait.js';

export const NR_gettimeofday = 78;
export const NR_nanosleep = 162;
export const NR_clock_gettime = 263;
export const NR_clock_getres = 264;
export const NR_clock_nanosleep = 265;
export const NR_clock_gettime64 = 403;
export const NR_clock_getres_time64 = 406;
export const NR_clock_nanosleep_time64 = 407;

const TIMER_ABSTIME = 1;

function clockGettime(ctx: ThreadContext, clock: number, ptr: number, time64: boolean): number {
  const ns = clockNs(clock);
  if (ns === null) return -EINVAL;
  if (ptr !== 0) writeTimespec(ctx.access, ptr, ns, time64);
  return 0;
}

function clockGetres(ctx: ThreadContext, clock: number, ptr: number, time64: boolean): number {
  if (clockNs(clock) === null) return -EINVAL;
  if (ptr !== 0) writeTimespec(ctx.access, ptr, 1n, time64);
  return 0;
}

/**
 * clock_nanosleep / nanosleep. A signal cuts the sleep short: a relative
 * sleep writes the time left to rem and returns ERESTART_RESTARTBLOCK
 * (EINTR if a handler runs, else the sleep goes on to the same deadline);
 * an absolute one returns ERESTARTNOHAND (restarted as it is).
 */
function clockNanosleep(ctx: ThreadContext, clock: number, flags: number, req: number, rem: number, time64: boolean): number {
  const want = readTimespec(ctx.access, req, time64);
  if (want === null) return -EINVAL;
  const now = clockNs(clock);
  if (now === null) return -EINVAL;
  const deadline = clockNs(CLOCK_MONOTONIC)! + (flags & TIMER_ABSTIME ? want - now : want);
  const interrupted = (): number => {
    if (rem !== 0) {
      const left = deadline - clockNs(CLOCK_MONOTONIC)!;
      writeTimespec(ctx.access, rem, left > 0n ? left : 0n, time64);
    }
    ctx.delivery.restartBlock = () => (sleepUntil(ctx, deadline) ? 0 : interrupted());
    return -ERESTART_RESTARTBLOCK;
  };
  if (sleepUntil(ctx, deadline)) return 0;
  return flags & TIMER_ABSTIME ? -ERESTARTNOHAND : interrupted();
}

function gettimeofday(ctx: ThreadContext, tv: number): number {
  if (tv === 0) return 0;
  const ns = clockNs(CLOCK_REALTIME)!;
  const b = Buffer.alloc(8);
  b.writeInt32LE(Number(ns / 1_000_000_000n), 0);
  b.writeInt32LE(Number((ns % 1_000_000_000n) / 1000n), 4);
  ctx.access.write(tv, b);
  return 0;
}

export function timeSyscalls(): Map<number, (ctx: ThreadContext, ...a: number[]) => number> {
  return new Map<number, (ctx: ThreadContext, ...a: number[]) => number>([
    [NR_clock_gettime, (c, a, b) => clockGettime(c, a!, b!, false)],
    [NR_clock_gettime64, (c, a, b) => clockGettime(c, a!, b!, true)],
    [NR_clock_getres, (c, a, b) => clockGetres(c, a!, b!, false)],
    [NR_clock_getres_time64, (c, a, b) => clockGetres(c, a!, b!, true)],
    [NR_gettimeofday, (c, a) => gettimeofday(c, a!)],
    [NR_nanosleep, (c, a, b) => clockNanosleep(c, CLOCK_MONOTONIC, 0, a!, b!, false)],
    [NR_clock_nanosleep, (c, a, b, d, e) => clockNanosleep(c, a!, b!, d!, e!, false)],
    [NR_clock_nanosleep_time64, (c, a, b, d, e) => clockNanosleep(c, a!, b!, d!, e!, true)],
  ]);
}
