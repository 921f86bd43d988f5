// The results file of bench/real/real-bench.ts (--json FILE), which the
// report's "Real programs" section draws (mttcg report --real-programs FILE).

import { readResultsFile } from '../../src/host/results-file.js';

/** One program x thread count x peer: its runs. */
export interface RealPoint {
  readonly program: string;
  readonly threads: number;
  /** 'mttcg STRATEGY', 'qemu-arm' or 'native'. */
  readonly peer: string;
  /** Seconds per successful run. */
  readonly wall: readonly number[];
  /** CPU seconds of the run's process tree. */
  readonly cpu: readonly number[];
  /** Every successful run's output was qemu-arm's bytes. */
  readonly identical: boolean;
  /** Runs that failed (exit status and stderr). */
  readonly failures: readonly string[];
}

/** Where one mttcg run's time went (--stats-json). */
export interface RealProfile {
  readonly program: string;
  readonly threads: number;
  readonly strategy: string;
  readonly insns: number;
  readonly translatePct: number;
  readonly compilePct: number;
  readonly codePct: number;
  readonly casPerMInsn: number;
  readonly cpuSeconds: number;
}

export interface RealResults {
  readonly kind: 'real-programs';
  readonly host: string;
  readonly command: string;
  readonly corpus: string;
  readonly bytes: number;
  readonly repeat: number;
  /** 1-minute load averages sampled after each round. */
  readonly loads: readonly number[];
  readonly points: readonly RealPoint[];
  readonly profiles: readonly RealProfile[];
  /** peer -> mode (plain, ldrex, kuser) -> ns per op, one per repeat. */
  readonly kuser: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;
}

/** Reads and checks a results file; throws ResultsFileError naming what is wrong. */
export function readRealResults(file: string): RealResults {
  return readResultsFile<RealResults>(file,
    (r) => r?.kind === 'real-programs' && Array.isArray(r.points) && Array.isArray(r.profiles) && Array.isArray(r.loads),
    "not a results file of bench/real/real-bench.js (kind 'real-programs' with points, profiles, loads)");
}
