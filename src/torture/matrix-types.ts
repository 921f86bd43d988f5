// The torture matrix as data: what `mttcg torture --json` writes and what
// runTortureMatrix returns to the report generator. One cell per (case,
// column); a column is one strategy spec at one vCPU count, or the qemu-arm
// peer at one vCPU count.

import type { Prediction, TortureCaseName } from '../emulator/atomics/guarantees.js';
import type { HostInfo } from '../host/host-info.js';

/**
 * A cell's verdict, from the prediction and the observation:
 * pass (predicted pass or may-fail, passed), fail (predicted pass, failed: a
 * broken guarantee), expected-fail (predicted fail or may-fail, failed),
 * unexpected-pass (predicted fail, passed), n/a (not run at this vCPU count).
 */
export type Cell = 'pass' | 'fail' | 'expected-fail' | 'unexpected-pass' | 'n/a';

export type Observed = 'pass' | 'fail' | 'n/a';

export type TortureProfile = 'quick' | 'full';

export interface TortureColumn {
  /** e.g. `cmpxchg@2`, `aie:aie-stores=off@2`, `qemu-arm@2`. */
  readonly label: string;
  /** Strategy name; `qemu-arm` for the peer. */
  readonly strategy: string;
  /** Strategy options as given in the spec (KEY=VALUE), passed to `mttcg run --KEY VALUE`. */
  readonly options: Readonly<Record<string, string>>;
  /** vCPU count asked for; pair-based cases need 2 (n/a at 1). */
  readonly threads: number;
  /** The qemu-arm peer: its cells never count as broken claims. */
  readonly peer: boolean;
  /** Runs under the deterministic scheduler, one per seed (label ends in /sched); absent: free runs. */
  readonly seeded?: boolean;
}

export interface TortureCellResult {
  readonly case: TortureCaseName;
  /** The column's label. */
  readonly column: string;
  /** The prediction at this vCPU count (what the cell is classified against). */
  readonly predicted: Prediction;
  /** What the strategy declares for the case; differs from `predicted` only at 1 vCPU (no race possible). */
  readonly declared: Prediction;
  readonly observed: Observed;
  readonly cell: Cell;
  /** The guest's RESULT line, or null if it printed none. */
  readonly resultLine: string | null;
  /** The RESULT line's observed=k=v,... pairs (plus case, status, threads, iters). */
  readonly observedKv: Readonly<Record<string, string>>;
  /** Process exit status (128+N for signal N); null when not run or killed by the runner's own timeout. */
  readonly exitCode: number | null;
  /** Last part of the process's stderr (empty if none). */
  readonly stderrTail: string;
  /** Why the observation is 'fail' when the RESULT line does not say so (no line, exit status, timeout), or why n/a. */
  readonly reason: string | null;
  /** Guest arguments the case ran with (empty when not run). */
  readonly args: readonly string[];
  /** The --sched seed of a seeded run (torture --seeds), absent in free runs. */
  readonly seed?: number;
  /** A cell of seeded runs: the first seed that failed, or null when none did (absent in free runs). */
  readonly firstFailingSeed?: number | null;
  /** Wall time of the process in milliseconds (0 when not run; the sum over runs in a matrix cell). */
  readonly ms: number;
  /**
   * A matrix cell over several runs (cells predicted may-fail repeat,
   * TortureRequest.repeats): how many ran, how many failed, how many
   * exercised the race (exercise.ts; null when the case has no measure).
   * The other fields are the first failing run's, else the last run's.
   * Absent in a single run's record and in matrices written before repeats.
   */
  readonly runs?: number;
  readonly failedRuns?: number;
  readonly exercisedRuns?: number | null;
  /** Why a run did not exercise its race (the first such run), or null. */
  readonly notExercised?: string | null;
}

export interface TortureMatrix {
  readonly kind: 'torture-matrix';
  readonly version: 1;
  /** ISO time the run started. */
  readonly created: string;
  readonly host: HostInfo;
  readonly profile: TortureProfile;
  /** Factor applied to every case's iteration count (see cases.ts). */
  readonly scale: number;
  /** Runs of each cell predicted may-fail (others run once); absent in older matrices (1). */
  readonly repeats?: number;
  readonly columns: readonly TortureColumn[];
  readonly cases: readonly TortureCaseName[];
  readonly cells: readonly TortureCellResult[];
  /** 'fail' cells in non-peer columns: predicted pass, failed. */
  readonly brokenClaims: number;
  /** 'unexpected-pass' cells in non-peer columns. */
  readonly unexpectedPasses: number;
}
