// `mttcg report [--quick|--full] [--results FILE] [--out DIR]`: runs whatever
// the profile needs that the results do not hold yet (torture runs,
// benchmark points), then writes the report directory: index.html
// (self-contained), README.md with PNG charts, and the raw data.
// `mttcg report --compare A B` prints what changed between two report
// directories. `--shard K/N` runs one shard of the report's plan and draws
// nothing; `--from PATH...` draws the report from a sweep's shards
// (report-sweep.ts). reports/lib/ does the work.

import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { collectResults, measureMissing, tortureFileFor, type CollectOptions } from '../../reports/lib/collect-results.js';
import { compareReports } from '../../reports/lib/compare-reports.js';
import { fmtSeconds } from '../../reports/lib/number-format.js';
import { RAW_FILES } from '../../reports/lib/report-document.js';
import { ReportInputError } from '../../reports/lib/report-inputs.js';
import { readRealResults } from '../../bench/real/real-results.js';
import { readArmhfResults } from '../../bench/armhf/armhf-results.js';
import { readLitmusResults } from '../litmus/litmus-results.js';
import { ResultsFileError } from '../host/results-file.js';
import { reportProfile } from '../../reports/lib/report-profiles.js';
import { HTML_FILE, MARKDOWN_FILE, writeReport } from '../../reports/lib/write-report.js';
import { strategyNames } from '../machine/strategy-registry.js';
import { hostInfo } from '../host/host-info.js';
import { formatHelp, parseOptions, UsageError, type OptionSpec } from './option-parser.js';
import { REPOSITORY_ROOT } from '../host/repository-root.js';
import { isWhole, shardedPath } from '../sweep/shard.js';
import { sweepRunOf } from '../sweep/sweep-plan.js';
import { reportSweepHeader } from '../../reports/lib/report-sweep.js';
import { argvWithoutShard, SHARD_OPTION, shardOf } from './shard-option.js';
import { reportFromSweep, reportShardDone } from './report-sweep.js';

const REPORT_OPTIONS: readonly OptionSpec[] = [
  { name: 'quick', kind: 'boolean', help: 'the short profile (the default): 3 runs per point; see README for its measured time' },
  { name: 'full', kind: 'boolean', help: 'every workload and torture column, 5 runs per point (hours)' },
  { name: 'results', kind: 'string', help: 'benchmark results (JSON lines) to reuse and extend; its torture runs are FILE.torture.jsonl beside it' },
  { name: 'out', kind: 'string', help: 'report directory (default reports/out/<timestamp>/ in the repository)' },
  { name: 'render-only', kind: 'boolean', help: 'measure nothing: draw the report from what --results already holds' },
  { name: 'host', kind: 'string', help: 'draw this host kind (its id, or the id of one of its machines; default: this machine\'s kind, else the kind with the most records)' },
  { name: 'compare', kind: 'boolean', help: 'compare two report directories A B: verdicts, and medians that moved beyond their intervals' },
  SHARD_OPTION,
  { name: 'from', kind: 'list', help: 'draw the report from the files of a sweep (PATH...: .jsonl files, or directories of them), measuring nothing; they must come from one plan and cover it' },
  { name: 'partial', kind: 'boolean', help: 'with --from: draw an incomplete sweep, naming what is missing, instead of failing' },
  { name: 'real-programs', kind: 'string', help: 'results of node dist/bench/real/real-bench.js --json FILE: the "Real programs" section (Debian armel pigz, xz, zstd)' },
  { name: 'armhf-atomics', kind: 'string', help: 'results of node dist/bench/armhf/pigz-atomics.js --json FILE: the "armhf: LDREX/STREX in real programs" section' },
  { name: 'litmus', kind: 'repeat', help: 'results of mttcg litmus --json FILE (repeatable: free runs, --sched runs): the "Litmus tests" section' },
];

export function reportUsage(): string {
  return `usage: mttcg report [--quick|--full] [--results FILE] [--out DIR] [--render-only] [--host ID] [--real-programs FILE] [--armhf-atomics FILE] [--litmus FILE]...
       mttcg report [--quick|--full] --shard K/N --out DIR
       mttcg report --from PATH... [--out DIR] [--host ID] [--partial]
       mttcg report --compare DIR-A DIR-B

Measures what the profile needs and the results do not hold yet (torture
runs, benchmark points; both are saved as each finishes, so an interrupted
report resumes), then writes DIR/: ${HTML_FILE} (self-contained, Chart.js inline,
opens offline), ${MARKDOWN_FILE} with PNG charts, and ${RAW_FILES.bench},
${RAW_FILES.tortureRuns}, ${RAW_FILES.torture}, ${RAW_FILES.summary}.
A sweep (docs/scale-out.md) runs the plan in shards, on many machines
(--shard, or a Slurm job array), then draws one report from all of them
(--from). See docs/reports.md.

${formatHelp(REPORT_OPTIONS)}
`;
}

function timestamp(): string {
  return new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '');
}

function checkWritableDir(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} exists and is not a directory`);
}

/** The command that carries on an interrupted report (printed on Ctrl-C). */
function resumeCommand(profile: string, outDir: string, given: string | undefined): string {
  const rel = (x: string): string => {
    const r = relative(process.cwd(), x);
    return r && !r.startsWith('..') ? r : x;
  };
  return `mttcg report --${profile}${given ? ` --results ${given}` : ''} --out ${rel(outDir)}`;
}

export async function reportCommand(argv: readonly string[]): Promise<number> {
  const p = parseOptions(argv, REPORT_OPTIONS, false);
  if (p.values.get('compare')) {
    if (p.positionals.length !== 2) throw new UsageError('--compare needs two report directories: mttcg report --compare DIR-A DIR-B');
    if (p.values.size > 1) throw new UsageError('--compare takes no other options');
    process.stdout.write(compareReports(p.positionals[0]!, p.positionals[1]!));
    return 0;
  }
  const outGiven = p.values.get('out') as string | undefined;
  const outDir = resolve(outGiven ?? join(REPOSITORY_ROOT, 'reports', 'out', timestamp()));
  checkWritableDir(outDir);
  if (p.values.has('from')) return reportFromSweep(p, outDir);
  if (p.values.get('partial')) throw new UsageError('--partial goes with --from');
  if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
  if (p.values.get('quick') && p.values.get('full')) throw new UsageError('--quick and --full exclude each other');
  const profileName = p.values.get('full') ? 'full' : 'quick';
  const given = p.values.get('results') as string | undefined;
  const renderOnly = Boolean(p.values.get('render-only'));
  if (renderOnly && !given) throw new UsageError('--render-only needs --results FILE');
  // a shard measures its part of the plan into files of its own and draws nothing (--from draws the whole)
  const shard = renderOnly ? null : shardOf(p);
  const sharded = shard !== null && !isWhole(shard);
  if (sharded && !outGiven && !given) throw new UsageError('a shard of a report needs --out DIR (the same for every shard): its results go to DIR/data/results.shard-K-of-N.jsonl');
  const resultsFile = resolve(shardedPath(given ?? join(outDir, RAW_FILES.bench), shard ?? { index: 1, count: 1 }));
  if (given && !existsSync(resultsFile) && renderOnly) throw new UsageError(`--results ${given}: no such file`);
  if (existsSync(resultsFile) && statSync(resultsFile).isDirectory()) throw new UsageError(`--results ${given}: is a directory`);
  mkdirSync(dirname(resultsFile), { recursive: true });

  const built = strategyNames();
  const profile = reportProfile(profileName, built, hostInfo().cores);
  const started = Date.now();
  const say = (line: string): void => {
    process.stderr.write(`[${fmtSeconds(Date.now() - started).padStart(8)}] ${line}\n`);
  };
  const tortureFile = tortureFileFor(resultsFile);
  say(`report (${profile.describe})`);
  say(`results: ${relative(process.cwd(), resultsFile) || resultsFile} and ${relative(process.cwd(), tortureFile) || tortureFile}${sharded ? '' : `; report: ${relative(process.cwd(), outDir) || outDir}`}`);
  const sweep = shard ? sweepRunOf(reportSweepHeader(profile, argvWithoutShard(argv), shard, hostInfo())) : undefined;
  if (sweep && sharded) say(`shard ${shard.index}/${shard.count} of plan ${sweep.header.planHash}: ${sweep.torture.size} of ${sweep.header.units.torture.length} torture runs, ${sweep.bench.size} of ${sweep.header.units.bench.length} benchmark runs`);
  let saved = { torture: 0, bench: 0 };
  const onInterrupt = (): void => {
    process.stderr.write(
      `\nmttcg report: interrupted. Everything that finished is saved (${saved.torture} torture runs, ${saved.bench} benchmark points in this host's files); ` +
        `to carry on where it stopped, run:\n  ${sharded ? `mttcg report ${argv.join(' ')}` : resumeCommand(profileName, outDir, given)}\n`,
    );
    process.exit(130);
  };
  if (!renderOnly) process.once('SIGINT', onInterrupt);
  const collect: CollectOptions = {
    profile,
    resultsFile,
    tortureFile,
    strategiesBuilt: built,
    renderOnly,
    hostWanted: (p.values.get('host') as string | undefined) ?? null,
    onProgress: say,
    onSaved: (s) => {
      saved = s;
    },
    ...(sweep ? { sweep } : {}),
  };
  let litmus;
  try {
    // read now, not after a run of many minutes
    litmus = ((p.values.get('litmus') as string[] | undefined) ?? []).map(readLitmusResults);
  } catch (e) {
    if (e instanceof ResultsFileError) throw new UsageError(e.message);
    throw e;
  }
  let inputs;
  try {
    if (sharded) {
      await measureMissing(collect, hostInfo(), []);
      return reportShardDone(say, outDir, resultsFile, tortureFile, sweep!.header);
    }
    inputs = await collectResults(collect);
    const real = p.values.get('real-programs') as string | undefined;
    if (real !== undefined) inputs = { ...inputs, realPrograms: readRealResults(real) };
    const armhf = p.values.get('armhf-atomics') as string | undefined;
    if (armhf !== undefined) inputs = { ...inputs, armhfAtomics: readArmhfResults(armhf) };
    if (litmus.length) inputs = { ...inputs, litmus };
  } catch (e) {
    if (e instanceof ReportInputError || e instanceof ResultsFileError) throw new UsageError(e.message);
    throw e;
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  const profileText = renderOnly ? `${profileName}, drawn from existing results (--render-only: nothing was measured for this report)` : profile.describe;
  const written = await writeReport(inputs, profileText, outDir, say, { bench: resultsFile, tortureRuns: tortureFile });
  say(`wrote ${written.files.length} files to ${outDir} in ${fmtSeconds(Date.now() - started)}`);
  process.stdout.write(`${join(outDir, HTML_FILE)}\n${join(outDir, MARKDOWN_FILE)}\n`);
  return 0;
}
