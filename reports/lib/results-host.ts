// Which kind of machine a report describes. Results files may hold records
// of more than one machine (a file carried from machine to machine, shards
// merged from many): records of machines of one kind (same CPU model,
// cores, architecture, Node.js and qemu-arm: src/host/host-info.ts) are
// pooled, those of different kinds never are, so a report draws one kind:
// the one asked for (by its id or by the id of one of its machines), else
// this machine's if it has records, else the kind with the most. The
// others, and the machines pooled, are named in notes.
// Also assembles the torture matrix from the chosen runs.

import { TORTURE_CASE_NAMES } from '../../src/emulator/atomics/guarantees.js';
import { hostIdOf, hostKindOf, type HostInfo } from '../../src/host/host-info.js';
import { assembleMatrix } from '../../src/torture/assemble-matrix.js';
import type { TortureColumn, TortureMatrix } from '../../src/torture/matrix-types.js';
import type { TortureRunRecord } from '../../src/torture/run-record.js';
import { UsageError } from '../../src/cli/option-parser.js';
import type { BenchRecord } from './input-types.js';
import type { ReportProfileSpec } from './report-profiles.js';

export interface ChosenHost {
  readonly hostKind: string;
  /** The first record's machine of that kind, as the report's host (hostKind set). */
  readonly host: HostInfo;
  /** The machines whose records are pooled, with how many records each has, in order of first appearance. */
  readonly machines: readonly { readonly hostId: string; readonly records: number }[];
}

interface KindCount {
  host: HostInfo;
  n: number;
  machines: Map<string, number>;
}

function describeKind(id: string, c: KindCount): string {
  return `${id}: ${c.host.cores} cores, ${c.host.cpuModel}, ${c.host.arch}, Node ${c.host.node}, ${c.host.qemu ?? 'no qemu-arm'}; ${c.machines.size} machine(s), ${c.n} records`;
}

export function chooseHost(
  bench: readonly BenchRecord[], torture: readonly TortureRunRecord[], wanted: string | null, here: HostInfo, notes: string[],
): ChosenHost {
  const kinds = new Map<string, KindCount>();
  for (const h of [...bench.map((r) => r.host), ...torture.map((r) => r.host)]) {
    const kind = hostKindOf(h);
    const id = hostIdOf(h);
    let c = kinds.get(kind);
    if (!c) kinds.set(kind, (c = { host: { ...h, hostId: id, hostKind: kind }, n: 0, machines: new Map() }));
    c.n++;
    c.machines.set(id, (c.machines.get(id) ?? 0) + 1);
  }
  const hereKind = hostKindOf(here);
  let kind: string;
  if (wanted !== null) {
    const byMachine = [...kinds].find(([, c]) => c.machines.has(wanted));
    if (kinds.has(wanted)) kind = wanted;
    else if (byMachine) kind = byMachine[0];
    else {
      throw new UsageError(`--host ${wanted}: no records of that host kind or machine; the results hold ${[...kinds].map(([k, c]) => describeKind(k, c)).join('; ') || 'no records'}`);
    }
  } else if (kinds.has(hereKind) || kinds.size === 0) kind = hereKind;
  else kind = [...kinds].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))[0]![0];
  const others = [...kinds].filter(([k]) => k !== kind);
  if (others.length) {
    notes.push(
      `The results also hold records of ${others.length} other kind(s) of host (${others.map(([k, c]) => describeKind(k, c)).join('; ')}); ` +
        `results from different kinds of host are never pooled: this report shows host kind ${kind} only (mttcg report --host ID draws another).`,
    );
  }
  const chosen = kinds.get(kind);
  const machines = chosen ? [...chosen.machines].map(([hostId, records]) => ({ hostId, records })) : [];
  if (machines.length > 1) {
    notes.push(
      `Records of ${machines.length} machines of one kind (same CPU model, cores, architecture, Node.js and qemu-arm) are pooled: ` +
        `${machines.map((m) => `${m.hostId} (${m.records} records)`).join(', ')}.`,
    );
  }
  return { hostKind: kind, host: chosen?.host ?? { ...here, hostKind: hereKind }, machines };
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
