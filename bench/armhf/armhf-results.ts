// The results file of bench/armhf/pigz-atomics.ts (--json FILE), which the
// report's "armhf: LDREX/STREX in real programs" section draws (mttcg report
// --armhf-atomics FILE): per architecture and strategy, each round's counters
// per million guest instructions, times, and how far the vCPUs overlapped.

import { readResultsFile } from '../../src/host/results-file.js';

/** Counters of mttcg --stats read per million guest instructions. */
export const ARMHF_COUNTERS = [
  'atomic.ldrex', 'atomic.strex', 'atomic.strexFailMonitor', 'atomic.strexFailValue', 'atomic.cas', 'atomic.casFail', 'atomic.barriers', 'futexWaits',
] as const;
export type ArmhfCounter = (typeof ARMHF_COUNTERS)[number];

/** One architecture x strategy: one entry per round in every array. */
export interface ArmhfRow {
  readonly arch: 'armel' | 'armhf';
  readonly strategy: string;
  readonly insns: readonly number[];
  readonly perM: Readonly<Record<ArmhfCounter, readonly number[]>>;
  /** Wall seconds of the mttcg run. */
  readonly wall: readonly number[];
  /** The vCPUs' CPU seconds, summed. */
  readonly cpu: readonly number[];
  /** mttcg's wall time over qemu-arm's in the same round. */
  readonly ratio: readonly number[];
  /** Summed vCPU CPU time over the run's wall time: above 1, threads ran at the same time. */
  readonly parallelism: readonly number[];
  /** Threads that ran guest code (vCPUs with instructions). */
  readonly threads: readonly number[];
}

export interface ArmhfResults {
  readonly kind: 'armhf-atomics';
  readonly host: string;
  readonly command: string;
  /** pigz's -p. */
  readonly pigzThreads: number;
  readonly bytes: number;
  readonly repeat: number;
  /** 1-minute load averages, after each round. */
  readonly loads: readonly number[];
  /** Debian version of pigz per architecture. */
  readonly versions: Readonly<Record<string, string>>;
  /** qemu-arm's wall seconds per architecture, one per round. */
  readonly qemuWall: Readonly<Record<string, readonly number[]>>;
  readonly rows: readonly ArmhfRow[];
}

/** Reads and checks a results file; throws ResultsFileError naming what is wrong. */
export function readArmhfResults(file: string): ArmhfResults {
  return readResultsFile<ArmhfResults>(file, (r) => {
    const rowsOk = Array.isArray(r?.rows) && r.rows.every((x) => x && typeof x.perM === 'object' && ARMHF_COUNTERS.every((k) => Array.isArray(x.perM[k])));
    return r?.kind === 'armhf-atomics' && rowsOk && Array.isArray(r.loads);
  }, "not a results file of bench/armhf/pigz-atomics.js --json (kind 'armhf-atomics' with rows of per-million counters, loads)");
}
