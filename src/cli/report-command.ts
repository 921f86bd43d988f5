// `mttcg report [--quick|--full] [--results FILE] [--out DIR]`: runs whatever
// the profile needs that the results do not hold yet (torture matrix,
// benchmark points), then writes the report directory: index.html
// (self-contained), README.md with PNG charts, and the raw data.
// reports/lib/ does the work.

import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectResults, tortureFileFor } from '../../reports/lib/collect-results.js';
import { fmtSeconds } from '../../reports/lib/number-format.js';
import { RAW_FILES } from '../../reports/lib/report-document.js';
import { ReportInputError } from '../../reports/lib/report-inputs.js';
import { reportProfile } from '../../reports/lib/report-profiles.js';
import { HTML_FILE, MARKDOWN_FILE, writeReport } from '../../reports/lib/write-report.js';
import { strategyNames } from '../machine/strategy-registry.js';
import { formatHelp, parseOptions, UsageError, type OptionSpec } from './option-parser.js';

const REPORT_OPTIONS: readonly OptionSpec[] = [
  { name: 'quick', kind: 'boolean', help: 'the short profile (the default): about 5 minutes on a 2-core machine' },
  { name: 'full', kind: 'boolean', help: 'every workload and torture column, 3 runs per point (an hour or more)' },
  { name: 'results', kind: 'string', help: 'benchmark results (JSON lines) to reuse and extend; its torture matrix is FILE.torture.json beside it' },
  { name: 'out', kind: 'string', help: 'report directory (default reports/out/<timestamp>/ in the repository)' },
  { name: 'render-only', kind: 'boolean', help: 'measure nothing: draw the report from what --results already holds' },
];

export function reportUsage(): string {
  return `usage: mttcg report [--quick|--full] [--results FILE] [--out DIR] [--render-only]

Measures what the profile needs and the results do not hold yet (the torture
matrix, benchmark points; an interrupted report resumes), then writes DIR/:
${HTML_FILE} (self-contained, Chart.js inline, opens offline), ${MARKDOWN_FILE} with
PNG charts, and ${RAW_FILES.bench}, ${RAW_FILES.torture}, ${RAW_FILES.summary}.
See docs/reports.md.

${formatHelp(REPORT_OPTIONS)}
`;
}

function repositoryRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error('mttcg-lab repository root (package.json) not found');
    d = up;
  }
  return d;
}

function timestamp(): string {
  return new Date().toISOString().replace(/:/g, '-').replace(/\..*$/, '');
}

function checkWritableDir(dir: string): void {
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} exists and is not a directory`);
}

export async function reportCommand(argv: readonly string[]): Promise<number> {
  const p = parseOptions(argv, REPORT_OPTIONS, false);
  if (p.positionals.length) throw new UsageError(`unexpected argument '${p.positionals[0]}'`);
  if (p.values.get('quick') && p.values.get('full')) throw new UsageError('--quick and --full exclude each other');
  const profileName = p.values.get('full') ? 'full' : 'quick';
  const outDir = resolve((p.values.get('out') as string | undefined) ?? join(repositoryRoot(), 'reports', 'out', timestamp()));
  checkWritableDir(outDir);
  const given = p.values.get('results') as string | undefined;
  const renderOnly = Boolean(p.values.get('render-only'));
  if (renderOnly && !given) throw new UsageError('--render-only needs --results FILE');
  const resultsFile = resolve(given ?? join(outDir, RAW_FILES.bench));
  if (given && !existsSync(resultsFile) && renderOnly) throw new UsageError(`--results ${given}: no such file`);
  if (existsSync(resultsFile) && statSync(resultsFile).isDirectory()) throw new UsageError(`--results ${given}: is a directory`);
  mkdirSync(dirname(resultsFile), { recursive: true });

  const built = strategyNames();
  const profile = reportProfile(profileName, built);
  const started = Date.now();
  const say = (line: string): void => {
    process.stderr.write(`[${fmtSeconds(Date.now() - started).padStart(8)}] ${line}\n`);
  };
  say(`report (${profile.describe})`);
  say(`results: ${relative(process.cwd(), resultsFile) || resultsFile}; report: ${relative(process.cwd(), outDir) || outDir}`);
  let inputs;
  try {
    inputs = await collectResults({
      profile,
      resultsFile,
      tortureFile: tortureFileFor(resultsFile),
      strategiesBuilt: built,
      renderOnly,
      onProgress: say,
    });
  } catch (e) {
    if (e instanceof ReportInputError) throw new UsageError(e.message);
    throw e;
  }
  const profileText = renderOnly ? `${profileName}, drawn from existing results (--render-only: nothing was measured for this report)` : profile.describe;
  const written = await writeReport(inputs, profileText, outDir, say);
  say(`wrote ${written.files.length} files to ${outDir} in ${fmtSeconds(Date.now() - started)}`);
  process.stdout.write(`${join(outDir, HTML_FILE)}\n${join(outDir, MARKDOWN_FILE)}\n`);
  return 0;
}
