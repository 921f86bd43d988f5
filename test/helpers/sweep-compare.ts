// What a sweep test compares between a report merged from shards and one
// drawn from an unsharded run of the same plan: everything a report says
// that does not depend on timing. Torture: each run's unit, verdict and
// outcome, and the matrix's cells with their run counts. Benchmarks: each
// record's unit, success, op counts and command, and the report's points
// (runs, failures) and counter rows. Medians, intervals, times, loads and
// the counters a race decides (retries, TLB fills under contention) are
// left out: two runs of one plan differ in them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliRun } from '../../harness/cli-child.js';
import { CLI } from '../../harness/guest-runner.js';
import { readSweepHeaders, type SweepHeader } from '../../src/sweep/sweep-plan.js';

/** A small torture plan whose every run is predicted to pass (so its verdicts are the same on every run): 2 cases x 2 columns. */
export const TORTURE_PLAN = ['torture', '--cases', 'atomic-add,store-diff', '--strategy', 'cmpxchg,stop-the-world', '--threads', '2', '--no-qemu', '--scale', '0.1', '--timeout', '300'];

/** A small benchmark plan with fixed op counts: 1 workload x (cmpxchg, qemu-arm) x 1, 2 vCPUs. */
export const BENCH_PLAN = ['bench', '--workloads', 'atomic-add-private', '--strategies', 'cmpxchg', '--vcpus', '1,2', '--peers', 'mttcg,qemu-arm', '--repeat', '1', '--ops', '2000', '--timeout', '300'];

export interface ReportShape {
  readonly tortureRuns: readonly unknown[];
  readonly tortureCells: readonly unknown[];
  readonly benchRecords: readonly unknown[];
  readonly points: readonly unknown[];
  readonly counters: readonly unknown[];
  readonly claims: readonly string[];
}

function jsonLines(file: string): Record<string, unknown>[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
}

type Obj = Record<string, unknown>;

/** The timing-free content of the report in `dir` (data/results*.jsonl and data/report.json). */
export function reportShape(dir: string): ReportShape {
  const torture = jsonLines(join(dir, 'data/results.torture.jsonl')).filter((r) => r.kind === 'torture-run');
  const bench = jsonLines(join(dir, 'data/results.jsonl')).filter((r) => r.kind === 'bench');
  const summary = JSON.parse(readFileSync(join(dir, 'data/report.json'), 'utf8')) as Obj;
  const series = (summary.series ?? []) as Obj[];
  const tortureSummary = summary.torture as { cells: Obj[] } | null;
  return {
    tortureRuns: torture.map((r) => {
      const res = r.result as Obj;
      const kv = res.observedKv as Obj;
      return { case: res.case, column: res.column, repeat: r.repeat, cell: res.cell, observed: res.observed, exitCode: res.exitCode, args: res.args, total: kv.total, expected: kv.expected };
    }),
    tortureCells: (tortureSummary?.cells ?? []).map((c) => ({ case: c.case, column: c.column, predicted: c.predicted, observed: c.observed, cell: c.cell, runs: c.runs, failedRuns: c.failedRuns })),
    benchRecords: bench.map((r) => ({ workload: r.workload, peer: r.peer, strategy: r.strategy, vcpus: r.vcpus, repeat: r.repeat, ok: r.ok, ops: r.ops, warmupOps: r.warmupOps, args: r.args })),
    points: series.flatMap((s) => ((s.points ?? []) as Obj[]).map((p) => ({ workload: s.workload, peer: s.peer, key: s.key, vcpus: p.vcpus, runs: p.runs, failed: p.failed }))),
    counters: ((summary.counters ?? []) as Obj[]).map((c) => ({ workload: c.workload, strategy: c.strategy, vcpus: c.vcpus, runs: c.runs })),
    claims: ((summary.claims ?? []) as Obj[]).map((c) => String(c.id)),
  };
}

/** The one plan header of a results file. */
export function planOf(file: string): SweepHeader {
  const headers = readSweepHeaders(file);
  if (!headers.length) throw new Error(`${file} has no sweep-plan header`);
  return headers[0]!;
}

/** `mttcg ARGS...` as a child process with the given environment (default: this process's without Slurm's variables). */
export function mttcg(args: readonly string[], env: NodeJS.ProcessEnv = withoutSlurm(process.env), killAfterMs = 1_200_000): Promise<CliRun> {
  return runCli([CLI, ...args], killAfterMs, env);
}

/** An environment with no SLURM_* or MTTCG_SHARDS (a test run inside a Slurm job must not become a shard by accident). */
export function withoutSlurm(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('SLURM_') && k !== 'MTTCG_SHARDS'));
}

/** A failed child's output, for a test's message. */
export function said(r: CliRun): string {
  return `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}${r.error ? ` ${r.error.message}` : ''}\n${r.stderr.slice(-2000)}`;
}
