// `mttcg run [options] PROGRAM [ARGS...]`: runs a static ARM ELF.

import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_STRATEGY, strategyNames } from '../machine/strategy-registry.js';
import { DEFAULT_MAX_PROCS, MAX_PROCS } from '../emulator/linux-user/process-table.js';
import { MAX_MEMORY_MB } from '../emulator/softmmu/guest-memory.js';
import { DEFAULT_MAX_INSNS, DEFAULT_MEMORY_MB, type RunConfig } from '../emulator/process/run-config.js';
import { RunError } from '../emulator/process/supervisor.js';
import { DEFAULT_HOT_THRESHOLD } from '../emulator/exec/vcpu.js';
import { runGuest } from '../machine/run-guest.js';
import { formatHelp, numberOption, parseOptions, UsageError, type OptionSpec } from './option-parser.js';
import { printStats, summarise } from './stats-output.js';
import { parseStrategyOptions, STRATEGY_OPTION_SPECS } from './strategy-options.js';

export const RUN_OPTIONS: readonly OptionSpec[] = [
  { name: 'strategy', kind: 'string', help: `atomic strategy: ${strategyNames().join(', ')} (default ${DEFAULT_STRATEGY})` },
  { name: 'memory', kind: 'string', help: `guest memory in MiB (default ${DEFAULT_MEMORY_MB}, at most ${MAX_MEMORY_MB})` },
  { name: 'allow-dir', kind: 'list', help: 'host directory the guest may open files in (repeatable; default none)' },
  { name: 'stats', kind: 'boolean', help: 'print a JSON summary of counters (per thread and total, wall time, guest MIPS) to stderr' },
  { name: 'stats-json', kind: 'string', help: 'write the --stats JSON summary to this file instead' },
  { name: 'timeout', kind: 'string', help: 'stop the run after this many seconds (exit status 124)' },
  { name: 'max-procs', kind: 'string', help: `guest processes that may exist at once, zombies included; fork beyond fails with EAGAIN (default ${DEFAULT_MAX_PROCS}, at most ${MAX_PROCS})` },
  { name: 'deadlock-grace', kind: 'string', help: 'seconds all threads may sit in untimed futex waits before a deadlock is reported (default 3)' },
  { name: 'singlestep', kind: 'boolean', help: 'one guest instruction per TB (as qemu -singlestep)' },
  { name: 'nochain', kind: 'boolean', help: 'no direct TB chaining (as qemu -d nochain)' },
  { name: 'hot-threshold', kind: 'string', help: `interpreted runs of a TB before the code around it is compiled to JavaScript; 0 = interpret only, 1 = compile at once (default ${DEFAULT_HOT_THRESHOLD}, or $MTTCG_HOT_THRESHOLD)` },
  { name: 'trace', kind: 'string', help: 'write a qemu-style register trace (-d cpu) to this file' },
  { name: 'dump-js', kind: 'string', help: 'write each compiled region\'s generated JavaScript into this directory' },
  { name: 'env', kind: 'list', help: 'NAME=VALUE for the guest environment (default: the host environment)' },
  { name: 'clean-env', kind: 'boolean', help: 'start the guest with an empty environment (plus any --env)' },
  ...STRATEGY_OPTION_SPECS,
];

/**
 * The default of --hot-threshold: $MTTCG_HOT_THRESHOLD if set, so that a
 * whole test suite or torture matrix can run in one tier (docs/translator.md).
 */
function hotThresholdDefault(): number {
  const v = process.env.MTTCG_HOT_THRESHOLD;
  if (v === undefined || v === '') return DEFAULT_HOT_THRESHOLD;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`MTTCG_HOT_THRESHOLD=${v}: expected an integer >= 0`);
  return n;
}

export function runUsage(): string {
  return `usage: mttcg run [options] PROGRAM [ARGS...]\n\n${formatHelp(RUN_OPTIONS)}\n`;
}

export interface RunRequest {
  readonly config: RunConfig;
  /** Where the --stats summary goes. */
  readonly statsJsonFile: string | null;
  readonly statsToStderr: boolean;
}

export function buildRunConfig(argv: readonly string[]): RunRequest {
  const p = parseOptions(argv, RUN_OPTIONS, true);
  const [program, ...args] = p.positionals;
  if (!program) throw new UsageError('no PROGRAM given');
  const exePath = resolve(program);
  try {
    if (!statSync(exePath).isFile()) throw new UsageError(`${program} is not a file`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot open ${program}: no such file`);
  }
  const allowDirs = ((p.values.get('allow-dir') as string[] | undefined) ?? []).map((d) => {
    try {
      return realpathSync(resolve(d));
    } catch {
      throw new UsageError(`--allow-dir ${d}: no such directory`);
    }
  });
  const extraEnv = (p.values.get('env') as string[] | undefined) ?? [];
  const baseEnv = p.values.get('clean-env') ? [] : Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`);
  const dumpJsDir = (p.values.get('dump-js') as string | undefined) ?? null;
  if (dumpJsDir) mkdirSync(dumpJsDir, { recursive: true });
  const strategy = (p.values.get('strategy') as string | undefined) ?? DEFAULT_STRATEGY;
  if (!strategyNames().includes(strategy)) {
    throw new UsageError(`unknown strategy '${strategy}'; choose one of: ${strategyNames().join(', ')}`);
  }
  const config: RunConfig = {
    exePath,
    argv: [program, ...args],
    envp: [...baseEnv, ...extraEnv],
    memoryMb: numberOption(p, 'memory', DEFAULT_MEMORY_MB, 16, MAX_MEMORY_MB),
    strategy,
    strategyOptions: parseStrategyOptions(p),
    allowDirs,
    maxInsns: p.values.get('singlestep') ? 1 : DEFAULT_MAX_INSNS,
    chaining: !p.values.get('nochain') && !p.values.get('singlestep'),
    hotThreshold: numberOption(p, 'hot-threshold', hotThresholdDefault(), 0, 1e9),
    traceFile: (p.values.get('trace') as string | undefined) ?? null,
    dumpJsDir,
    stats: Boolean(p.values.get('stats') || p.values.get('stats-json')),
    timeoutSeconds: numberOption(p, 'timeout', 0, 0, 1e6),
    deadlockSeconds: numberOption(p, 'deadlock-grace', 3, 0.1, 3600),
    maxProcs: numberOption(p, 'max-procs', DEFAULT_MAX_PROCS, 1, MAX_PROCS),
  };
  return {
    config,
    statsJsonFile: (p.values.get('stats-json') as string | undefined) ?? null,
    statsToStderr: Boolean(p.values.get('stats')),
  };
}

export async function runCommand(argv: readonly string[]): Promise<number> {
  const { config, statsJsonFile, statsToStderr } = buildRunConfig(argv);
  try {
    const started = process.hrtime.bigint();
    const r = await runGuest(config, (w) => process.stderr.write(`${w}\n`));
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.report) process.stderr.write(`mttcg: ${r.report}\n`);
    if (config.stats) {
      printStats(summarise(r, wall), statsJsonFile, statsToStderr);
    }
    return r.status;
  } catch (e) {
    if (e instanceof RunError) {
      process.stderr.write(`mttcg: ${e.message}\n`);
      return e.status;
    }
    throw e;
  }
}
