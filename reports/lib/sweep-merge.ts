// `mttcg report --from PATH...`: the shards of a sweep merged into the
// records one machine running the whole plan would have written. One kind
// of host is drawn (results-host.ts: kinds are never pooled); its records
// must cover every unit of the plan, or the merge fails naming the missing
// shards and units and the commands that run them (--partial draws what
// there is, saying what is missing). A unit run twice (a shard resumed on
// another node, an overlap of runs) counts once: its earliest torture run,
// its earliest successful benchmark run beside any failed ones, as a
// resumed run leaves them. The records come back in plan order, so the
// report does not depend on the order of the files.

import type { BenchRecord } from '../../bench/runner/bench-record.js';
import { hostKindOf, type HostInfo } from '../../src/host/host-info.js';
import { shardsOfUnits, uniqueHeaders, type SweepHeader } from '../../src/sweep/sweep-plan.js';
import { benchUnitId, tortureUnitId } from '../../src/sweep/unit-ids.js';
import type { TortureRunRecord } from '../../src/torture/run-record.js';
import { chooseHost, type ChosenHost } from './results-host.js';
import { readSweepInputs, SweepMergeError, type SweepPlanGroup } from './sweep-inputs.js';

export interface MergeOptions {
  /** A host kind id or a machine's host id (--host); default this machine's kind, else the kind with the most records. */
  readonly hostWanted: string | null;
  /** Draw an incomplete sweep (missing units become notes) instead of failing. */
  readonly partial: boolean;
  readonly here: HostInfo;
}

export interface MergedSweep {
  readonly plans: readonly SweepPlanGroup[];
  /** Every header found, one per plan and shard (for the report's data files). */
  readonly headers: readonly SweepHeader[];
  readonly files: readonly string[];
  readonly chosen: ChosenHost;
  readonly bench: readonly BenchRecord[];
  readonly torture: readonly TortureRunRecord[];
  /** Units of the plans the chosen kind has no record of, per kind of unit. */
  readonly missing: { readonly torture: readonly string[]; readonly bench: readonly string[] };
  readonly notes: readonly string[];
}

interface Placed<R> {
  readonly record: R;
  readonly order: number;
  readonly unit: string;
}

/** Each unit's position in its plan. */
function indexOf(units: readonly string[]): Map<string, number> {
  return new Map(units.map((u, i) => [u, i]));
}

function placeAll<R extends { readonly time: string; readonly sweep?: { readonly planHash: string } }>(
  records: readonly R[], plans: readonly SweepPlanGroup[], unitOf: (r: R) => string, unitsOf: (h: SweepHeader) => readonly string[], notes: string[], what: string,
): Placed<R>[] {
  const index = new Map(plans.map((g, i) => [g.header.planHash, { base: i * 1e9, at: indexOf(unitsOf(g.header)) }]));
  const placed: Placed<R>[] = [];
  let foreign = 0;
  for (const r of records) {
    const plan = index.get(r.sweep!.planHash)!;
    const unit = unitOf(r);
    const at = plan.at.get(unit);
    if (at === undefined) foreign++;
    else placed.push({ record: r, order: plan.base + at, unit: `${r.sweep!.planHash} ${unit}` });
  }
  if (foreign) notes.push(`${foreign} ${what} record(s) name a unit their plan does not have; left out.`);
  // plan order, then the earlier run first (a stable sort keeps the input order of equal times)
  return placed.sort((a, b) => a.order - b.order || (a.record.time < b.record.time ? -1 : a.record.time > b.record.time ? 1 : 0));
}

function dedupeTorture(placed: readonly Placed<TortureRunRecord>[]): TortureRunRecord[] {
  const seen = new Set<string>();
  return placed.filter((p) => !seen.has(p.unit) && seen.add(p.unit)).map((p) => p.record);
}

function dedupeBench(placed: readonly Placed<BenchRecord>[]): BenchRecord[] {
  const ok = new Set<string>();
  return placed.filter((p) => !p.record.ok || (!ok.has(p.unit) && ok.add(p.unit))).map((p) => p.record);
}

/** The missing units of each plan and the text that names them by shard, with the commands that run them. */
function coverageText(plans: readonly SweepPlanGroup[], has: (planHash: string, kind: 'torture' | 'bench', unit: string) => boolean): { text: string[]; torture: string[]; bench: string[] } {
  const text: string[] = [];
  const all = { torture: [] as string[], bench: [] as string[] };
  for (const g of plans) {
    const h = g.header;
    const miss = {
      torture: h.units.torture.filter((u) => !has(h.planHash, 'torture', u)),
      bench: h.units.bench.filter((u) => !has(h.planHash, 'bench', u)),
    };
    if (!miss.torture.length && !miss.bench.length) continue;
    all.torture.push(...miss.torture);
    all.bench.push(...miss.bench);
    const total = h.units.torture.length + h.units.bench.length;
    text.push(`plan ${h.planHash} (mttcg ${h.command} ${h.argv.join(' ')}): ${miss.torture.length + miss.bench.length} of ${total} units missing`);
    const counts = [...new Set([...g.shards].map((s) => Number(s.split('/')[1])))].sort((a, b) => a - b);
    for (const n of counts) {
      const of = shardsOfUnits(h.units, n);
      const byShard = new Map<number, string[]>();
      const add = (kind: 'torture' | 'bench', names: readonly string[], shards: number[]): void => {
        names.forEach((u, i) => {
          if (has(h.planHash, kind, u)) return;
          const list = byShard.get(shards[i]!) ?? [];
          list.push(`${kind} ${u}`);
          byShard.set(shards[i]!, list);
        });
      };
      add('torture', h.units.torture, of.torture);
      add('bench', h.units.bench, of.bench);
      for (const [k, units] of [...byShard].sort((a, b) => a[0] - b[0])) {
        const started = g.shards.has(`${k}/${n}`);
        const again = `mttcg ${h.command} ${h.argv.join(' ')}${h.argv.includes('--resume') ? '' : ' --resume'} --shard ${k}/${n}`;
        const shown = units.slice(0, 8).join(', ') + (units.length > 8 ? `, and ${units.length - 8} more` : '');
        text.push(`  shard ${k}/${n}: ${started ? 'its file stops early' : 'no file of it among the inputs'}; missing ${units.length}: ${shown}`);
        text.push(`    run it again (it resumes): ${again}`);
      }
    }
  }
  return { text, ...all };
}

export function mergeSweep(paths: readonly string[], o: MergeOptions): MergedSweep {
  const { files, plans } = readSweepInputs(paths);
  const notes: string[] = [];
  const allBench = files.flatMap((f) => f.bench);
  const allTorture = files.flatMap((f) => f.torture);
  const chosen = chooseHost(allBench, allTorture, o.hostWanted, o.here, notes);
  const mine = <R extends { readonly host: HostInfo }>(rs: readonly R[]): R[] => rs.filter((r) => hostKindOf(r.host) === chosen.hostKind);
  const torture = dedupeTorture(placeAll(mine(allTorture), plans, (r) => tortureUnitId({ case: r.result.case, column: r.column.label, repeat: r.repeat }), (h) => h.units.torture, notes, 'torture'));
  const bench = dedupeBench(placeAll(mine(allBench), plans, benchUnitId, (h) => h.units.bench, notes, 'benchmark'));

  const present = new Set([
    ...torture.map((r) => `${r.sweep!.planHash} torture ${tortureUnitId({ case: r.result.case, column: r.column.label, repeat: r.repeat })}`),
    ...bench.map((r) => `${r.sweep!.planHash} bench ${benchUnitId(r)}`),
  ]);
  const coverage = coverageText(plans, (plan, kind, unit) => present.has(`${plan} ${kind} ${unit}`));
  if (coverage.text.length) {
    const head = `the inputs do not cover the plan on host kind ${chosen.hostKind}`;
    if (!o.partial) {
      throw new SweepMergeError(`${head}:\n${coverage.text.join('\n')}\n(--partial draws the report from what there is)`);
    }
    notes.push(`Incomplete sweep (--partial): ${head}. ${coverage.text.map((l) => l.trim()).join(' ')}`);
  }
  const bad = files.filter((f) => f.badLines.length);
  if (bad.length) notes.push(`Unreadable lines skipped (a write cut short by a kill): ${bad.map((f) => `${f.path} line(s) ${f.badLines.join(', ')}`).join('; ')}.`);
  const headers = uniqueHeaders(files.flatMap((f) => f.headers));
  notes.unshift(
    `Merged from ${files.length} file(s) of ${plans.map((g) => `plan ${g.header.planHash} (${g.header.describe}; shards ${[...g.shards].sort().join(', ')})`).join(' and ')}.`,
  );
  return { plans, headers, files: files.map((f) => f.path), chosen, bench, torture, missing: { torture: coverage.torture, bench: coverage.bench }, notes };
}

export { SweepMergeError };
