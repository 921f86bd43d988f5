// The results file of `mttcg litmus --json FILE` (kind litmus-results): what
// the report's "Litmus tests" section (reports/lib/section-litmus.ts, mttcg
// report --litmus FILE) is drawn from.

import { readResultsFile } from '../host/results-file.js';
import { loadavg } from 'node:os';
import { hostInfo } from '../host/host-info.js';
import type { LitmusResult } from './litmus-run.js';
import type { LitmusTest } from './litmus-test.js';

export interface LitmusTestInfo {
  readonly name: string;
  readonly expected: LitmusTest['expected'];
  readonly source: string | null;
  readonly claim: string | null;
}

export interface LitmusResultsFile {
  readonly kind: 'litmus-results';
  /** The command line that produced the file. */
  readonly command: string;
  /** CPU model, cores, arch, Node, qemu-arm. */
  readonly host: string;
  /** 1-minute load average when the run started and when it ended. */
  readonly loads: readonly number[];
  readonly runs: number;
  readonly columns: readonly string[];
  readonly tests: readonly LitmusTestInfo[];
  readonly results: readonly LitmusResult[];
}

export function hostText(): string {
  const h = hostInfo();
  return `${h.cpuModel}, ${h.cores} cores, ${h.arch}, Node ${h.node}, ${h.qemu ?? 'no qemu-arm'}`;
}

export function currentLoad(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

export function litmusResultsRecord(argv: readonly string[], loadAtStart: number, runs: number, columns: readonly string[],
  tests: readonly LitmusTest[], results: readonly LitmusResult[]): LitmusResultsFile {
  return {
    kind: 'litmus-results', command: ['mttcg', 'litmus', ...argv].join(' '), host: hostText(), loads: [loadAtStart, currentLoad()],
    runs, columns, tests: tests.map((t) => ({ name: t.name, expected: t.expected, source: t.source, claim: t.claim })), results,
  };
}

/** Reads and checks a results file; throws ResultsFileError naming what is wrong. */
export function readLitmusResults(file: string): LitmusResultsFile {
  return readResultsFile<LitmusResultsFile>(file,
    (r) => !!r && r.kind === 'litmus-results' && Array.isArray(r.results) && Array.isArray(r.tests) && Array.isArray(r.columns) && Array.isArray(r.loads),
    "not a results file of mttcg litmus --json (kind 'litmus-results' with tests, columns, results, loads)");
}
