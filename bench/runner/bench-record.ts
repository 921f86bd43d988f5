// One measured point of `mttcg bench`, as one JSON line of the results file.
// The report generator reads exactly this shape; a change to it bumps
// BENCH_RECORD_VERSION. Readers accept every version listed in
// READABLE_VERSIONS and ignore fields they do not know, so that a later
// writer may add some without breaking them (the sweep tag was added so).

import type { HostInfo } from '../../src/host/host-info.js';
import type { SweepTag } from '../../src/sweep/sweep-plan.js';
import { appendJsonLine, readJsonLines } from '../../src/host/jsonl-file.js';
import type { LoadEvidence } from '../../src/host/load-sampler.js';

/**
 * 2: evidence (per-thread CPU and wall time of the timed section, overlap,
 * failures), the host load sampled during the run, each vCPU's host-thread
 * CPU time, and host.hostId. 1: none of these (such records are read, but
 * are never evidence).
 */
export const BENCH_RECORD_VERSION = 2;
export const READABLE_VERSIONS: readonly number[] = [1, 2];

export type BenchPeer = 'mttcg' | 'qemu-arm' | 'native';

/** What the guest measured about its own timed section (the BENCH line's cpu=, wall=, chunks=, concurrent=, fails=). */
export interface GuestEvidence {
  /** Each thread's CPU time in its timed section, ns; null where the thread CPU clock was missing. */
  readonly threadCpuNs: readonly (number | null)[];
  /** Each thread's own timed section (its start to its end), ns. */
  readonly threadWallNs: readonly number[];
  /** Chunks of all threads, and those during which another thread made progress. */
  readonly chunks: number;
  readonly concurrentChunks: number;
  /** Atomic attempts that lost a race in the timed section; null when the workload (or peer) does not count them. */
  readonly failures: number | null;
  /**
   * The contended window (the BENCH line's window=, wops=, wsplit=, wcpu=,
   * wwall=; bench-window.ts): absent in records of guests built before
   * session 14, whose readers then use the whole section.
   */
  readonly window?: ContendedWindow;
}

/** The timed section from its start until the first thread finished its ops (bench/guest/bench.h). */
export interface ContendedWindow {
  /** Its length, ns. */
  readonly ns: number;
  /** Ops of all threads in it, and each thread's. */
  readonly ops: number;
  readonly threadOps: readonly number[];
  /** Each thread's CPU and wall ns from its start to the window's end as it saw it; CPU null without the clock. */
  readonly threadCpuNs: readonly (number | null)[];
  readonly threadWallNs: readonly number[];
}

/** One vCPU's host thread over its whole life (mttcg --stats: vcpuCpuNs, vcpuRunqueueWaitNs, vcpuWallNs). */
export interface VcpuCpu {
  readonly tid: number;
  readonly cpuNs: number;
  /** Runnable but waiting for a CPU; null where the kernel does not say. */
  readonly waitNs: number | null;
  readonly wallNs: number;
}

export interface BenchRecord {
  kind: 'bench';
  version: 1 | 2;
  /** Workload name, e.g. 'atomic-add-128' (bench/runner/workloads.ts). */
  workload: string;
  peer: BenchPeer;
  /** The strategy spec label for mttcg (e.g. 'cmpxchg', 'aie:aie-stores=always'); 'qemu-arm' or 'native' otherwise. */
  strategy: string;
  vcpus: number;
  /** 1-based repeat number. */
  repeat: number;
  /** Total ops of the timed section (all threads); from the guest's BENCH line, else the planned count. */
  ops: number;
  /** The timed parallel section in ns, as the guest measured it (0 when there is no BENCH line). */
  ns: number;
  /** ops / (ns / 1e9); 0 when there is no BENCH line. */
  opsPerSec: number;
  /**
   * Untimed warm-up ops (all threads) the guest ran before the timed section
   * (its BENCH line's warmup=; absent or 0 without one). The counters cover
   * them too. Optional: an addition to version 1 that readers may ignore.
   */
  warmupOps?: number;
  /** Exit 0, a well-formed BENCH line and the guest's own check passed. */
  ok: boolean;
  error: string | null;
  /** mttcg --stats totals (all threads, whole run, incl. atomic.* keys); null for the other peers. */
  counters: Record<string, number> | null;
  guestInsns: number | null;
  /** Wall time of the whole run (process start to exit) in ms. */
  wallMs: number;
  /** The command, relative to the repository root (without the temporary --stats-json file). */
  args: string[];
  host: HostInfo;
  /** When the point finished (ISO 8601). */
  time: string;
  /** Version 2: the guest's evidence (null when there was no well-formed BENCH line). */
  evidence?: GuestEvidence | null;
  /** Version 2: the host's load during the run. */
  load?: LoadEvidence | null;
  /** Version 2, mttcg only: each vCPU's host thread from --stats (null for the peers or without stats). */
  vcpuCpu?: readonly VcpuCpu[] | null;
  /** The sweep plan and shard that ran it (src/sweep/; absent in records written before sweeps). */
  sweep?: SweepTag;
}

/** The identity of a point: one line per key in a complete results file. */
export interface PointKey {
  readonly workload: string;
  readonly strategy: string;
  readonly vcpus: number;
  readonly repeat: number;
}

export function pointKey(p: PointKey): string {
  return JSON.stringify([p.workload, p.strategy, p.vcpus, p.repeat]);
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function isGuestEvidence(x: unknown): x is GuestEvidence {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Record<string, unknown>;
  return (
    Array.isArray(e.threadCpuNs) && e.threadCpuNs.every((v) => v === null || isNum(v)) &&
    Array.isArray(e.threadWallNs) && e.threadWallNs.every(isNum) &&
    isNum(e.chunks) && isNum(e.concurrentChunks) &&
    (e.failures === null || isNum(e.failures)) &&
    (e.window === undefined || isContendedWindow(e.window))
  );
}

function isContendedWindow(x: unknown): x is ContendedWindow {
  if (typeof x !== 'object' || x === null) return false;
  const w = x as Record<string, unknown>;
  return (
    isNum(w.ns) && isNum(w.ops) &&
    Array.isArray(w.threadOps) && w.threadOps.every(isNum) &&
    Array.isArray(w.threadCpuNs) && w.threadCpuNs.every((v) => v === null || isNum(v)) &&
    Array.isArray(w.threadWallNs) && w.threadWallNs.every(isNum)
  );
}

/** Structural check of a parsed line (what the report may rely on). */
export function isBenchRecord(x: unknown): x is BenchRecord {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return (
    r.kind === 'bench' &&
    READABLE_VERSIONS.includes(r.version as number) &&
    typeof r.workload === 'string' &&
    (r.peer === 'mttcg' || r.peer === 'qemu-arm' || r.peer === 'native') &&
    typeof r.strategy === 'string' &&
    isNum(r.vcpus) &&
    isNum(r.repeat) &&
    isNum(r.ops) &&
    isNum(r.ns) &&
    isNum(r.opsPerSec) &&
    (r.warmupOps === undefined || isNum(r.warmupOps)) &&
    typeof r.ok === 'boolean' &&
    (r.error === null || typeof r.error === 'string') &&
    (r.counters === null || typeof r.counters === 'object') &&
    (r.guestInsns === null || isNum(r.guestInsns)) &&
    isNum(r.wallMs) &&
    Array.isArray(r.args) &&
    typeof r.host === 'object' &&
    r.host !== null &&
    typeof r.time === 'string' &&
    (r.evidence === undefined || r.evidence === null || isGuestEvidence(r.evidence))
  );
}

export interface ReadResult {
  readonly records: BenchRecord[];
  /** 1-based line numbers that were not bench records (e.g. a line cut short by a kill). */
  readonly badLines: number[];
}

/** Reads a results file; a missing file reads as empty. Lines that are not records are reported, not fatal. */
export function readRecords(file: string): ReadResult {
  return readJsonLines(file, isBenchRecord);
}

/** Keys of the points already measured successfully (what --resume skips). */
export function completedKeys(records: readonly BenchRecord[]): Set<string> {
  return new Set(records.filter((r) => r.ok).map(pointKey));
}

export { ensureLineStart } from '../../src/host/jsonl-file.js';

/** Appends one record as one line with a single write, so a kill loses at most the point in progress. */
export function appendRecord(file: string, record: BenchRecord): void {
  appendJsonLine(file, record);
}
