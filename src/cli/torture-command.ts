// `mttcg torture [options]`: runs the atomic torture suite under each strategy
// and prints the correctness matrix (prediction against observation). With
// --shard (or inside a Slurm job array) it runs one shard of the plan.

import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { TORTURE_CASE_NAMES, type TortureCaseName } from '../emulator/atomics/guarantees.js';
import { hostInfo } from '../host/host-info.js';
import { isWhole, shardedPath, shardText, type Shard } from '../sweep/shard.js';
import { makeSweepHeader, sweepRunOf, type SweepRun } from '../sweep/sweep-plan.js';
import { isTortureCaseName } from '../torture/cases.js';
import { cellText, formatMatrix } from '../torture/matrix-text.js';
import { qemuInstalled } from '../torture/qemu-peer.js';
import { planTorture, runTortureMatrix, SEEDED_STEPS, type TortureProgress, type TortureRequest } from '../torture/run-matrix.js';
import { defaultSpecTexts } from '../torture/strategy-spec.js';
import { tortureSweepParts } from '../torture/torture-sweep.js';
import { formatHelp, integerOption, numberOption, parseOptions, UsageError, type OptionSpec, type Parsed } from './option-parser.js';
import { argvWithoutShard, SHARD_OPTION, shardOf } from './shard-option.js';

const TORTURE_OPTIONS: readonly OptionSpec[] = [
  { name: 'strategy', kind: 'list', help: 'strategy specs, comma-separated: NAME or NAME:KEY=VALUE[:KEY=VALUE] (KEY: a run strategy option) (default: every strategy plus the registered variants)' },
  { name: 'threads', kind: 'list', help: 'vCPU counts, comma-separated; one column per strategy and count (default 2)' },
  { name: 'quick', kind: 'boolean', help: 'the quick arguments of torture-tests/atomics/README.md (the default)' },
  { name: 'full', kind: 'boolean', help: 'the default (longer) arguments of torture-tests/atomics/README.md' },
  { name: 'cases', kind: 'list', help: 'cases to run, comma-separated (default: all)' },
  { name: 'scale', kind: 'string', help: 'multiply every iteration count by F, not below a floor per kind (default 1)' },
  { name: 'json', kind: 'string', help: 'write the matrix as JSON (kind torture-matrix) to this file' },
  { name: 'out', kind: 'string', help: 'append every run to this JSON Lines file as it finishes (kind torture-run)' },
  { name: 'resume', kind: 'boolean', help: 'continue --out: skip the runs it already holds (same host, profile, scale)' },
  { name: 'repeats', kind: 'string', help: 'runs of each cell predicted may-fail, reported as "k of N runs failed" (default 1)' },
  { name: 'no-qemu', kind: 'boolean', help: 'no qemu-arm peer column (default: one per vCPU count when qemu-arm is installed)' },
  { name: 'timeout', kind: 'string', help: 'seconds per cell before the run counts as failed (default 120)' },
  { name: 'thumb', kind: 'boolean', help: 'run the Thumb-2 hard-float builds of the programs (*.thumb.elf; columns labelled /thumb; the SWP cases are n/a)' },
  { name: 'strex-fail', kind: 'string', help: 'every STREX of every mttcg run fails spuriously with probability P (mttcg run --strex-fail P; columns labelled /strex-fail=P): correct programs must stay correct' },
  { name: 'seeds', kind: 'string', help: 'torture by seeds: run every cell once per seed A..B under the deterministic scheduler (--sched seed:S; docs/scheduler.md); cells read "k/N sS": k of N seeds failed, the first failing seed S. No qemu-arm column' },
  { name: 'sched-steps', kind: 'string', help: `PCT's k for --seeds (--sched steps=K): about the step count of one run (mttcg run --stats prints schedSteps; default ${SEEDED_STEPS})` },
  { name: 'sched-events', kind: 'string', help: 'scheduling points for --seeds: memory (every load and store, atomics and syscalls; the default) or atomics (LDREX/STREX/SWP and syscalls)' },
  SHARD_OPTION,
];

export function tortureUsage(): string {
  return `usage: mttcg torture [options]

Runs every torture case (torture-tests/atomics) under each strategy, one
process per cell, and compares the outcome with what the strategy declares.
Exit status 1 if a strategy failed a case it claims to pass (qemu-arm, a peer,
never causes that), 0 otherwise.

cases: ${TORTURE_CASE_NAMES.join(', ')}
default strategies: ${defaultSpecTexts().join(', ')}

${formatHelp(TORTURE_OPTIONS)}
`;
}

export interface TortureArgs {
  readonly request: TortureRequest;
  readonly jsonFile: string | null;
  /** The file this run appends to: --out, with the shard's tag when it is a shard. */
  readonly out: string | null;
  readonly resume: boolean;
  readonly shard: Shard;
}

export function parseTortureArgs(argv: readonly string[]): TortureArgs {
  const p = parseOptions(argv, TORTURE_OPTIONS, false);
  if (p.positionals.length) throw new UsageError(`torture takes no positional arguments (got '${p.positionals[0]}')`);
  if (p.values.get('quick') && p.values.get('full')) throw new UsageError('--quick and --full exclude each other');
  const specs = p.values.get('strategy') as string[] | undefined;
  const threadTexts = p.values.get('threads') as string[] | undefined;
  const threads = threadTexts?.map((t) => {
    const n = Number(t);
    if (!/^\d+$/.test(t) || n < 1 || n > 64) throw new UsageError(`--threads: '${t}' is not a vCPU count from 1 to 64`);
    return n;
  });
  const caseTexts = p.values.get('cases') as string[] | undefined;
  const cases = caseTexts?.map((c): TortureCaseName => {
    if (!isTortureCaseName(c)) throw new UsageError(`--cases: unknown case '${c}'; cases: ${TORTURE_CASE_NAMES.join(', ')}`);
    return c;
  });
  const request: TortureRequest = {
    ...(specs ? { specs } : {}),
    ...(threads ? { threads } : {}),
    ...(cases ? { cases } : {}),
    profile: p.values.get('full') ? 'full' : 'quick',
    scale: numberOption(p, 'scale', 1, 1e-6, 10),
    qemu: !p.values.get('no-qemu'),
    timeoutSeconds: numberOption(p, 'timeout', 120, 0.01, 86400),
    repeats: numberOption(p, 'repeats', 1, 1, 1000),
    thumb: Boolean(p.values.get('thumb')),
    ...(p.values.has('strex-fail') ? { strexFail: numberOption(p, 'strex-fail', 0, 0, 1) } : {}),
    ...seedOptions(p),
  };
  if (!Number.isInteger(request.repeats)) throw new UsageError(`--repeats must be a whole number (got '${String(p.values.get('repeats'))}')`);
  const shard = shardOf(p);
  const outGiven = (p.values.get('out') as string | undefined) ?? null;
  if (outGiven === null && !isWhole(shard)) throw new UsageError(`shard ${shardText(shard)}: a shard's runs must be kept for the merge: give --out FILE`);
  const out = outGiven === null ? null : shardedPath(outGiven, shard);
  const resume = Boolean(p.values.get('resume'));
  if (resume && out === null) throw new UsageError('--resume needs --out FILE (the runs to continue)');
  const jsonFile = (p.values.get('json') as string | undefined) ?? null;
  // checked now, not after a run of many minutes
  if (jsonFile !== null) {
    const dir = dirname(resolve(jsonFile));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--json ${jsonFile}: directory ${dir} does not exist`);
  }
  if (out !== null) {
    const dir = dirname(resolve(out));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out ${out}: directory ${dir} does not exist`);
    if (!resume && existsSync(out) && statSync(out).size > 0) throw new UsageError(`--out ${out} already holds runs: pass --resume to continue it, or choose another file`);
  }
  return { request, jsonFile, out, resume, shard };
}

/** --seeds A..B, --sched-steps, --sched-events. */
function seedOptions(p: Parsed): Pick<TortureRequest, 'seeds' | 'schedSteps' | 'schedEvents'> {
  const text = p.values.get('seeds') as string | undefined;
  const events = p.values.get('sched-events') as string | undefined;
  if (text === undefined) {
    if (p.values.has('sched-steps') || events !== undefined) throw new UsageError('--sched-steps and --sched-events go with --seeds');
    return {};
  }
  const m = /^(\d+)\.\.(\d+)$/.exec(text);
  if (!m) throw new UsageError(`--seeds ${text}: expected A..B (e.g. 1..200)`);
  if (events !== undefined && events !== 'atomics' && events !== 'memory') throw new UsageError(`--sched-events ${events}: expected atomics or memory`);
  return {
    seeds: { first: Number(m[1]), last: Number(m[2]) },
    schedSteps: integerOption(p, 'sched-steps', SEEDED_STEPS, 1, 2 ** 31 - 1),
    ...(events !== undefined ? { schedEvents: events } : {}),
  };
}

/** The plan as a sweep (src/sweep/) and the part of it this shard runs. */
function tortureSweep(request: TortureRequest, argv: readonly string[], shard: Shard): SweepRun {
  const parts = tortureSweepParts(planTorture(request));
  return sweepRunOf(makeSweepHeader({
    command: 'torture', profile: request.profile ?? 'quick', describe: parts.describe, argv: argvWithoutShard(argv),
    definition: parts.definition, units: { torture: parts.units, bench: [] }, shard, host: hostInfo(),
  }));
}

function progressLine(p: TortureProgress): string {
  const r = p.result;
  const width = String(p.total).length;
  const pos = `[${String(p.index).padStart(width)}/${p.total}]`;
  const secs = r.cell === 'n/a' ? '' : p.resumed ? '(resumed)' : `${(r.ms / 1000).toFixed(1)} s`;
  const rep = p.repeats > 1 ? ` #${p.repeat}/${p.repeats}` : '';
  return `${pos} ${r.case.padEnd(20)} ${`${r.column}${rep}`.padEnd(22)} ${cellText(r).padEnd(7)} ${secs}`.trimEnd();
}

/** The command that carries on an interrupted run (printed on Ctrl-C). */
function resumeCommand(argv: readonly string[]): string {
  const rest = argv.filter((a) => a !== '--resume');
  return `mttcg torture ${[...rest, '--resume'].join(' ')}`;
}

export async function tortureCommand(argv: readonly string[]): Promise<number> {
  const { request, jsonFile, out, resume, shard } = parseTortureArgs(argv);
  if (request.qemu && !qemuInstalled()) process.stderr.write('mttcg torture: qemu-arm is not installed; no peer column\n');
  const sweep = tortureSweep(request, argv, shard);
  if (!isWhole(shard)) {
    process.stderr.write(
      `mttcg torture: shard ${shardText(shard)} of plan ${sweep.header.planHash}: ${sweep.torture.size} of ${sweep.header.units.torture.length} runs, appended to ${out}; ` +
        'merge the shards with mttcg report --from\n',
    );
  }
  let finished = 0;
  const onInterrupt = (): void => {
    process.stderr.write(out
      ? `\nmttcg torture: interrupted; ${finished} run(s) are in ${out}. Resume with:\n  ${resumeCommand(argv)}\n`
      : '\nmttcg torture: interrupted; nothing was saved (run with --out FILE to keep each run as it finishes)\n');
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  const matrix = await runTortureMatrix(request, {
    out,
    resume,
    sweep,
    onProgress: (p) => {
      finished++;
      process.stderr.write(`${progressLine(p)}\n`);
    },
    onNote: (m) => process.stderr.write(`mttcg torture: ${m}\n`),
  });
  process.off('SIGINT', onInterrupt);
  if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(matrix, null, 2)}\n`);
  process.stdout.write(`${formatMatrix(matrix)}\n`);
  return matrix.brokenClaims > 0 ? 1 : 0;
}
