// The report fixture (invented numbers, host "FIXTURE"), as ReportInputs,
// and small edits of it, so each claim check can be shown to give every
// verdict it can give. The benchmark records are generated from the compact
// table below: three runs per point at 0.98, 1.00 and 1.02 of the listed
// throughput, each with evidence as bench.h prints it (every thread busy,
// overlapping chunks, failures where the counters say STREX failed). The
// torture runs come from the hand-written matrix in
// test/fixtures/report/results.torture.json, its may-fail cells repeated
// three times with an exercised race.

import { join } from 'node:path';
import type { HostInfo } from '../../src/host/host-info.js';
import type { TortureRunRecord } from '../../src/torture/run-record.js';
import { assembleMatrix } from '../../src/torture/assemble-matrix.js';
import { readTortureFile, type ReportInputs } from '../../reports/lib/report-inputs.js';
import type { BenchRecord, TortureMatrix } from '../../reports/lib/input-types.js';
import { ROOT } from '../../harness/guest-runner.js';

export const FIXTURE_DIR = join(ROOT, 'test', 'fixtures', 'report');

/** The strategies the fixture has results for: aie is deliberately absent. */
export const FIXTURE_BUILT = ['unsafe', 'stop-the-world', 'cmpxchg', 'tlbexcl'];

export const FIXTURE_HOST: HostInfo = {
  cpuModel: 'FIXTURE: invented sample data, not a measurement', cores: 2, node: 'v20.0.0',
  qemu: 'qemu-arm version 7.2.0 (fixture)', os: 'linux fixture', arch: 'x64', memoryGiB: 4, hostId: 'fixture00000',
};

const VCPUS = [1, 2, 4, 8];
/** ops/s at 1, 2, 4, 8 vCPUs (null: that point failed). */
const THROUGHPUT: Readonly<Record<string, Readonly<Record<string, readonly (number | null)[]>>>> = {
  'atomic-add-1': {
    unsafe: [2e6, 3e6, 2.8e6, 2.6e6],
    'stop-the-world': [1.5e6, 2e5, 5e4, 2e4],
    cmpxchg: [1.8e6, 2.6e6, 2.4e6, 2.2e6],
    tlbexcl: [1.2e6, 1.4e6, 1.1e6, 9e5],
    'qemu-arm': [2e7, 3e7, 2.8e7, 2.5e7],
    native: [8e7, 6e7, 5.5e7, 5e7],
  },
  'parallel-compute': {
    unsafe: [1e5, 1.9e5, 1.85e5, 1.8e5],
    'stop-the-world': [9.9e4, 1.88e5, 1.8e5, null],
    cmpxchg: [1.01e5, 1.92e5, 1.84e5, 1.79e5],
    tlbexcl: [9.7e4, 1.86e5, 1.8e5, 1.75e5],
    'qemu-arm': [1e6, 1.9e6, 2.1e6, 2e6],
    native: [5e6, 9.8e6, 9.9e6, 9.7e6],
  },
};

/** --stats counters per timed op of each mttcg series (the warm-up is left at 0). */
function countersPerOp(workload: string, strategy: string): Record<string, number> {
  const plain = workload === 'parallel-compute';
  const base: Record<string, number> = {
    guestInsns: 40, slowLoads: plain ? 0.0012 : 0.001, slowStores: plain ? 0.0004 : 0.001, tlbPageFlushes: 0, tlbFullFlushes: 0,
    'atomic.ldrex': plain ? 0.00012 : 1, 'atomic.strex': plain ? 0.00012 : 1, 'atomic.swaps': 0, 'atomic.cas': plain ? 0.00003 : 0,
  };
  if (plain) return base;
  const fail: Record<string, number> = { unsafe: 0, 'stop-the-world': 0.01, cmpxchg: 0.3, tlbexcl: 0.2 };
  const extra: Record<string, Record<string, number>> = {
    'stop-the-world': { 'atomic.exclusiveSections': 1 },
    tlbexcl: { slowLoads: 0.02, slowStores: 2.1, tlbPageFlushes: 0.4, 'atomic.lockAcquisitions': 2 },
  };
  return { ...base, 'atomic.strexFailValue': fail[strategy] ?? 0, ...(extra[strategy] ?? {}) };
}

/** One run as `mttcg bench` would record it. */
export function fixtureRecord(workload: string, strategy: string, vcpus: number, repeat: number, opsPerSec: number | null): BenchRecord {
  const peer = strategy === 'qemu-arm' || strategy === 'native' ? strategy : 'mttcg';
  const ops = 100_000 * vcpus;
  const ns = opsPerSec ? Math.round((ops / opsPerSec) * 1e9) : 0;
  const perOp = peer === 'mttcg' ? countersPerOp(workload, strategy) : null;
  const counters = perOp && opsPerSec ? Object.fromEntries(Object.entries(perOp).map(([k, v]) => [k, Math.round(v * ops)])) : null;
  const failures = workload === 'parallel-compute' || strategy === 'native' ? null : vcpus === 1 || strategy === 'unsafe' ? 0 : Math.round(ops * 0.05);
  return {
    kind: 'bench', version: 2, workload, peer, strategy, vcpus, repeat, ops, ns, opsPerSec: opsPerSec ?? 0, warmupOps: 0,
    ok: opsPerSec !== null, error: opsPerSec === null ? 'timeout: killed after 135 s (fixture)' : null,
    counters, guestInsns: counters?.guestInsns ?? null, wallMs: 1000 + ns / 1e6, args: [peer, workload, String(vcpus)],
    host: FIXTURE_HOST, time: '2025-01-01T00:00:00.000Z',
    evidence: opsPerSec === null ? null : {
      threadCpuNs: Array.from({ length: vcpus }, () => Math.round(ns * Math.min(0.95, 0.95 * 2 / vcpus))),
      threadWallNs: Array.from({ length: vcpus }, () => ns),
      chunks: 256 * vcpus,
      concurrentChunks: vcpus > 1 ? 250 * vcpus : 0,
      failures,
    },
    load: { loadavg1Start: 0.5, loadavg1End: 1.5, runnable: { min: 1, median: 1 + vcpus, max: 2 + vcpus, samples: 5 }, hostBusy: 0.5 },
    vcpuCpu: null,
  };
}

const JITTER = [0.98, 1, 1.02];

export function fixtureBench(): BenchRecord[] {
  const out: BenchRecord[] = [];
  for (const [w, series] of Object.entries(THROUGHPUT)) {
    for (const [s, values] of Object.entries(series)) {
      VCPUS.forEach((n, i) => {
        const v = values[i] ?? null;
        JITTER.forEach((j, r) => out.push(fixtureRecord(w, s, n, r + 1, v === null ? null : v * j)));
      });
    }
  }
  return out;
}

/** The hand-written matrix as runs: one per cell, three for may-fail cells (treiber with its race exercised). */
export function fixtureTortureRuns(m: TortureMatrix = handWrittenMatrix()): TortureRunRecord[] {
  const runs: TortureRunRecord[] = [];
  for (const cell of m.cells) {
    const column = m.columns.find((c) => c.label === cell.column)!;
    const n = cell.predicted === 'may-fail' ? 3 : 1;
    for (let r = 1; r <= n; r++) {
      const kv = cell.case === 'treiber' ? { ...cell.observedKv, concurrent_chunks: '40', chunks: '80', pop_retries: '5', push_retries: '3' } : cell.observedKv;
      runs.push({
        kind: 'torture-run', version: 1, profile: m.profile, scale: m.scale, column, repeat: r,
        result: { ...cell, observedKv: kv }, host: FIXTURE_HOST, time: '2025-01-01T00:00:00.000Z',
      });
    }
  }
  return runs;
}

function handWrittenMatrix(): TortureMatrix {
  const m = readTortureFile(join(FIXTURE_DIR, 'results.torture.json'));
  if (!m) throw new Error('fixture torture matrix missing');
  return m;
}

export function matrixOfRuns(runs: readonly TortureRunRecord[]): TortureMatrix {
  const m = handWrittenMatrix();
  return assembleMatrix({ created: m.created, host: FIXTURE_HOST, profile: m.profile, scale: m.scale, repeats: 3, columns: m.columns, cases: m.cases, runs });
}

export function fixtureInputs(overrides: Partial<ReportInputs> = {}): ReportInputs {
  const runs = fixtureTortureRuns();
  return {
    profile: 'quick',
    created: '2025-01-01T00:00:00.000Z',
    host: FIXTURE_HOST,
    torture: matrixOfRuns(runs),
    tortureRuns: runs,
    bench: fixtureBench(),
    strategiesBuilt: FIXTURE_BUILT,
    collectMs: 0,
    notes: [],
    ...overrides,
  };
}

/** A copy of the records of one series (workload, strategy) under another strategy name, throughput scaled per vCPU count. */
export function cloneSeries(records: readonly BenchRecord[], workload: string, from: string, to: string, scale: (vcpus: number, repeat: number) => number): BenchRecord[] {
  return records
    .filter((r) => r.workload === workload && r.strategy === from)
    .map((r) => ({ ...r, strategy: to, opsPerSec: r.opsPerSec * scale(r.vcpus, r.repeat), ns: r.ns / scale(r.vcpus, r.repeat) }));
}

/** The records with one series' throughput at one vCPU count multiplied (per repeat when a function). */
export function scalePoint(records: readonly BenchRecord[], workload: string, strategy: string, vcpus: number, factor: number | ((repeat: number) => number)): BenchRecord[] {
  const f = (r: BenchRecord): number => (typeof factor === 'number' ? factor : factor(r.repeat));
  return records.map((r) => (r.workload === workload && r.strategy === strategy && r.vcpus === vcpus
    ? { ...r, opsPerSec: r.opsPerSec * f(r), ns: r.ns / f(r) }
    : r));
}

/** The records with one point's evidence edited (e.g. its overlap taken away). */
export function editEvidence(records: readonly BenchRecord[], match: (r: BenchRecord) => boolean, edit: (e: NonNullable<BenchRecord['evidence']>) => NonNullable<BenchRecord['evidence']>): BenchRecord[] {
  return records.map((r) => (match(r) && r.evidence ? { ...r, evidence: edit(r.evidence) } : r));
}

/** The torture runs with one cell's runs observed as given (and classified with it), optionally with other RESULT pairs. */
export function observeRuns(runs: readonly TortureRunRecord[], column: string, kase: string, observed: readonly ('pass' | 'fail')[], kv: Record<string, string> = {}): TortureRunRecord[] {
  const cell = runs.find((r) => r.column.label === column && r.result.case === kase);
  if (!cell) throw new Error(`no fixture cell ${kase} on ${column}`);
  const others = runs.filter((r) => !(r.column.label === column && r.result.case === kase));
  const classify = (o: 'pass' | 'fail', predicted: string): TortureRunRecord['result']['cell'] =>
    o === 'pass' ? (predicted === 'fail' ? 'unexpected-pass' : 'pass') : predicted === 'pass' ? 'fail' : 'expected-fail';
  return [
    ...others,
    ...observed.map((o, i) => ({
      ...cell, repeat: i + 1,
      result: { ...cell.result, observed: o, cell: classify(o, cell.result.predicted), observedKv: { ...cell.result.observedKv, ...kv } },
    })),
  ];
}
