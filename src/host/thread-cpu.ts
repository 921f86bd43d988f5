// The calling OS thread's own CPU time, for the per-vCPU evidence of the
// benchmarks (did every vCPU get the CPU?) and for the guest's
// CLOCK_THREAD_CPUTIME_ID. Node 20 has no per-thread CPU clock
// (process.cpuUsage is the whole process), so on Linux it comes from
// /proc/thread-self: `schedstat` gives nanoseconds on the CPU and
// nanoseconds spent runnable but waiting for a CPU; where that file is
// missing (kernels without scheduler statistics), `stat` gives utime+stime in
// clock ticks. A synchronous read runs on the calling thread, so inside a
// vCPU worker this is that vCPU's host thread.

import { readFileSync } from 'node:fs';

export interface ThreadCpuSample {
  /** CPU time of the calling thread since it started, in ns. */
  readonly cpuNs: number;
  /** Time the thread was runnable but waited for a CPU, in ns; null where the kernel does not say. */
  readonly waitNs: number | null;
}

/** Linux reports stat's utime/stime in USER_HZ ticks, which is 100 on every architecture mttcg runs on. */
const NS_PER_TICK = 1e9 / 100;

/** The calling thread's /proc directory. */
const SELF = '/proc/thread-self';

function fromSchedstat(dir: string): ThreadCpuSample | null {
  try {
    const [cpu, wait] = readFileSync(`${dir}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    if (!Number.isFinite(cpu) || !Number.isFinite(wait)) return null;
    return { cpuNs: cpu!, waitNs: wait! };
  } catch {
    return null;
  }
}

function fromStat(dir: string): ThreadCpuSample | null {
  try {
    const text = readFileSync(`${dir}/stat`, 'utf8');
    // fields after the command name, which is in parentheses and may contain spaces
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return { cpuNs: (utime + stime) * NS_PER_TICK, waitNs: null };
  } catch {
    return null;
  }
}

let source: 'schedstat' | 'stat' | 'none' | undefined;

/** The CPU time of the thread whose /proc directory is `dir`, from the source this kernel gives. */
function sample(dir: string): ThreadCpuSample | null {
  if (source === undefined) {
    const s = fromSchedstat(dir);
    source = s && s.cpuNs > 0 ? 'schedstat' : fromStat(dir) ? 'stat' : 'none';
  }
  if (source === 'schedstat') return fromSchedstat(dir);
  if (source === 'stat') return fromStat(dir);
  return null;
}

/**
 * The calling thread's CPU time, or null where the OS does not provide it
 * (not Linux). schedstat reads as all zeros on kernels built without
 * scheduler statistics; such a kernel falls back to stat for good.
 */
export function threadCpu(): ThreadCpuSample | null {
  return sample(SELF);
}

/** The CPU time of another thread of this process (its thread id; the main thread's is the process id), as threadCpu measures it, or null. */
export function threadCpuOf(tid: number): ThreadCpuSample | null {
  return sample(`/proc/self/task/${tid}`);
}

/** What a thread used between two samples: the --stats fields of one vCPU. */
export function threadCpuSince(start: ThreadCpuSample | null, startWallNs: bigint): Record<string, number> {
  const now = threadCpu();
  const wallNs = Number(process.hrtime.bigint() - startWallNs);
  if (!start || !now) return { vcpuWallNs: wallNs };
  const out: Record<string, number> = { vcpuWallNs: wallNs, vcpuCpuNs: now.cpuNs - start.cpuNs };
  if (start.waitNs !== null && now.waitNs !== null) out.vcpuRunqueueWaitNs = now.waitNs - start.waitNs;
  return out;
}
