// `mttcg bench [options]`: the scaling benchmark. Runs the bench/guest
// workloads under mttcg (one series per strategy spec), qemu-arm and the
// native build at several vCPU counts, appends one JSON line per point to the
// results file and prints a summary table (bench/runner/ does the work).
// With --shard (or inside a Slurm job array) it runs one shard of the plan.

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { planBench, PEERS, PROFILES, type BenchOptions, type BenchPlan } from '../../bench/runner/bench-plan.js';
import { benchSweepParts } from '../../bench/runner/bench-sweep.js';
import type { BenchPeer } from '../../bench/runner/bench-record.js';
import { summarise } from '../../bench/runner/bench-stats.js';
import { createProgressReporter } from '../../bench/runner/progress.js';
import { runBench } from '../../bench/runner/run-bench.js';
import { summaryTable } from '../../bench/runner/summary-table.js';
import { WORKLOADS } from '../../bench/runner/workloads.js';
import { hostInfo } from '../host/host-info.js';
import { strategyNames } from '../machine/strategy-registry.js';
import { isWhole, shardedPath, shardText, type Shard } from '../sweep/shard.js';
import { makeSweepHeader, sweepRunOf, type SweepRun } from '../sweep/sweep-plan.js';
import { formatHelp, numberOption, parseOptions, UsageError, type OptionSpec } from './option-parser.js';
import { argvWithoutShard, SHARD_OPTION, shardOf } from './shard-option.js';

const BENCH_OPTIONS: readonly OptionSpec[] = [
  { name: 'strategies', kind: 'list', help: 'strategy specs NAME[:KEY=VALUE...], comma-separated (default: every registered strategy)' },
  { name: 'vcpus', kind: 'list', help: 'vCPU (thread) counts, comma-separated (default 1,2,4)' },
  { name: 'workloads', kind: 'list', help: 'workloads, comma-separated (default: all; --quick: the quick set)' },
  { name: 'peers', kind: 'list', help: `which peers to run, comma-separated, from ${PEERS.join(', ')} (default: all that can run here)` },
  { name: 'repeat', kind: 'string', help: `runs per point (default ${PROFILES.default.repeat}; --quick: ${PROFILES.quick.repeat})` },
  { name: 'out', kind: 'string', help: 'results file, JSON lines, appended per point (default bench-YYYYMMDD-HHMMSS.jsonl)' },
  { name: 'resume', kind: 'boolean', help: 'continue --out: skip the points it already holds with ok=true' },
  { name: 'quick', kind: 'boolean', help: `short profile: quick workloads, ${PROFILES.quick.repeat} runs per point, ~${PROFILES.quick.targetMs} ms per point` },
  { name: 'ops', kind: 'string', help: 'fixed ops per thread for every point (default: aimed at --target-ms)' },
  { name: 'target-ms', kind: 'string', help: `timed section each point is aimed at (default ${PROFILES.default.targetMs}; --quick: ${PROFILES.quick.targetMs})` },
  { name: 'timeout', kind: 'string', help: `seconds per run before it counts as failed (default ${PROFILES.default.timeoutSeconds}; --quick: ${PROFILES.quick.timeoutSeconds})` },
  { name: 'list', kind: 'boolean', help: 'list workloads, strategies and peers, then exit' },
  SHARD_OPTION,
];

export function benchUsage(): string {
  return `usage: mttcg bench [options]

Measures throughput (ops per second of the guest's own timed parallel
section) of each workload under each strategy, qemu-arm and the native build,
at each vCPU count. Every point is one JSON line in --out, written when it
completes; a failed point is recorded with ok=false and the run goes on.
See docs/benchmarks.md.

${formatHelp(BENCH_OPTIONS)}
`;
}

function listText(): string {
  const w = Math.max(...WORKLOADS.map((x) => x.name.length));
  return [
    'workloads (* = in --quick):',
    ...WORKLOADS.map((x) => `  ${x.name.padEnd(w)} ${x.quick ? '*' : ' '} ${x.description}`),
    `strategies: ${strategyNames().join(', ')}`,
    `peers: ${PEERS.join(', ')}`,
    '',
  ].join('\n');
}

function defaultOutName(): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `bench-${t}.jsonl`;
}

export interface BenchRequest {
  readonly options: BenchOptions;
  /** The file this run appends to: --out, with the shard's tag when it is a shard. */
  readonly out: string;
  readonly resume: boolean;
  readonly list: boolean;
  readonly shard: Shard;
}

export function parseBenchArgs(argv: readonly string[]): BenchRequest {
  const p = parseOptions(argv, BENCH_OPTIONS, false);
  if (p.positionals.length) throw new UsageError(`bench takes no positional arguments (got '${p.positionals[0]}')`);
  const list = (name: string): string[] | undefined => p.values.get(name) as string[] | undefined;
  const vcpus = list('vcpus')?.map((t) => {
    if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 64) throw new UsageError(`--vcpus: '${t}' is not a vCPU count from 1 to 64`);
    return Number(t);
  });
  const peers = list('peers')?.map((t) => {
    if (!(PEERS as readonly string[]).includes(t)) throw new UsageError(`--peers: unknown peer '${t}'; choose from: ${PEERS.join(', ')}`);
    return t as BenchPeer;
  });
  const resume = Boolean(p.values.get('resume'));
  const outGiven = p.values.get('out') as string | undefined;
  if (resume && !outGiven) throw new UsageError('--resume needs --out FILE (the results to continue)');
  const shard = shardOf(p);
  // a default name with the time in it would differ from shard to shard
  if (!outGiven && !isWhole(shard)) throw new UsageError(`shard ${shardText(shard)}: every shard must name the same results: give --out FILE`);
  const out = shardedPath(outGiven ?? defaultOutName(), shard);
  const dir = dirname(resolve(out));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out ${out}: directory ${dir} does not exist`);
  const options: BenchOptions = {
    ...(list('strategies') ? { strategies: list('strategies') } : {}),
    ...(vcpus ? { vcpus } : {}),
    ...(list('workloads') ? { workloads: list('workloads') } : {}),
    ...(peers ? { peers } : {}),
    ...(p.values.has('repeat') ? { repeat: numberOption(p, 'repeat', 1, 1, 1000) } : {}),
    ...(p.values.has('ops') ? { opsPerThread: numberOption(p, 'ops', 1, 1, 1e9) } : {}),
    ...(p.values.has('target-ms') ? { targetMs: numberOption(p, 'target-ms', 1, 1, 3.6e6) } : {}),
    ...(p.values.has('timeout') ? { timeoutSeconds: numberOption(p, 'timeout', 1, 0.1, 86400) } : {}),
    quick: Boolean(p.values.get('quick')),
  };
  return { options, out, resume, list: Boolean(p.values.get('list')), shard };
}

/** The plan as a sweep (src/sweep/) and the part of it this shard runs. */
function benchSweep(plan: BenchPlan, argv: readonly string[], shard: Shard): SweepRun {
  const parts = benchSweepParts([plan]);
  return sweepRunOf(makeSweepHeader({
    command: 'bench', profile: null, describe: parts.describe, argv: argvWithoutShard(argv),
    definition: parts.definition, units: { torture: [], bench: parts.units }, shard, host: hostInfo(),
  }));
}

export async function benchCommand(argv: readonly string[]): Promise<number> {
  const req = parseBenchArgs(argv);
  if (req.list) {
    process.stdout.write(listText());
    return 0;
  }
  const plan = planBench(req.options);
  for (const n of plan.notes) process.stderr.write(`mttcg bench: ${n}\n`);
  const sweep = benchSweep(plan, argv, req.shard);
  if (!isWhole(req.shard)) {
    process.stderr.write(`mttcg bench: shard ${shardText(req.shard)} of plan ${sweep.header.planHash}: ${sweep.bench.size} of ${plan.points.length} runs; merge the shards with mttcg report --from\n`);
  }
  process.stderr.write(
    `mttcg bench: ${plan.points.length} runs (${plan.workloads.length} workloads x ${plan.series.length} series x vCPUs ${plan.vcpus.join(',')} x ${plan.repeat}), ` +
      `${plan.policy.fixedOpsPerThread ?? `~${plan.policy.targetMs} ms`} per point, results in ${req.out}\n`,
  );
  const progress = createProgressReporter(process.stderr);
  let finished = 0;
  const onInterrupt = (): void => {
    progress.finish();
    const again = argv.includes('--resume') ? argv : [...argv, ...(argv.includes('--out') || argv.some((a) => a.startsWith('--out=')) ? [] : ['--out', req.out]), '--resume'];
    process.stderr.write(`\nmttcg bench: interrupted; ${finished} point(s) of this run are in ${req.out}. Resume with:\n  mttcg bench ${again.join(' ')}\n`);
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  const records = await runBench(plan, {
    out: req.out,
    resume: req.resume,
    sweep,
    onProgress: (p) => {
      if (p.phase === 'done') finished++;
      progress.update(p);
    },
    onNote: (m) => process.stderr.write(`mttcg bench: ${m}\n`),
  });
  process.off('SIGINT', onInterrupt);
  progress.finish();
  process.stdout.write(summaryTable(summarise(records)));
  const failed = records.filter((r) => !r.ok).length;
  if (failed) process.stderr.write(`mttcg bench: ${failed} of ${records.length} points failed (recorded with ok=false)\n`);
  return 0;
}
