// A real program under mttcg with its --stats counters (harness/real-programs.ts
// runs it): what the run exercised (LDREX/STREX, kuser cmpxchg, barriers,
// guest instructions) beside its output. Used by the armhf tests and
// bench/armhf, which check that armhf glibc's locks reach each strategy as
// exclusives and armel's as kuser cmpxchg.

import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runMttcgProgram, type ProgramRun, type RunSpec } from './real-programs.js';

export interface CountedRun extends ProgramRun {
  /** The `totals` of the run's --stats-json record (counter -> value). */
  readonly totals: Readonly<Record<string, number>>;
  /** CPU nanoseconds of each thread that ran guest code. */
  readonly threadCpuNs: readonly number[];
  /** The run's wall seconds as the record gives them (NaN without a record). */
  readonly wallSeconds: number;
}

interface StatsRecord {
  readonly totals?: Record<string, number>;
  readonly threads?: readonly Record<string, number>[];
  readonly wallSeconds?: number;
}

let serial = 0;

/** runMttcgProgram with --stats-json into the run's directory (read, then removed). */
export function runMttcgCounted(spec: RunSpec, options: readonly string[] = []): CountedRun {
  const file = join(spec.dir, `mttcg-stats-${process.pid}-${serial++}.json`);
  const r = runMttcgProgram(spec, ['--stats-json', file, ...options]);
  let record: StatsRecord = {};
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as StatsRecord;
  } catch {
    // No record (the run failed before writing it): the status says why.
  }
  rmSync(file, { force: true });
  const threadCpuNs = (record.threads ?? []).filter((x) => (x.guestInsns ?? 0) > 0).map((x) => x.vcpuCpuNs ?? 0);
  return { ...r, totals: record.totals ?? {}, threadCpuNs, wallSeconds: record.wallSeconds ?? NaN };
}

/** A counter of a run, 0 when absent. */
export function counter(r: CountedRun, name: string): number {
  return r.totals[name] ?? 0;
}
