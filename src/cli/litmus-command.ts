// `mttcg litmus FILE|DIR... [options]`: runs herd-style ARM litmus tests
// (docs/litmus.md) under each strategy, optionally under --sched and beside
// qemu-arm, and prints litmus7-style histograms and a summary.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseLitmus, LitmusParseError } from '../litmus/litmus-parse.js';
import { checkClaim, runLitmus, type LitmusColumn, type LitmusResult } from '../litmus/litmus-run.js';
import type { LitmusTest } from '../litmus/litmus-test.js';
import { formatLitmusResult, formatLitmusSummary } from '../litmus/litmus-text.js';
import { MAX_RUNS } from '../litmus/litmus-program.js';
import { currentLoad, litmusResultsRecord } from '../litmus/litmus-results.js';
import { parseSchedSpec, SchedSpecError } from '../emulator/sched/sched-spec.js';
import { qemuInstalled, qemuPeerGuarantees, QEMU_PEER } from '../torture/qemu-peer.js';
import { parseStrategySpec } from '../torture/strategy-spec.js';
import { strategyNames } from '../machine/strategy-registry.js';
import { formatHelp, integerOption, numberOption, parseOptions, UsageError, type OptionSpec } from './option-parser.js';

/** Under --sched the litmus runner redraws priorities often (rr's chaos mode), unless the spec says otherwise. */
export const LITMUS_SCHED_DEFAULTS = 'policy=chaos,slice=4';
const DEFAULT_RUNS = 2000;

const LITMUS_OPTIONS: readonly OptionSpec[] = [
  { name: 'strategy', kind: 'list', help: `strategy specs, comma-separated: NAME or NAME:KEY=VALUE (default: ${strategyNames().join(', ')})` },
  { name: 'runs', kind: 'string', help: `runs of each test in its one process (default ${DEFAULT_RUNS})` },
  { name: 'sched', kind: 'repeat', help: `run under the deterministic scheduler: seed:N[,fields] (docs/scheduler.md; litmus adds ${LITMUS_SCHED_DEFAULTS} unless policy= is given); repeatable, one column per strategy and value` },
  { name: 'qemu', kind: 'boolean', help: 'add a qemu-arm column' },
  { name: 'no-free', kind: 'boolean', help: 'with --sched: no free-running columns' },
  { name: 'timeout', kind: 'string', help: 'seconds per test and column before it counts as an error (default 300)' },
  { name: 'json', kind: 'string', help: 'write the results (kind litmus-results) to this file' },
  { name: 'quiet', kind: 'boolean', help: 'the summary only, no histograms' },
];

export function litmusUsage(): string {
  return `usage: mttcg litmus FILE|DIR... [options]

Runs ARM litmus tests (herd's .litmus format, A32 dialect; a directory means
its *.litmus files; the project's catalogue is torture-tests/litmus) under each
strategy and prints litmus7-style histograms and a summary. Exit status 1 if a
column showed an outcome its test's Expected=Forbidden line forbids (unless the
strategy does not claim the test's Claim case) or a program failed.

${formatHelp(LITMUS_OPTIONS)}`;
}

/** FILE and DIR arguments as the .litmus files they name, sorted within a directory. */
export function litmusFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (!existsSync(a)) throw new UsageError(`${a}: no such file or directory`);
    if (statSync(a).isDirectory()) {
      const found = readdirSync(a).filter((f) => f.endsWith('.litmus')).sort().map((f) => join(a, f));
      if (found.length === 0) throw new UsageError(`${a}: no .litmus files in this directory`);
      out.push(...found);
    } else out.push(a);
  }
  return out;
}

export function loadLitmusTests(files: readonly string[]): LitmusTest[] {
  const tests = files.map((f) => {
    try {
      return parseLitmus(readFileSync(f, 'utf8'), f);
    } catch (e) {
      if (e instanceof LitmusParseError) throw new UsageError(e.message);
      throw e;
    }
  });
  for (const t of tests) {
    const bad = checkClaim(t);
    if (bad) throw new UsageError(bad);
  }
  return tests;
}

function schedValue(text: string): string {
  if (!text.startsWith('seed:')) throw new UsageError(`--sched ${text}: litmus takes seed:N[,fields] (a recorded schedule belongs to one program and run count)`);
  const full = /(^|,)policy=/.test(text) ? text : `${text},${LITMUS_SCHED_DEFAULTS}`;
  try {
    parseSchedSpec(full);
  } catch (e) {
    if (e instanceof SchedSpecError) throw new UsageError(e.message);
    throw e;
  }
  return full;
}

export function litmusColumns(specTexts: readonly string[], scheds: readonly string[], free: boolean, qemu: boolean): LitmusColumn[] {
  const specs = specTexts.map(parseStrategySpec);
  const columns: LitmusColumn[] = [];
  if (free) for (const s of specs) columns.push({ label: s.text, runArgs: s.runArgs, sched: null, guarantees: s.guarantees });
  for (const sched of scheds) {
    for (const s of specs) columns.push({ label: `${s.text}/sched ${sched.split(',')[0]}`, runArgs: s.runArgs, sched, guarantees: s.guarantees });
  }
  if (qemu) columns.push({ label: QEMU_PEER, runArgs: null, sched: null, guarantees: qemuPeerGuarantees() });
  return columns;
}

export async function litmusCommand(argv: readonly string[]): Promise<number> {
  const p = parseOptions(argv, LITMUS_OPTIONS, false);
  if (p.positionals.length === 0) throw new UsageError('litmus needs at least one .litmus file or directory');
  const tests = loadLitmusTests(litmusFiles(p.positionals));
  const runs = integerOption(p, 'runs', DEFAULT_RUNS, 1, MAX_RUNS);
  const timeoutSeconds = numberOption(p, 'timeout', 300, 1, 86400);
  const scheds = ((p.values.get('sched') as string[] | undefined) ?? []).map(schedValue);
  const free = !p.values.get('no-free');
  if (!free && scheds.length === 0) throw new UsageError('--no-free needs --sched');
  const qemu = Boolean(p.values.get('qemu'));
  if (qemu && !qemuInstalled()) throw new UsageError('--qemu: qemu-arm is not installed');
  const columns = litmusColumns((p.values.get('strategy') as string[] | undefined) ?? strategyNames(), scheds, free, qemu);
  const jsonFile = (p.values.get('json') as string | undefined) ?? null;
  if (jsonFile !== null && !existsSync(dirname(resolve(jsonFile)))) throw new UsageError(`--json ${jsonFile}: its directory does not exist`);
  const quiet = Boolean(p.values.get('quiet'));

  const loadAtStart = currentLoad();
  const results: LitmusResult[] = [];
  for (const test of tests) {
    for (const column of columns) {
      const r = await runLitmus(test, column, { runs, timeoutSeconds });
      results.push(r);
      if (!quiet) process.stdout.write(`${formatLitmusResult(test, r)}\n\n`);
      else process.stderr.write(`${test.name} [${column.label}]: ${r.verdict}\n`);
    }
  }
  process.stdout.write(`${formatLitmusSummary(tests, columns.map((c) => c.label), results)}\n`);
  if (jsonFile !== null) {
    const record = litmusResultsRecord(argv, loadAtStart, runs, columns.map((c) => c.label), tests, results);
    writeFileSync(jsonFile, `${JSON.stringify(record, null, 2)}\n`);
  }
  return results.some((r) => r.verdict === 'forbidden-seen' || r.verdict === 'error') ? 1 : 0;
}
