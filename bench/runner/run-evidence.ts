// Is one benchmark run evidence about the strategy, or only about the host?
// A run is *not evidence* when
//   - it failed (no measurement, or the guest's own check failed);
//   - it carries no evidence (a version-1 record, or a guest without the
//     BENCH evidence fields);
//   - a thread got too little CPU: its CPU time in its own timed section was
//     below MIN_CPU_SHARE of the share it could have had (all of it, or
//     cores / vCPUs when the point is oversubscribed); then the figure
//     measures the other jobs on the host. Not applied to workloads whose
//     threads sleep by design (futex waits);
//   - at 2 or more vCPUs, the threads did not overlap: the smallest thread
//     CPU time was below MIN_CPU_SHARE of what it could have had over the
//     contended window (bench.h: from the section's start, together at the
//     start barrier, until the first thread finished; bench-window.ts), so
//     the vCPUs took turns and the point says nothing about parallel
//     execution. A record without the window (a guest built before session
//     14) is judged over the longest timed section instead, where a thread
//     that finished early and left the other alone also fails the rule.
//     Workloads whose threads sleep by design are judged by the chunks
//     instead: fewer than MIN_OVERLAP of them saw another thread make
//     progress. The chunk overlap is not the rule for the others: a lock
//     that stays with one thread for whole chunks (mttcg's spinlock does,
//     while both threads spin on their cores) leaves few concurrent chunks
//     although the threads ran at once (session 13);
//   - a high-contention workload at 2 or more vCPUs counted its failed
//     atomic attempts and saw none: nothing contended.
// The thresholds are judgement calls, named here and in docs/benchmarks.md.

import type { BenchRecord } from './bench-record.js';
import { findWorkload, type Workload } from './workloads.js';

/** A thread must have had at least this share of the CPU it could have had. */
export const MIN_CPU_SHARE = 0.75;
/** At 2+ vCPUs, for workloads whose threads sleep: at least this share of the chunks must have run beside another thread's progress. */
export const MIN_OVERLAP = 0.5;

export type NotEvidenceKind = 'failed' | 'no-evidence-recorded' | 'too-little-cpu' | 'no-overlap' | 'no-contention';

export const NOT_EVIDENCE_TEXT: Readonly<Record<NotEvidenceKind, string>> = {
  failed: 'the run failed',
  'no-evidence-recorded': 'no evidence recorded (an older record or guest, or a real program: they print no BENCH line)',
  'too-little-cpu': 'too little CPU',
  'no-overlap': 'no overlap (the vCPUs took turns or one went on alone)',
  'no-contention': 'no contention (no atomic attempt failed)',
};

export interface RunEvidence {
  readonly evidence: boolean;
  readonly kinds: readonly NotEvidenceKind[];
  /** Plain-language reasons, one per kind, with the numbers. */
  readonly reasons: readonly string[];
  /** The lowest thread CPU share (CPU time / own timed wall time); null without evidence or clock. */
  readonly cpuShare: number | null;
  /** What a thread could have had: 1, or cores / vCPUs when oversubscribed. */
  readonly expectedShare: number;
  /** Concurrent chunks / chunks; null at 1 vCPU or without evidence. */
  readonly overlap: number | null;
  /**
   * The smallest thread CPU time over the contended window (over the longest
   * timed section for a record without one); null at 1 vCPU, without
   * evidence or clock.
   */
  readonly together: number | null;
  /** Whether `together` is over the window (false: over the section). */
  readonly togetherInWindow: boolean;
  /** The same over the longest timed section (what `together` was before the window). */
  readonly sectionTogether: number | null;
  /** Failed atomic attempts per timed op; null where not counted. */
  readonly failuresPerOp: number | null;
}

function pct(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/**
 * The smallest thread CPU time over the longest timed section (the sections
 * start together at bench.h's start barrier): near 1 when every thread ran
 * for the whole section, about 1/2 for two that took turns or where one
 * finished early and the other went on alone; null without every thread's
 * clock or with a section that is not positive.
 */
export function leastBusyShare(threadCpuNs: readonly (number | null)[], threadWallNs: readonly number[]): number | null {
  if (!threadCpuNs.length || threadCpuNs.length !== threadWallNs.length) return null;
  if (threadCpuNs.some((c) => c === null || !(c >= 0)) || threadWallNs.some((w) => !(w > 0))) return null;
  return Math.min(...(threadCpuNs as number[])) / Math.max(...threadWallNs);
}

/** The evidence verdict of one run (the workload table says how contended and whether threads sleep). */
export function runEvidence(r: BenchRecord, workload: Workload | undefined = findWorkload(r.workload)): RunEvidence {
  const cores = Math.max(1, r.host.cores);
  const expectedShare = Math.min(1, cores / r.vcpus);
  const kinds: NotEvidenceKind[] = [];
  const reasons: string[] = [];
  const add = (k: NotEvidenceKind, why: string): void => {
    kinds.push(k);
    reasons.push(why);
  };
  const e = r.evidence ?? null;
  let cpuShare: number | null = null;
  let overlap: number | null = null;
  let together: number | null = null;
  let sectionTogether: number | null = null;
  let failuresPerOp: number | null = null;
  if (e) {
    const shares = e.threadCpuNs.map((c, i) => (c === null || !(e.threadWallNs[i]! > 0) ? null : c / e.threadWallNs[i]!));
    cpuShare = shares.every((s) => s !== null) && shares.length ? Math.min(...(shares as number[])) : null;
    overlap = r.vcpus >= 2 && e.chunks > 0 ? e.concurrentChunks / e.chunks : null;
    sectionTogether = r.vcpus >= 2 ? leastBusyShare(e.threadCpuNs, e.threadWallNs) : null;
    together = r.vcpus < 2 ? null : e.window ? leastBusyShare(e.window.threadCpuNs, e.window.threadWallNs) : sectionTogether;
    failuresPerOp = e.failures === null || r.ops <= 0 ? null : e.failures / r.ops;
  }
  if (!r.ok) add('failed', `the run failed: ${r.error ?? 'no measurement'}`);
  if (!e) {
    if (r.ok) add('no-evidence-recorded', NOT_EVIDENCE_TEXT['no-evidence-recorded']);
  } else {
    if (cpuShare !== null && !workload?.sleeps && cpuShare < MIN_CPU_SHARE * expectedShare) {
      add('too-little-cpu', `too little CPU: a vCPU ran ${pct(cpuShare)} of its timed section (at least ${pct(MIN_CPU_SHARE * expectedShare)} needed)`);
    }
    if (workload?.sleeps) {
      if (overlap !== null && overlap < MIN_OVERLAP) {
        add('no-overlap', `no overlap: ${e.concurrentChunks} of ${e.chunks} chunks ran beside another thread (at least ${pct(MIN_OVERLAP)} needed)`);
      }
    } else if (together !== null && together < MIN_CPU_SHARE * expectedShare) {
      add('no-overlap', e.window
        ? `no overlap: the least busy thread ran ${pct(together)} of the contended window (the first ${(e.window.ns / 1e6).toFixed(0)} ms of the ${(r.ns / 1e6).toFixed(0)} ms section; at least ${pct(MIN_CPU_SHARE * expectedShare)} needed): the vCPUs took turns`
        : `no overlap: the least busy thread ran ${pct(together)} of the longest timed section (at least ${pct(MIN_CPU_SHARE * expectedShare)} needed): the vCPUs took turns or one went on alone`);
    }
    if (r.vcpus >= 2 && workload?.contention === 'high' && e.failures === 0) {
      add('no-contention', `no contention: 0 failed atomic attempts in ${r.ops} ops`);
    }
  }
  return {
    evidence: kinds.length === 0, kinds, reasons, cpuShare, expectedShare, overlap, together,
    togetherInWindow: r.vcpus >= 2 && !!e?.window, sectionTogether, failuresPerOp,
  };
}
