// Which machine a report describes. Results files may hold records of more
// than one host (a file carried from machine to machine, shards merged from
// many): their figures are never pooled, so a report draws one host's
// records, named by its hostId: the one asked for, else this machine if it
// has records, else the host with the most. The others are named in a note.
// Also assembles that host's torture matrix from its runs.

import { TORTURE_CASE_NAMES } from '../../src/emulator/atomics/guarantees.js';
import { hostIdOf, type HostInfo } from '../../src/host/host-info.js';
import { assembleMatrix } from '../../src/torture/assemble-matrix.js';
import type { TortureColumn, TortureMatrix } from '../../src/torture/matrix-types.js';
import type { TortureRunRecord } from '../../src/torture/run-record.js';
import { UsageError } from '../../src/cli/option-parser.js';
import type { BenchRecord } from './input-types.js';
import type { ReportProfileSpec } from './report-profiles.js';

export interface ChosenHost {
  readonly hostId: string;
  readonly host: HostInfo;
}

export function chooseHost(
  bench: readonly BenchRecord[], torture: readonly TortureRunRecord[], wanted: string | null, here: HostInfo, notes: string[],
): ChosenHost {
  const counts = new Map<string, { host: HostInfo; n: number }>();
  for (const h of [...bench.map((r) => r.host), ...torture.map((r) => r.host)]) {
    const id = hostIdOf(h);
    const c = counts.get(id);
    if (c) c.n++;
    else counts.set(id, { host: { ...h, hostId: id }, n: 1 });
  }
  const hereId = hostIdOf(here);
  let id: string;
  if (wanted !== null) {
    if (!counts.has(wanted)) {
      throw new UsageError(`--host ${wanted}: no records of that host; the results hold ${[...counts.keys()].join(', ') || 'no records'}`);
    }
    id = wanted;
  } else if (counts.has(hereId) || counts.size === 0) id = hereId;
  else id = [...counts].sort((a, b) => b[1].n - a[1].n)[0]![0];
  const others = [...counts].filter(([k]) => k !== id);
  if (others.length) {
    notes.push(
      `The results also hold records of ${others.length} other host(s) (${others.map(([k, c]) => `${k}: ${c.host.cores} cores, ${c.host.cpuModel}, ${c.n} records`).join('; ')}); ` +
        'results from different hosts are never pooled: this report shows host ' + id + ' only (mttcg report --host ID draws another).',
    );
  }
  return { hostId: id, host: counts.get(id)?.host ?? here };
}

/**
 * The matrix of one host's torture runs: the profile and scale the report
 * profile asks for if the runs have them, else the most frequent; columns
 * in the order the runs first show them, cases in the suite's order.
 */
export function matrixFromRuns(runs: readonly TortureRunRecord[], profile: ReportProfileSpec, notes: string[]): TortureMatrix | null {
  if (!runs.length) return null;
  const kinds = new Map<string, number>();
  for (const r of runs) kinds.set(JSON.stringify([r.profile, r.scale]), (kinds.get(JSON.stringify([r.profile, r.scale])) ?? 0) + 1);
  const wanted = JSON.stringify([profile.torture.profile ?? 'quick', profile.torture.scale ?? 1]);
  const pick = kinds.has(wanted) ? wanted : [...kinds].sort((a, b) => b[1] - a[1])[0]![0];
  const [p, scale] = JSON.parse(pick) as [TortureMatrix['profile'], number];
  if (kinds.size > 1) notes.push(`Torture runs of ${kinds.size} profiles/scales are in the file; the matrix shows ${p} at scale ${scale}.`);
  const mine = runs.filter((r) => r.profile === p && r.scale === scale);
  const columns = new Map<string, TortureColumn>();
  for (const r of mine) if (!columns.has(r.column.label)) columns.set(r.column.label, r.column);
  const present = new Set(mine.map((r) => r.result.case));
  const times = mine.map((r) => r.time).sort();
  return assembleMatrix({
    created: times[0]!,
    host: mine[0]!.host,
    profile: p,
    scale,
    repeats: Math.max(...mine.map((r) => r.repeat)),
    columns: [...columns.values()],
    cases: TORTURE_CASE_NAMES.filter((c) => present.has(c)),
    runs: mine,
  });
}
