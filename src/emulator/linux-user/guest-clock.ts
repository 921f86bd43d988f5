// Guest clocks from host clocks, and timespec encoding (32- and 64-bit time_t).

import { exactThreadCpuNs } from '../../host/exact-thread-cpu.js';
import { atThreadClockRead } from '../../host/thread-clock-probe.js';
import type { KernelAccess } from '../softmmu/kernel-access.js';

export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;
export const CLOCK_PROCESS_CPUTIME_ID = 2;
export const CLOCK_THREAD_CPUTIME_ID = 3;

const NS = 1_000_000_000n;
const realtimeOffset = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Under --sched every clock of this worker's thread is virtual (sched/sched-thread.ts). */
let virtualClock: ((clock: number) => bigint | null) | null = null;

/** Added to CLOCK_THREAD_CPUTIME_ID's host answers on this host thread (continueThreadClock). */
let threadCpuOffset = 0n;

/**
 * The guest thread this host thread runs now came from another host thread
 * whose CLOCK_THREAD_CPUTIME_ID read `fromNs` when it left (the main
 * thread's solo phase, machine/solo-phase.ts): from now on the clock goes on
 * from there, so that it never goes back across the move. null: a thread
 * that starts here (the host clock as it is).
 */
export function continueThreadClock(fromNs: number | null): void {
  threadCpuOffset = 0n;
  if (fromNs === null) return;
  const here = exactThreadCpuNs();
  if (here !== null) threadCpuOffset = BigInt(Math.round(fromNs)) - here;
}

/** What CLOCK_THREAD_CPUTIME_ID reads on this host thread now (without the measurement hook), or null. */
export function threadClockNs(): bigint | null {
  const t = exactThreadCpuNs();
  return t === null ? null : t + threadCpuOffset;
}

/** Makes clockNs answer from `clock` (null: the host clocks again). */
export function useVirtualClock(clock: ((clock: number) => bigint | null) | null): void {
  virtualClock = clock;
}

/** Nanoseconds on a guest clock, or null for an unknown clock id. */
export function clockNs(clock: number): bigint | null {
  if (virtualClock !== null) return virtualClock(clock);
  switch (clock) {
    case 0: case 5: case 8: // REALTIME, REALTIME_COARSE, REALTIME_ALARM
      return process.hrtime.bigint() + realtimeOffset;
    case 1: case 4: case 6: case 7: case 9: // MONOTONIC, _RAW, _COARSE, BOOTTIME, BOOTTIME_ALARM
      return process.hrtime.bigint();
    case 3: {
      // the vCPU's host thread (one per guest thread; a pooled worker's count
      // includes threads it ran before, so only differences are meaningful),
      // current to a few microseconds rather than to the last scheduler tick
      const t = exactThreadCpuNs();
      if (t !== null) {
        atThreadClockRead(); // a measurement hook (machine/section-probe.ts), hidden from later answers
        return t + threadCpuOffset;
      }
      const u = process.cpuUsage();
      return BigInt(u.user + u.system) * 1000n;
    }
    case 2: {
      const u = process.cpuUsage();
      return BigInt(u.user + u.system) * 1000n;
    }
    default:
      return null;
  }
}

/**
 * Whole seconds of the guest's CLOCK_REALTIME: time(2), the semihosting
 * SYS_TIME and anything else counting seconds read the same clock as
 * clock_gettime, so two of them never disagree across a second's edge (and
 * under --sched all are virtual).
 */
export function realtimeSeconds(): number {
  return Number(clockNs(CLOCK_REALTIME)! / NS);
}

export function writeTimespec(access: KernelAccess, addr: number, ns: bigint, time64: boolean): void {
  const sec = ns / NS;
  const nsec = ns % NS;
  const b = Buffer.alloc(time64 ? 16 : 8);
  if (time64) {
    b.writeBigInt64LE(sec, 0);
    b.writeBigInt64LE(nsec, 8);
  } else {
    b.writeInt32LE(Number(BigInt.asIntN(32, sec)), 0);
    b.writeInt32LE(Number(nsec), 4);
  }
  access.write(addr, b);
}

/** A timespec's two fields as the guest wrote them, unchecked (utimensat gives nsec special values). */
export function readTimespecFields(access: KernelAccess, addr: number, time64: boolean): { sec: bigint; nsec: number } {
  const b = Buffer.from(access.read(addr, time64 ? 16 : 8));
  return { sec: time64 ? b.readBigInt64LE(0) : BigInt(b.readInt32LE(0)), nsec: b.readInt32LE(time64 ? 8 : 4) };
}

/** Reads a timespec as nanoseconds; null if nsec is out of range. */
export function readTimespec(access: KernelAccess, addr: number, time64: boolean): bigint | null {
  const { sec, nsec } = readTimespecFields(access, addr, time64);
  if (nsec < 0 || nsec >= 1_000_000_000 || sec < 0n) return null;
  return sec * NS + BigInt(nsec);
}
