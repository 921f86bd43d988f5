// The two sweep actions of `mttcg report`: after a shard has measured its
// part of the plan, say where its files are and how to merge them; and
// `--from PATH...`, which draws one report from the files of all shards
// (reports/lib/sweep-merge.ts), measuring nothing. A merge that fails (files
// of different plans, shards or units missing) is reported plainly with
// exit status 1, not as a usage error.

import { join, relative } from 'node:path';
import { matrixFromRuns } from '../../reports/lib/results-host.js';
import { RAW_FILES } from '../../reports/lib/report-document.js';
import type { ReportInputs } from '../../reports/lib/report-inputs.js';
import { reportProfile } from '../../reports/lib/report-profiles.js';
import { mergeSweep, SweepMergeError } from '../../reports/lib/sweep-merge.js';
import { HTML_FILE, MARKDOWN_FILE, writeReport } from '../../reports/lib/write-report.js';
import { hostInfo } from '../host/host-info.js';
import { strategyNames } from '../machine/strategy-registry.js';
import { shardText } from '../sweep/shard.js';
import type { SweepHeader } from '../sweep/sweep-plan.js';
import { UsageError, type Parsed } from './option-parser.js';

const NOT_WITH_FROM = ['quick', 'full', 'results', 'render-only', 'shard'];

function rel(x: string): string {
  const r = relative(process.cwd(), x);
  return r && !r.startsWith('..') ? r : x;
}

export function reportShardDone(say: (line: string) => void, outDir: string, resultsFile: string, tortureFile: string, header: SweepHeader): number {
  say(`shard ${shardText(header.shard)} of plan ${header.planHash} is complete: ${rel(tortureFile)}, ${rel(resultsFile)}`);
  say(`when every shard is complete, draw the report from all of them: mttcg report --from ${rel(join(outDir, 'data'))} --out REPORT-DIR`);
  return 0;
}

export async function reportFromSweep(p: Parsed, outDir: string): Promise<number> {
  for (const o of NOT_WITH_FROM) {
    if (p.values.has(o)) throw new UsageError(`--from draws the report from the sweep's files alone (their plan decides what is in it): --${o} does not go with it`);
  }
  const paths = [...(p.values.get('from') as string[]), ...p.positionals];
  if (!paths.length) throw new UsageError('--from needs the files of a sweep: .jsonl files, or directories holding them');
  const started = Date.now();
  const say = (line: string): void => {
    process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
  };
  let merged;
  try {
    merged = mergeSweep(paths, {
      hostWanted: (p.values.get('host') as string | undefined) ?? null,
      partial: Boolean(p.values.get('partial')),
      here: hostInfo(),
    });
  } catch (e) {
    if (!(e instanceof SweepMergeError)) throw e;
    process.stderr.write(`mttcg report: ${e.message}\n`);
    return 1;
  }
  const headers = merged.plans.map((g) => g.header);
  const profileName = headers.find((h) => h.profile !== null)?.profile ?? 'quick';
  const built = strategyNames();
  const notes = [...merged.notes];
  const profile = reportProfile(profileName, built, merged.chosen.host.cores);
  const inputs: ReportInputs = {
    profile: profileName,
    created: new Date().toISOString(),
    host: merged.chosen.host,
    torture: matrixFromRuns(merged.torture, profile, notes),
    tortureRuns: merged.torture,
    bench: merged.bench,
    strategiesBuilt: built,
    collectMs: 0,
    notes,
    sweepHeaders: merged.headers,
    mergedFrom: merged.files,
  };
  say(`merged ${merged.files.length} file(s): ${merged.torture.length} torture runs, ${merged.bench.length} benchmark records, host kind ${merged.chosen.hostKind}`);
  const profileText = `merged from the ${merged.files.length} files of a sweep (nothing was measured for this report): ${headers.map((h) => h.describe).join('; ')}`;
  const written = await writeReport(inputs, profileText, outDir, say);
  say(`wrote ${written.files.length} files to ${outDir} (data: ${RAW_FILES.bench}, ${RAW_FILES.tortureRuns})`);
  process.stdout.write(`${join(outDir, HTML_FILE)}\n${join(outDir, MARKDOWN_FILE)}\n`);
  return 0;
}
