// The hand-written report fixture (test/fixtures/report/, invented numbers)
// as ReportInputs, and small edits of it, so each claim check can be shown
// to give every verdict it can give.

import { join } from 'node:path';
import { readBenchFile, readTortureFile, type ReportInputs } from '../../reports/lib/report-inputs.js';
import type { BenchRecord, TortureMatrix } from '../../reports/lib/input-types.js';
import { ROOT } from '../../harness/guest-runner.js';

export const FIXTURE_DIR = join(ROOT, 'test', 'fixtures', 'report');
export const FIXTURE_RESULTS = join(FIXTURE_DIR, 'results.jsonl');

/** The strategies the fixture has results for: aie is deliberately absent. */
export const FIXTURE_BUILT = ['unsafe', 'stop-the-world', 'cmpxchg', 'tlbexcl'];

export function fixtureInputs(overrides: Partial<ReportInputs> = {}): ReportInputs {
  const bench = readBenchFile(FIXTURE_RESULTS);
  if (bench.badLines.length) throw new Error(`fixture has unreadable lines ${bench.badLines.join(', ')}`);
  const torture = readTortureFile(join(FIXTURE_DIR, 'results.torture.json'));
  if (!torture) throw new Error('fixture torture matrix missing');
  return {
    profile: 'quick',
    created: '2025-01-01T00:00:00.000Z',
    host: torture.host,
    torture,
    bench: bench.records,
    strategiesBuilt: FIXTURE_BUILT,
    collectMs: 0,
    notes: [],
    ...overrides,
  };
}

/** A copy of the records of one series (workload, strategy) under another strategy name, throughput scaled per vCPU count. */
export function cloneSeries(records: readonly BenchRecord[], workload: string, from: string, to: string, scale: (vcpus: number) => number): BenchRecord[] {
  return records
    .filter((r) => r.workload === workload && r.strategy === from)
    .map((r) => ({ ...r, strategy: to, opsPerSec: r.opsPerSec * scale(r.vcpus), ns: r.ns / scale(r.vcpus) }));
}

/** The records with one series' throughput at one vCPU count multiplied. */
export function scalePoint(records: readonly BenchRecord[], workload: string, strategy: string, vcpus: number, factor: number): BenchRecord[] {
  return records.map((r) => (r.workload === workload && r.strategy === strategy && r.vcpus === vcpus
    ? { ...r, opsPerSec: r.opsPerSec * factor, ns: r.ns / factor }
    : r));
}

/** The matrix with one cell's observation replaced (and its classification with it). */
export function observeCell(m: TortureMatrix, column: string, kase: string, observed: 'pass' | 'fail'): TortureMatrix {
  return {
    ...m,
    cells: m.cells.map((c) => (c.column === column && c.case === kase
      ? { ...c, observed, cell: observed === 'pass' ? (c.predicted === 'fail' ? 'unexpected-pass' : 'pass') : (c.predicted === 'pass' ? 'fail' : 'expected-fail') }
      : c)),
  };
}
