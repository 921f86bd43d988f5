// `mttcg report [--quick|--full] [--results FILE] [--out DIR]`: runs whatever
// the profile needs that the results do not hold yet (torture runs,
// benchmark points), then writes the report directory: index.html
// (self-contained), README.md with PNG charts, and the raw data.
// `mttcg report --compare A B` prints what changed between two report
// directories. reports/lib/ does the work.

import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { collectResults, tortureFileFor } from '../../reports/lib/collect-results.js';
import { compareReports } from '../../reports/lib/compare-reports.js';
import { fmtSeconds } from '../../reports/lib/number-format.js';
import { RAW_FILES } from '../../reports/lib/report-document.js';
import { ReportInputError } from '../../reports/lib/report-inputs.js';
import { reportProfile } from '../../reports/lib/report-profiles.js';
import { HTML_FILE, MARKDOWN_FILE, writeReport } from '../../reports/lib/write-report.js';
import { strategyNames } from '../machine/strategy-registry.js';
import { hostInfo } from '../host/host-info.js';
import { formatHelp, parseOptions, UsageError, type OptionSpec } from './option-parser.js';
import { REPOSITORY_ROOT } from '../host/repository-root.js';

const REPORT_OPTIONS: readonly OptionSpec[] = [
  { name: 'quick', kind: 'boolean', help: 'the short profile (the default): 3 runs per point; see README for its measured time' },
  { name: 'full', kind: 'boolean', help: 'every workload and torture column, 5 runs per point (hours)' },
  { name: 'results', kind: 'string', help: 'benchmark results (JSON lines) to reuse and extend; its torture runs are FILE.torture.jsonl beside it' },
  { name: 'out', kind: 'string', help: 'report directory (default reports/out/<timestamp>/ in the repository)' },
  { name: 'render-only', kind: 'boolean', help: 'measure nothing: draw the report from what --results already holds' },
  { name: 'host', kind: 'string', help: 'draw the results of this host id (default: this machine, else the host with the most records)' },
  { name: 'compare', kind: 'boolean', help: 'compare two report directories A B: verdicts, and medians that moved beyond their intervals' },
];

export function reportUsage(): string {
  return `usage: mttcg report [--quick|--full] [--results FILE] [--out DIR] [--render-only] [--host ID]
       mttcg report --compare DIR-A DIR-B

Measures what the profile needs and the results do not hold yet (torture
runs, benchmark points; both are saved as each finishes, so an interrupted
report resumes), then writes DIR/: ${HTML_FILE} (self-contained, Chart.js inline,
opens offline), ${MARKDOWN_FILE} with PNG charts, and ${RAW_FILES.bench},
${RAW_FILES.tortureRuns}, ${RAW_FILES.torture}, ${RAW_FILES.summary}.
See docs/reports.md.

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
  if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
  if (p.values.get('quick') && p.values.get('full')) throw new UsageError('--quick and --full exclude each other');
  const profileName = p.values.get('full') ? 'full' : 'quick';
  const outDir = resolve((p.values.get('out') as string | undefined) ?? join(REPOSITORY_ROOT, 'reports', 'out', timestamp()));
  checkWritableDir(outDir);
  const given = p.values.get('results') as string | undefined;
  const renderOnly = Boolean(p.values.get('render-only'));
  if (renderOnly && !given) throw new UsageError('--render-only needs --results FILE');
  const resultsFile = resolve(given ?? join(outDir, RAW_FILES.bench));
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
  say(`results: ${relative(process.cwd(), resultsFile) || resultsFile} and ${relative(process.cwd(), tortureFile) || tortureFile}; report: ${relative(process.cwd(), outDir) || outDir}`);
  let saved = { torture: 0, bench: 0 };
  const onInterrupt = (): void => {
    process.stderr.write(
      `\nmttcg report: interrupted. Everything that finished is saved (${saved.torture} torture runs, ${saved.bench} benchmark points in this host's files); ` +
        `to carry on where it stopped, run:\n  ${resumeCommand(profileName, outDir, given)}\n`,
    );
    process.exit(130);
  };
  if (!renderOnly) process.once('SIGINT', onInterrupt);
  let inputs;
  try {
    inputs = await collectResults({
      profile,
      resultsFile,
      tortureFile,
      strategiesBuilt: built,
      renderOnly,
      hostId: (p.values.get('host') as string | undefined) ?? null,
      onProgress: say,
      onSaved: (s) => {
        saved = s;
      },
    });
  } catch (e) {
    if (e instanceof ReportInputError) throw new UsageError(e.message);
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
