// One run of one torture cell as one JSON line: what `mttcg torture --out`
// and the report append the moment a run finishes, so an interrupted matrix
// loses only the run in progress and `--resume` carries on. The matrix is
// assembled from these records (assemble-matrix.ts). Readers ignore fields
// they do not know. A run of a sweep carries its plan's hash and shard
// (src/sweep/), and every run the host's load while it ran.

import { hostKindOf, type HostInfo } from '../host/host-info.js';
import { appendJsonLine, readJsonLines, type JsonLines } from '../host/jsonl-file.js';
import type { LoadEvidence } from '../host/load-sampler.js';
import type { SweepTag } from '../sweep/sweep-plan.js';
import type { TortureCellResult, TortureColumn, TortureProfile } from './matrix-types.js';

export const TORTURE_RUN_VERSION = 1;

export interface TortureRunRecord {
  readonly kind: 'torture-run';
  readonly version: 1;
  /** The request's profile and iteration scale: runs under other ones are different experiments. */
  readonly profile: TortureProfile;
  readonly scale: number;
  readonly column: TortureColumn;
  /** 1-based; cells predicted may-fail run several times (TortureRequest.repeats). */
  readonly repeat: number;
  /** This run alone (runs, failedRuns and exercisedRuns absent). */
  readonly result: TortureCellResult;
  readonly host: HostInfo;
  /** When the run finished (ISO 8601). */
  readonly time: string;
  /** The sweep plan and shard that ran it (absent in runs written before sweeps). */
  readonly sweep?: SweepTag;
  /** The host's load while the process ran (src/host/load-sampler.ts); null when nothing ran (n/a), absent in older runs. */
  readonly load?: LoadEvidence | null;
}

/**
 * The identity of a run: the same key in a file means the run is done
 * (resume skips it). Runs of one kind of host are interchangeable (a shard
 * resumed on another node of the cluster); other kinds' runs never are.
 */
export function runKey(r: { readonly hostKind: string; readonly profile: TortureProfile; readonly scale: number; readonly case: string; readonly column: string; readonly repeat: number }): string {
  return JSON.stringify([r.hostKind, r.profile, r.scale, r.case, r.column, r.repeat]);
}

export function keyOfRecord(r: TortureRunRecord): string {
  return runKey({ hostKind: hostKindOf(r.host), profile: r.profile, scale: r.scale, case: r.result.case, column: r.column.label, repeat: r.repeat });
}

export function isTortureRunRecord(x: unknown): x is TortureRunRecord {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  const res = r.result as Record<string, unknown> | null;
  const col = r.column as Record<string, unknown> | null;
  return (
    r.kind === 'torture-run' &&
    r.version === TORTURE_RUN_VERSION &&
    (r.profile === 'quick' || r.profile === 'full') &&
    typeof r.scale === 'number' &&
    typeof r.repeat === 'number' &&
    typeof col === 'object' && col !== null && typeof col.label === 'string' && typeof col.threads === 'number' &&
    typeof res === 'object' && res !== null && typeof res.case === 'string' && typeof res.cell === 'string' &&
    typeof res.observed === 'string' &&
    typeof r.host === 'object' && r.host !== null &&
    typeof r.time === 'string'
  );
}

export function readTortureRuns(file: string): JsonLines<TortureRunRecord> {
  return readJsonLines(file, isTortureRunRecord);
}

export function appendTortureRun(file: string, record: TortureRunRecord): void {
  appendJsonLine(file, record);
}
