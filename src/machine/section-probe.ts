// Counters at each read of the guest's thread CPU clock, for finding why one
// run of a benchmark is slower than an identical one (issue 14's spread
// target). A benchmark guest reads that clock at the two ends of its timed
// section (bench/guest/bench.h), so the growth of each counter between two
// records of a thread is what happened inside the section
// (bench/speed/steady-counters.ts prints it run by run). With
// MTTCG_SECTION_PROBE=FILE each vCPU worker appends one JSON line per read
// to FILE (`-`: to the process's stdout, where V8's trace lines go):
//
//   - the guest's and the translator's counters (--stats' record: guest
//     instructions, TBs, regions compiled and entered, TLB fills and flushes,
//     slow paths, syscalls);
//   - V8's, for this worker's isolate: garbage collections and their cost
//     (v8.GCProfiler, read synchronously: the worker's event loop does not
//     turn while the guest runs) and the heap's size;
//   - the OS's, for this thread: migrations, switches, page faults, the core,
//     run and wait time (host/thread-os-counters.ts); the CPU time of every
//     thread of the process (the main thread's, V8's platform threads', other
//     vCPUs'); each core's busy time (/proc/stat, 10 ms ticks).
//
// The probe runs after the clock has its answer and its time is hidden from
// later answers (host/thread-clock-probe.ts), so the section's CPU figure is
// the guest's as without it. Off unless the variable is set.

import { appendFileSync, readFileSync, writeSync } from 'node:fs';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { setThreadClockProbe } from '../host/thread-clock-probe.js';
import { readProcessThreadsCpu, readThreadOsCounters } from '../host/thread-os-counters.js';

/** One line of the probe's file. */
export interface SectionProbeRecord {
  readonly kind: 'section-probe';
  readonly tid: number;
  readonly slot: number;
  /** This thread's reads so far, from 1. */
  readonly read: number;
  /** CLOCK_MONOTONIC (the guest's too) at the probe, ns. */
  readonly monoNs: number;
  readonly guest: Record<string, number | string>;
  readonly gc: { readonly count: number; readonly costUs: number; readonly usedHeap: number; readonly totalHeap: number };
  /** This thread's OS counters as the probe began (a section's end) and as it ended (a section's start). */
  readonly os: ReturnType<typeof readThreadOsCounters>;
  readonly osAfter: ReturnType<typeof readThreadOsCounters>;
  readonly threads: ReturnType<typeof readProcessThreadsCpu>;
  /** Busy time of each core since boot (all but idle and iowait), ms in 10 ms ticks. */
  readonly coresBusyMs: number[];
}

/** Busy ms of each core since boot, from /proc/stat's cpuN lines. */
export function coresBusyMs(stat: string): number[] {
  const out: number[] = [];
  for (const line of stat.split('\n')) {
    if (!/^cpu\d+ /.test(line)) continue;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    out.push((total - (f[3] ?? 0) - (f[4] ?? 0)) * 10);
  }
  return out;
}

function readCoresBusyMs(): number[] {
  try {
    return coresBusyMs(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return [];
  }
}

/** This worker's garbage collections since the probe began (a profiler read and restarted at each probe). */
class GcCount {
  private profiler = new GCProfiler();
  count = 0;
  costUs = 0;

  constructor() {
    this.profiler.start();
  }

  read(): void {
    const r = this.profiler.stop();
    for (const s of r?.statistics ?? []) {
      this.count++;
      this.costUs += s.cost;
    }
    this.profiler = new GCProfiler();
    this.profiler.start();
  }
}

/**
 * Sets this worker's probe for the guest thread `tid` on vCPU `slot` when
 * MTTCG_SECTION_PROBE names a file (else clears it); `counters` gives the
 * guest's counters now.
 */
export function probeSections(tid: number, slot: number, counters: () => Record<string, number | string>): void {
  const file = process.env.MTTCG_SECTION_PROBE;
  if (!file) {
    setThreadClockProbe(null);
    return;
  }
  const gc = new GcCount();
  let read = 0;
  setThreadClockProbe(() => {
    // On stdout, a mark where the probe begins: what V8 traces after it is the probe's, not the section's.
    if (file === '-') writeSync(1, `{"kind":"section-probe-begin","tid":${tid},"read":${read + 1}}\n`);
    const monoNs = Number(process.hrtime.bigint());
    const os = readThreadOsCounters();
    const guest = counters();
    gc.read();
    const heap = getHeapStatistics();
    const threads = readProcessThreadsCpu();
    const coresBusy = readCoresBusyMs();
    const record: SectionProbeRecord = {
      kind: 'section-probe', tid, slot, read: ++read, monoNs, guest,
      gc: { count: gc.count, costUs: gc.costUs, usedHeap: heap.used_heap_size, totalHeap: heap.total_heap_size },
      os, osAfter: readThreadOsCounters(), threads, coresBusyMs: coresBusy,
    };
    const line = `${JSON.stringify(record)}\n`;
    if (file === '-') writeSync(1, line);
    else appendFileSync(file, line);
  });
}
