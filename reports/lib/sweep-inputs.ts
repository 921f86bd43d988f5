// Reading the files of a sweep for `mttcg report --from PATH...`: a
// directory stands for the .jsonl files in it, a file for itself. Each
// file holds plan headers (src/sweep/sweep-plan.ts), benchmark records and
// torture runs, in any mix; the plans are told apart by their hashes.
// Anything that makes a merge meaningless is refused here with the files
// named: records that carry no plan, records whose plan has no header
// among the inputs, and more than one plan (except one torture plan and
// one benchmark plan, which together make a report).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readRecords, type BenchRecord } from '../../bench/runner/bench-record.js';
import { shardText } from '../../src/sweep/shard.js';
import { readSweepHeaders, type SweepHeader } from '../../src/sweep/sweep-plan.js';
import { readTortureRuns, type TortureRunRecord } from '../../src/torture/run-record.js';

export class SweepMergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepMergeError';
  }
}

export interface SweepFile {
  readonly path: string;
  readonly headers: readonly SweepHeader[];
  readonly bench: readonly BenchRecord[];
  readonly torture: readonly TortureRunRecord[];
  /** Lines that are neither (a write cut short by a kill). */
  readonly badLines: readonly number[];
}

/** One plan of the inputs: its header (the first seen), the shards whose headers were found and the files that hold it. */
export interface SweepPlanGroup {
  readonly header: SweepHeader;
  /** `K/N` of every shard header found. */
  readonly shards: ReadonlySet<string>;
  readonly files: readonly string[];
}

export interface SweepInputs {
  readonly files: readonly SweepFile[];
  readonly plans: readonly SweepPlanGroup[];
}

/** The .jsonl files the paths stand for, in the order given (a directory's sorted by name). */
export function expandInputs(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new SweepMergeError(`--from ${p}: no such file or directory`);
    if (statSync(p).isDirectory()) {
      const names = readdirSync(p).filter((n) => n.endsWith('.jsonl')).sort();
      if (!names.length) throw new SweepMergeError(`--from ${p}: the directory holds no .jsonl files`);
      out.push(...names.map((n) => join(p, n)));
    } else out.push(p);
  }
  return [...new Set(out)];
}

export function readSweepFile(path: string): SweepFile {
  const bench = readRecords(path);
  const torture = readTortureRuns(path);
  const notTorture = new Set(torture.badLines);
  return {
    path,
    headers: readSweepHeaders(path),
    bench: bench.records,
    torture: torture.records,
    badLines: bench.badLines.filter((n) => notTorture.has(n)),
  };
}

function planLine(g: SweepPlanGroup): string {
  const h = g.header;
  return `plan ${h.planHash} (mttcg ${h.command} ${h.argv.join(' ')}; shards found: ${[...g.shards].sort().join(', ')}): ${g.files.join(', ')}`;
}

export function readSweepInputs(paths: readonly string[]): SweepInputs {
  const files = expandInputs(paths).map(readSweepFile);
  const untagged = files.filter((f) => [...f.bench, ...f.torture].some((r) => !r.sweep));
  if (untagged.length) {
    throw new SweepMergeError(
      `records without a sweep plan (written before sweeps) cannot be merged: ${untagged.map((f) => f.path).join(', ')}; ` +
        'draw such a file alone with mttcg report --results FILE --render-only',
    );
  }
  const groups = new Map<string, { header: SweepHeader; shards: Set<string>; files: string[] }>();
  for (const f of files) {
    for (const h of f.headers) {
      let g = groups.get(h.planHash);
      if (!g) groups.set(h.planHash, (g = { header: h, shards: new Set(), files: [] }));
      g.shards.add(shardText(h.shard));
      if (!g.files.includes(f.path)) g.files.push(f.path);
    }
  }
  for (const f of files) {
    const orphans = new Set([...f.bench, ...f.torture].map((r) => r.sweep!.planHash).filter((h) => !groups.has(h)));
    if (orphans.size) throw new SweepMergeError(`${f.path}: records of plan ${[...orphans].join(', ')}, whose header is in none of the inputs (a file cut at its start?)`);
  }
  const plans = [...groups.values()];
  if (!plans.length) throw new SweepMergeError(`no sweep plan in ${files.map((f) => f.path).join(', ')}: these are not results of mttcg torture, bench or report`);
  const commands = plans.map((g) => g.header.command);
  const oneReport = plans.length === 1;
  const tortureAndBench = plans.length === 2 && commands.includes('torture') && commands.includes('bench');
  if (!oneReport && !tortureAndBench) {
    throw new SweepMergeError(
      `the inputs come from ${plans.length} different plans, and a merge draws one (or one torture plan with one bench plan):\n` +
        plans.map((g) => `  ${planLine(g)}`).join('\n') +
        '\nmerge the files of one plan at a time',
    );
  }
  return { files, plans };
}
