// The contended window of a BENCH line (bench/guest/bench.h): the timed
// section from its start until the first thread finished its ops. After
// that the other threads run alone, uncontended (a spinlock under mttcg goes
// in streaks and one thread may finish far ahead), so a contended throughput
// or a "did the threads run at once" verdict is taken over the window, not
// over the whole section. Guests built before session 14 print no window:
// their consumers fall back to the section.
//
//   window=WN wops=WOPS wsplit=O0:O1:.. wcpu=D0:D1:.. wwall=V0:V1:..
//
// WN: the window in ns; WOPS: the ops of all threads in it (Oi thread i's);
// Di, Vi: thread i's CPU and wall ns from its start to the window's end as
// it saw it. A thread that saw the first finish counts the chunk it was in,
// so the window holds at most one chunk (ops per thread / 256) per thread
// run after that finish.

import type { BenchRecord, ContendedWindow } from './bench-record.js';
import { leastBusyShare } from './run-evidence.js';
import { findWorkload, type Workload } from './workloads.js';

const count = (x: string): number | null => (/^[0-9]+$/.test(x) ? Number(x) : null);

/**
 * The window fields of a BENCH line for `threads` threads, or null when the
 * line has none (an older guest) or they do not hold together (a thread
 * count that differs, WOPS not the sum of the split, more window than
 * section or more ops than the section's).
 */
export function parseWindow(fields: Readonly<Record<string, string>>, threads: number): ContendedWindow | null {
  const { window, wops, wsplit, wcpu, wwall } = fields;
  if (window === undefined || wops === undefined || wsplit === undefined || wcpu === undefined || wwall === undefined) return null;
  const ns = count(window);
  const ops = count(wops);
  const split = wsplit.split(':').map(count);
  const cpu = wcpu.split(':').map((x) => (x === '-' ? null : count(x)));
  const wall = wwall.split(':').map(count);
  if (ns === null || ops === null || !(ns > 0)) return null;
  if (split.length !== threads || cpu.length !== threads || wall.length !== threads) return null;
  if (split.some((x) => x === null) || wall.some((x) => x === null)) return null;
  if (wcpu.split(':').some((x, i) => x !== '-' && cpu[i] === null)) return null;
  if ((split as number[]).reduce((a, b) => a + b, 0) !== ops) return null;
  const sectionNs = Number(fields.ns);
  const sectionOps = Number(fields.ops);
  if (Number.isFinite(sectionNs) && ns > sectionNs) return null;
  if (Number.isFinite(sectionOps) && ops > sectionOps) return null;
  return { ns, ops, threadOps: split as number[], threadCpuNs: cpu, threadWallNs: wall as number[] };
}

/** The window's throughput, ops/s. */
export function windowOpsPerSec(w: ContendedWindow): number {
  return w.ops / (w.ns / 1e9);
}

/** The least busy thread's CPU over the window (leastBusyShare); null without every clock. */
export function windowShare(w: ContendedWindow): number | null {
  return leastBusyShare(w.threadCpuNs, w.threadWallNs);
}

/** The share of the section after the window: the time some thread ran on alone (0..1). */
export function aloneShare(w: ContendedWindow, sectionNs: number): number {
  return sectionNs > 0 ? Math.max(0, 1 - w.ns / sectionNs) : 0;
}

/** "window: 2 threads x 97% of 151 ms (of a 203 ms section)". */
export function windowText(w: ContendedWindow, sectionNs: number): string {
  const share = windowShare(w);
  const pct = share === null ? '?' : `${Math.round(100 * share)}%`;
  return `window: ${w.threadOps.length} threads x ${pct} of ${(w.ns / 1e6).toFixed(0)} ms (of a ${(sectionNs / 1e6).toFixed(0)} ms section)`;
}

/**
 * The throughput a report figure takes from a record: at 2 or more vCPUs,
 * for a workload whose threads contend for atomics and do not sleep
 * (workloads.ts: atomic-add, the spinlocks, treiber-stack), over its
 * contended window; otherwise, or for a record without one (an older guest,
 * a real program), its opsPerSec over the whole section.
 */
export function contendedOpsPerSec(r: BenchRecord, workload: Workload | undefined = findWorkload(r.workload)): number {
  const w = r.evidence?.window;
  if (!w || r.vcpus < 2 || !workload || workload.sleeps || workload.contention === 'none') return r.opsPerSec;
  return windowOpsPerSec(w);
}
