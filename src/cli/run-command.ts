// `mttcg run [options] PROGRAM [ARGS...]`: runs an ARM ELF, static or
// dynamically linked (its interpreter and libraries from the sysroot, -L).

import { closeSync, existsSync, mkdirSync, openSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_STRATEGY, strategyNames } from '../machine/strategy-registry.js';
import { DEFAULT_MAX_PROCS, MAX_PROCS } from '../emulator/linux-user/process-table.js';
import { MAX_MEMORY_MB } from '../emulator/softmmu/frame-pool.js';
import { DEFAULT_MAX_INSNS, DEFAULT_MEMORY_MB, type RunConfig } from '../emulator/process/run-config.js';
import { RunError } from '../emulator/process/supervisor.js';
import { DEFAULT_HOT_THRESHOLD } from '../emulator/exec/tier-defaults.js';
import { runGuest } from '../machine/run-guest.js';
import { formatSchedSpec, parseSchedSpec, SchedSpecError, type SchedSpec } from '../emulator/sched/sched-spec.js';
import { PARENT_PID_ENV, watchParent } from '../host/tied-children.js';
import { formatHelp, integerOption, numberOption, parseOptions, UsageError, type OptionSpec } from './option-parser.js';
import { printStats, summarise } from './stats-output.js';
import { coldMark } from '../host/cold-trace.js';
import { saveCodeCaches } from '../host/code-cache.js';
import { parseStrategyOptions, STRATEGY_OPTION_SPECS } from './strategy-options.js';

/** Debian's armel cross sysroot (libc6-armel-cross): the default -L when it exists. */
export const DEFAULT_SYSROOT = '/usr/arm-linux-gnueabi';

export const RUN_OPTIONS: readonly OptionSpec[] = [
  { name: 'strategy', kind: 'string', help: `atomic strategy: ${strategyNames().join(', ')} (default ${DEFAULT_STRATEGY})` },
  { name: 'memory', kind: 'string', help: `guest memory in MiB (default ${DEFAULT_MEMORY_MB}, at most ${MAX_MEMORY_MB})` },
  { name: 'allow-dir', kind: 'repeat', help: 'host directory the guest may open files in (repeat the option for more; default none)' },
  { name: 'sysroot', short: 'L', kind: 'string', help: `ARM sysroot, as qemu-arm -L: absolute paths the guest opens (the ELF interpreter and its libraries too) are looked up under it first; the guest may read it and the program's own directory (default $QEMU_LD_PREFIX, else ${DEFAULT_SYSROOT} when it exists; '' for none)` },
  { name: 'stats', kind: 'boolean', help: 'print a JSON summary of counters (per thread and total, wall time, guest MIPS) to stderr' },
  { name: 'stats-json', kind: 'string', help: 'write the --stats JSON summary to this file instead' },
  { name: 'timeout', kind: 'string', help: 'stop the run after this many seconds (exit status 124)' },
  { name: 'max-procs', kind: 'string', help: `guest processes that may exist at once, zombies included; fork beyond fails with EAGAIN (default ${DEFAULT_MAX_PROCS}, at most ${MAX_PROCS})` },
  { name: 'deadlock-grace', kind: 'string', help: 'seconds all threads may sit in untimed futex waits before a deadlock is reported (default 3)' },
  { name: 'sched', kind: 'string', help: 'deterministic scheduler: seed:N[,depth=D,steps=K,slice=S,policy=pct|chaos,events=memory|atomics,record=FILE] or replay:FILE (one vCPU at a time, single-step TBs, virtual time; docs/scheduler.md)' },
  { name: 'strex-fail', kind: 'string', help: 'every STREX fails spuriously with probability P (0..1) before the strategy sees it, as the architecture allows; for every strategy (default 0)' },
  { name: 'singlestep', kind: 'boolean', help: 'one guest instruction per TB (as qemu -singlestep)' },
  { name: 'nochain', kind: 'boolean', help: 'no direct TB chaining (as qemu -d nochain)' },
  { name: 'hot-threshold', kind: 'string', help: `interpreted runs of a TB before the code around it is compiled to JavaScript; 0 = interpret only, 1 = compile at once (default ${DEFAULT_HOT_THRESHOLD}, or $MTTCG_HOT_THRESHOLD)` },
  { name: 'trace', kind: 'string', help: 'write a qemu-style register trace (-d cpu) to this file' },
  { name: 'dump-js', kind: 'string', help: 'write each compiled region\'s generated JavaScript into this directory' },
  { name: 'env', kind: 'repeat', help: 'NAME=VALUE for the guest environment, one per option (the value may hold commas; default: the host environment)' },
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

/** -L, else $QEMU_LD_PREFIX, else DEFAULT_SYSROOT when it exists; '' means none. Resolved, or null. */
function chooseSysroot(given: string | undefined): string | null {
  const env = process.env.QEMU_LD_PREFIX;
  const dir = given ?? (env !== undefined ? env : existsSync(DEFAULT_SYSROOT) ? DEFAULT_SYSROOT : '');
  if (dir === '') return null;
  const from = given !== undefined ? '-L' : env !== undefined ? 'QEMU_LD_PREFIX' : 'the default sysroot';
  try {
    const real = realpathSync(resolve(dir));
    if (!statSync(real).isDirectory()) throw new UsageError(`${from} ${dir}: not a directory`);
    return real;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${from} ${dir}: no such directory`);
  }
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
  const sysroot = chooseSysroot(p.values.get('sysroot') as string | undefined);
  const readOnlyDirs = [...(sysroot !== null ? [sysroot] : []), dirname(realpathSync(exePath))];
  const extraEnv = (p.values.get('env') as string[] | undefined) ?? [];
  for (const e of extraEnv) if (!/^[^=]+=/.test(e)) throw new UsageError(`--env ${e}: expected NAME=VALUE`);
  // The host environment, less the variable a parent mttcg uses to tie us to it (host/tied-children.ts).
  const baseEnv = p.values.get('clean-env') ? [] : Object.entries(process.env)
    .filter(([k]) => k !== PARENT_PID_ENV).map(([k, v]) => `${k}=${v ?? ''}`);
  const dumpJsDir = (p.values.get('dump-js') as string | undefined) ?? null;
  if (dumpJsDir) ensureDirectory('--dump-js', dumpJsDir);
  const traceFile = (p.values.get('trace') as string | undefined) ?? null;
  if (traceFile) ensureWritableFile('--trace', traceFile);
  const statsJsonFile = (p.values.get('stats-json') as string | undefined) ?? null;
  if (statsJsonFile) ensureWritableFile('--stats-json', statsJsonFile);
  const strategy = (p.values.get('strategy') as string | undefined) ?? DEFAULT_STRATEGY;
  if (!strategyNames().includes(strategy)) {
    throw new UsageError(`unknown strategy '${strategy}'; choose one of: ${strategyNames().join(', ')}`);
  }
  const sched = schedOption(p.values.get('sched') as string | undefined);
  const config: RunConfig = {
    exePath,
    argv: [program, ...args],
    envp: [...baseEnv, ...extraEnv],
    memoryMb: integerOption(p, 'memory', DEFAULT_MEMORY_MB, 16, MAX_MEMORY_MB),
    strategy,
    strategyOptions: parseStrategyOptions(p, strategy),
    allowDirs,
    sysroot,
    readOnlyDirs,
    maxInsns: p.values.get('singlestep') || sched ? 1 : DEFAULT_MAX_INSNS,
    chaining: !p.values.get('nochain') && !p.values.get('singlestep'),
    hotThreshold: integerOption(p, 'hot-threshold', hotThresholdDefault(), 0, 1e9),
    traceFile,
    dumpJsDir,
    stats: Boolean(p.values.get('stats') || p.values.get('stats-json')),
    timeoutSeconds: numberOption(p, 'timeout', 0, 0, 1e6),
    deadlockSeconds: numberOption(p, 'deadlock-grace', 3, 0.1, 3600),
    maxProcs: integerOption(p, 'max-procs', DEFAULT_MAX_PROCS, 1, MAX_PROCS),
    sched,
    strexFail: numberOption(p, 'strex-fail', 0, 0, 1),
  };
  return {
    config,
    statsJsonFile,
    statsToStderr: Boolean(p.values.get('stats')),
  };
}

/** --sched's value as a spec (a bad value is a usage error; record=FILE must be writable). */
export function schedOption(text: string | undefined): SchedSpec | null {
  if (text === undefined) return null;
  try {
    const spec = parseSchedSpec(text);
    if (spec.recordFile) ensureWritableFile('--sched record=', spec.recordFile);
    return spec;
  } catch (e) {
    if (e instanceof SchedSpecError) throw new UsageError(e.message);
    throw e;
  }
}

/** Creates (or truncates) a file the run will write, now: a bad path is a usage error, not a failure at the end. */
function ensureWritableFile(option: string, file: string): void {
  try {
    closeSync(openSync(file, 'w'));
  } catch (e) {
    throw new UsageError(`${option} ${file}: cannot write it (${(e as Error).message})`);
  }
}

/**
 * Makes a directory and its missing parents one level at a time (Node's
 * recursive mkdirSync loops for ever on a path such as /proc/foo).
 */
function ensureDirectory(option: string, dir: string): void {
  const parts = resolve(dir).split('/').filter((x) => x !== '');
  let at = '';
  for (const part of parts) {
    at += `/${part}`;
    try {
      if (statSync(at).isDirectory()) continue;
      throw new UsageError(`${option} ${dir}: ${at} is not a directory`);
    } catch (e) {
      if (e instanceof UsageError) throw e;
    }
    try {
      mkdirSync(at);
    } catch (e) {
      throw new UsageError(`${option} ${dir}: cannot create ${at} (${(e as Error).message})`);
    }
  }
}

export async function runCommand(argv: readonly string[]): Promise<number> {
  const { config, statsJsonFile, statsToStderr } = buildRunConfig(argv);
  coldMark('options parsed');
  // Started by mttcg torture/bench/report (or trace-diff): end with it if it dies without killing us.
  watchParent(() => {
    process.stderr.write('mttcg: the mttcg process that started this run has gone; stopping\n');
    process.exit(129);
  });
  try {
    const started = process.hrtime.bigint();
    const r = await runGuest(config, (w) => process.stderr.write(`${w}\n`));
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    coldMark('run finished (workers stopped)');
    saveCodeCaches(); // the run command's bundle, after a run without a usable cache
    if (r.report) process.stderr.write(`mttcg: ${r.report}\n`);
    if (config.sched && r.status !== 0) {
      // A failing seed says how to reproduce it (docs/scheduler.md).
      process.stderr.write(`mttcg: failed under --sched ${formatSchedSpec(config.sched)} ` +
        `(${r.process.schedSteps} steps, ${r.process.schedSwitches} switches); the same --sched value reproduces it\n`);
    }
    if (config.stats) {
      printStats(summarise(r, wall), statsJsonFile, statsToStderr);
    }
    if (r.workersStopping) {
      // The guest ended in the solo phase: the worker started for it is being terminated, and the event
      // loop would wait for that (its isolate's teardown) before the process exits. The output is written.
      coldMark('exit without waiting for the workers');
      process.exit(r.status);
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
