// The torture matrix from its runs: one cell per (case, column), a cell of
// several runs (a may-fail case repeated) summarised as how many ran, failed
// and exercised their race. The cell's observation is 'fail' when any run
// failed, and its details are those of the first failing run (else the last).

import type { TortureCaseName } from '../emulator/atomics/guarantees.js';
import type { HostInfo } from '../host/host-info.js';
import { classifyCell } from './classify.js';
import { exerciseOf } from './exercise.js';
import type { TortureCellResult, TortureColumn, TortureMatrix, TortureProfile } from './matrix-types.js';
import type { TortureRunRecord } from './run-record.js';

export interface MatrixParts {
  readonly created: string;
  readonly host: HostInfo;
  readonly profile: TortureProfile;
  readonly scale: number;
  readonly repeats: number;
  readonly columns: readonly TortureColumn[];
  readonly cases: readonly TortureCaseName[];
  /** Every run of the plan (any order). */
  readonly runs: readonly TortureRunRecord[];
}

/** One cell from its runs (at least one). */
export function cellOfRuns(runs: readonly TortureRunRecord[]): TortureCellResult {
  const sorted = [...runs].sort((a, b) => a.repeat - b.repeat);
  const results = sorted.map((r) => r.result);
  const failed = results.filter((r) => r.observed === 'fail');
  const shown = failed[0] ?? results.at(-1)!;
  const exercise = results.map((r) => exerciseOf(r.case, r.observedKv));
  const measurable = exercise.some((e) => e.exercised !== null);
  const observed = shown.observed;
  return {
    ...shown,
    observed,
    cell: classifyCell(shown.predicted, observed),
    ms: results.reduce((s, r) => s + r.ms, 0),
    runs: results.filter((r) => r.observed !== 'n/a').length,
    failedRuns: failed.length,
    exercisedRuns: measurable ? exercise.filter((e) => e.exercised === true).length : null,
    notExercised: exercise.find((e) => e.exercised === false)?.why ?? null,
    ...(shown.seed === undefined ? {} : { firstFailingSeed: failed[0]?.seed ?? null }),
  };
}

export function assembleMatrix(p: MatrixParts): TortureMatrix {
  const byCell = new Map<string, TortureRunRecord[]>();
  for (const r of p.runs) {
    const k = `${r.result.case}\u0000${r.column.label}`;
    const list = byCell.get(k);
    if (list) list.push(r);
    else byCell.set(k, [r]);
  }
  const cells: TortureCellResult[] = [];
  for (const name of p.cases) {
    for (const col of p.columns) {
      const runs = byCell.get(`${name}\u0000${col.label}`);
      if (runs?.length) cells.push(cellOfRuns(runs));
    }
  }
  const peers = new Set(p.columns.filter((c) => c.peer).map((c) => c.label));
  const own = cells.filter((x) => !peers.has(x.column));
  return {
    kind: 'torture-matrix',
    version: 1,
    created: p.created,
    host: p.host,
    profile: p.profile,
    scale: p.scale,
    repeats: p.repeats,
    columns: [...p.columns],
    cases: [...p.cases],
    cells,
    brokenClaims: own.filter((x) => x.cell === 'fail').length,
    unexpectedPasses: own.filter((x) => x.cell === 'unexpected-pass').length,
  };
}
