// What a report is made of, and reading it back from disk: the benchmark
// records (JSON Lines, appended to as runs finish, so a line cut short by an
// interrupted run is normal and skipped) and the torture matrix (one JSON
// document, checked before use).

import { existsSync, readFileSync } from 'node:fs';
import type { HostInfo } from '../../src/host/host-info.js';
import { readRecords } from '../../bench/runner/bench-record.js';
import type { BenchRecord, TortureMatrix } from './input-types.js';
import type { TortureRunRecord } from '../../src/torture/run-record.js';
import type { SweepHeader } from '../../src/sweep/sweep-plan.js';
import type { RealResults } from '../../bench/real/real-results.js';
import type { ArmhfResults } from '../../bench/armhf/armhf-results.js';
import type { LitmusResultsFile } from '../../src/litmus/litmus-results.js';

export type ReportProfile = 'quick' | 'full';

export interface ReportInputs {
  readonly profile: ReportProfile;
  /** ISO time the report was generated. */
  readonly created: string;
  /** The machine the report was generated on (each record carries its own too). */
  readonly host: HostInfo;
  /** Null when no torture run was found. */
  readonly torture: TortureMatrix | null;
  /** The runs the matrix was assembled from (this host's). */
  readonly tortureRuns?: readonly TortureRunRecord[];
  readonly bench: readonly BenchRecord[];
  /** Strategies registered in this build: a strategy absent here has no results because it is not built. */
  readonly strategiesBuilt: readonly string[];
  /** Wall time spent running missing points for this report, in ms (0 when everything was reused). */
  readonly collectMs: number;
  /** Plain-language remarks gathered while collecting (a missing peer, a reused file). */
  readonly notes: readonly string[];
  /** The sweep plans the records belong to (src/sweep/): written at the head of the report's data files, so that they can be merged again. */
  readonly sweepHeaders?: readonly SweepHeader[];
  /** Set when the report was merged from a sweep's files (mttcg report --from): the files. */
  readonly mergedFrom?: readonly string[];
  /** Real programs measured by bench/real/real-bench.js (mttcg report --real-programs FILE), or absent. */
  readonly realPrograms?: RealResults;
  /** armhf and armel pigz's atomics measured by bench/armhf/pigz-atomics.js (mttcg report --armhf-atomics FILE), or absent. */
  readonly armhfAtomics?: ArmhfResults;
  /** ARM litmus results of mttcg litmus --json (mttcg report --litmus FILE, repeatable), or absent. */
  readonly litmus?: readonly LitmusResultsFile[];
}

export class ReportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportInputError';
  }
}

export interface BenchFile {
  readonly records: BenchRecord[];
  /** 1-based numbers of lines that are not bench records (typically one cut short by an interrupted run). */
  readonly badLines: readonly number[];
}

/** The benchmark records of a JSON Lines file (bench-record.ts's reader); a missing file reads as empty. */
export function readBenchFile(file: string): BenchFile {
  return readRecords(file);
}

/** Checks the parts of a torture matrix the report reads. */
export function checkTortureMatrix(v: unknown, name: string): TortureMatrix {
  if (typeof v !== 'object' || v === null) throw new ReportInputError(`${name}: not a JSON object`);
  const m = v as Record<string, unknown>;
  if (m.kind !== 'torture-matrix') throw new ReportInputError(`${name}: kind is '${String(m.kind)}', expected 'torture-matrix'`);
  if (m.version !== 1) throw new ReportInputError(`${name}: unsupported torture matrix version ${String(m.version)}`);
  for (const f of ['columns', 'cases', 'cells'] as const) {
    if (!Array.isArray(m[f])) throw new ReportInputError(`${name}: ${f} is not a list`);
  }
  if (m.profile !== 'quick' && m.profile !== 'full') throw new ReportInputError(`${name}: profile '${String(m.profile)}' is not quick or full`);
  return v as TortureMatrix;
}

/** The torture matrix in a file, or null when the file does not exist. */
export function readTortureFile(file: string): TortureMatrix | null {
  if (!existsSync(file)) return null;
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ReportInputError(`${file}: not valid JSON`);
  }
  return checkTortureMatrix(v, file);
}
