// What the OS counted for the calling thread, from /proc/thread-self: the
// evidence of a slow run that is the OS's doing rather than the code's (a
// migration between cores, a preemption, a wait for a core, page faults).
// Read at the two ends of a guest's timed section (machine/section-probe.ts),
// their growth over the section is set beside its thread CPU
// (bench/speed/steady-counters.ts). Linux only; elsewhere every read is null.
//
// /proc/thread-self/sched gives migrations and voluntary and involuntary
// switches; /proc/thread-self/stat the minor and major page faults and the
// core the thread last ran on; /proc/thread-self/schedstat the time on a core
// and the time runnable but waiting for one (both current at the last tick or
// switch: a few milliseconds stale, which is why the guest's thread clock has
// its own exact reader, host/exact-thread-cpu.ts).

import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadOsCounters {
  /** The thread's id (the kernel's, as in /proc/PID/task/TID). */
  readonly hostTid: number;
  readonly migrations: number;
  readonly voluntarySwitches: number;
  readonly involuntarySwitches: number;
  readonly minorFaults: number;
  readonly majorFaults: number;
  /** The core the thread ran on last (at this read: the one it runs on). */
  readonly core: number;
  readonly runNs: number;
  readonly waitNs: number;
}

/** The value of `name` in /proc/.../sched's "name : value" lines; NaN if absent. */
export function schedField(text: string, name: string): number {
  const at = text.indexOf(`\n${name} `);
  if (at < 0) return NaN;
  const colon = text.indexOf(':', at);
  const end = text.indexOf('\n', colon);
  return Number(text.slice(colon + 1, end < 0 ? undefined : end).trim());
}

/** Minor faults, major faults and the last core from a /proc/.../stat line (the name may hold spaces and parentheses). */
export function statFields(text: string): { hostTid: number; minorFaults: number; majorFaults: number; core: number } {
  // Field 1 is the id; after the name, from field 3 (state): minflt is field 10, majflt 12, processor 39.
  const rest = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  return { hostTid: Number(text.slice(0, text.indexOf(' '))), minorFaults: Number(rest[7]), majorFaults: Number(rest[9]), core: Number(rest[36]) };
}

/** The calling thread's counters, or null where /proc/thread-self is not readable (not Linux). */
export function readThreadOsCounters(): ThreadOsCounters | null {
  let sched: string, stat: string, schedstat: string;
  try {
    sched = readFileSync('/proc/thread-self/sched', 'utf8');
    stat = readFileSync('/proc/thread-self/stat', 'utf8');
    schedstat = readFileSync('/proc/thread-self/schedstat', 'utf8');
  } catch {
    return null;
  }
  const [run, wait] = schedstat.trim().split(/\s+/).map(Number);
  return {
    migrations: schedField(sched, 'se.nr_migrations'),
    voluntarySwitches: schedField(sched, 'nr_voluntary_switches'),
    involuntarySwitches: schedField(sched, 'nr_involuntary_switches'),
    ...statFields(stat),
    runNs: run ?? NaN,
    waitNs: wait ?? NaN,
  };
}

/** CPU time (ns, schedstat) of every thread of this process, by thread id, with each thread's name. */
export function readProcessThreadsCpu(): { tid: number; name: string; runNs: number }[] {
  const out: { tid: number; name: string; runNs: number }[] = [];
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const t of tids) {
    try {
      const name = readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim();
      const runNs = Number(readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ')[0]);
      out.push({ tid: Number(t), name, runNs });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}
