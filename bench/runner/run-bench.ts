// Runs a BenchPlan point by point, appending each record to the results
// file the moment it completes (one appendFileSync of one line), so an
// interrupted run loses only the point in progress and --resume carries on
// from there. A failing point becomes a record with ok=false; nothing but a
// usage error stops the run. A shard of a sweep runs only its part of the
// plan (src/sweep/), and its records carry the plan's hash and the shard.

import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../src/cli/option-parser.js';
import { hostKindOf, hostInfo, type HostInfo } from '../../src/host/host-info.js';
import { claimSweepFile } from '../../src/sweep/sweep-file.js';
import { tagOf, type SweepRun } from '../../src/sweep/sweep-plan.js';
import { benchUnitId } from '../../src/sweep/unit-ids.js';
import type { BenchPlan, PlannedPoint } from './bench-plan.js';
import { appendRecord, BENCH_RECORD_VERSION, ensureLineStart, pointKey, readRecords, type BenchPeer, type BenchRecord } from './bench-record.js';
import { OpCounts } from './op-counts.js';
import { runPoint, type PointOutcome } from './point-runner.js';
import { findWorkload } from './workloads.js';

export interface BenchProgress {
  /** 'start': a run begins; 'calibrate': a run was too short and is repeated with more ops; 'done': a record was written; 'skip': resumed. */
  readonly phase: 'start' | 'calibrate' | 'done' | 'skip';
  readonly point: PlannedPoint;
  /** Points finished (done or skipped) so far, and in all. */
  readonly done: number;
  readonly total: number;
  readonly opsPerThread: number | null;
  readonly record: BenchRecord | null;
  readonly elapsedMs: number;
  /** Estimated time to finish (null until something has run). */
  readonly etaMs: number | null;
}

export interface RunBenchOptions {
  /** JSON-lines results file (appended to); null: keep the records in memory only. */
  readonly out?: string | null;
  /** Skip points already in `out` with ok=true (and append to it). */
  readonly resume?: boolean;
  readonly onProgress?: (p: BenchProgress) => void;
  /** Messages worth showing once (e.g. unreadable lines found when resuming). */
  readonly onNote?: (message: string) => void;
  /** Host description for the records (default: this host). */
  readonly host?: HostInfo;
  /** A shard of a sweep: run only its points, head `out` with the plan, tag every record. */
  readonly sweep?: SweepRun;
}

/** The plan's points a shard runs (all of them without a sweep). */
export function pointsOfShard(plan: BenchPlan, sweep: SweepRun | undefined): readonly PlannedPoint[] {
  return sweep ? plan.points.filter((p) => sweep.bench.has(benchUnitId(p))) : plan.points;
}

/** Average wall time per run, per peer, for the ETA. */
class Eta {
  private readonly sums = new Map<BenchPeer, { ms: number; n: number }>();

  add(peer: BenchPeer, ms: number): void {
    const s = this.sums.get(peer) ?? { ms: 0, n: 0 };
    s.ms += ms;
    s.n++;
    this.sums.set(peer, s);
  }

  estimate(remaining: readonly PlannedPoint[]): number | null {
    let all = 0;
    let n = 0;
    for (const s of this.sums.values()) {
      all += s.ms;
      n += s.n;
    }
    if (n === 0) return null;
    let eta = 0;
    for (const p of remaining) {
      const s = this.sums.get(p.peer);
      eta += s ? s.ms / s.n : all / n;
    }
    return eta;
  }
}

/** A series: one workload under one peer/strategy (its points share an op-count estimate). */
function seriesKey(p: { readonly workload: string; readonly strategy: string }): string {
  return `${p.workload}\u0000${p.strategy}`;
}

/** A point's repeats share one op count. */
function groupKey(p: { readonly workload: string; readonly strategy: string; readonly vcpus: number }): string {
  return `${seriesKey(p)}\u0000${p.vcpus}`;
}

export async function runBench(wholePlan: BenchPlan, options: RunBenchOptions = {}): Promise<BenchRecord[]> {
  const sweep = options.sweep;
  const plan: BenchPlan = sweep ? { ...wholePlan, points: pointsOfShard(wholePlan, sweep) } : wholePlan;
  const out = options.out ?? null;
  const host = options.host ?? hostInfo();
  const note = options.onNote ?? (() => {});
  const previous: BenchRecord[] = [];
  if (out && !existsSync(dirname(resolve(out)))) throw new UsageError(`${out}: directory ${dirname(resolve(out))} does not exist`);
  if (out && existsSync(out)) {
    if (!options.resume && statSync(out).size > 0) {
      throw new UsageError(`${out} already holds results: pass --resume to continue it, or choose another --out`);
    }
    if (options.resume) {
      const { records, badLines } = readRecords(out);
      if (badLines.length) note(`${out}: ${badLines.length} unreadable line(s) ignored (${badLines.slice(0, 5).join(', ')}${badLines.length > 5 ? ', ...' : ''})`);
      previous.push(...records);
      ensureLineStart(out);
    }
  }
  if (out && sweep) claimSweepFile(out, sweep.header);
  const planned = new Set(plan.points.map(pointKey));
  const kept = new Map<string, BenchRecord>();
  // only this kind of host's points are resumed: results of different kinds of machine are never pooled
  const here = (r: BenchRecord): boolean => hostKindOf(r.host) === hostKindOf(host);
  const foreign = previous.filter((r) => !here(r)).length;
  if (foreign) note(`${out}: ${foreign} record(s) from another kind of host are kept in the file but not resumed (results from different kinds of host are never pooled)`);
  for (const r of previous) if (r.ok && here(r) && planned.has(pointKey(r)) && !kept.has(pointKey(r))) kept.set(pointKey(r), r);

  const counts = new OpCounts(plan.policy);
  const eta = new Eta();
  const started = Date.now();
  const results: BenchRecord[] = [...kept.values()];
  /** Ops per thread fixed for a (workload, strategy, vcpus) group once a run was kept. */
  const groupOps = new Map<string, number>();
  for (const r of kept.values()) {
    const g = groupKey(r);
    if (!groupOps.has(g) && r.ops % r.vcpus === 0) groupOps.set(g, r.ops / r.vcpus);
    counts.observe(seriesKey(r), r.ops, r.ns);
  }

  let done = 0;
  const progress = (phase: BenchProgress['phase'], i: number, opsPerThread: number | null, record: BenchRecord | null): void => {
    options.onProgress?.({
      phase,
      point: plan.points[i]!,
      done,
      total: plan.points.length,
      opsPerThread,
      record,
      elapsedMs: Date.now() - started,
      etaMs: eta.estimate(plan.points.slice(i + (phase === 'done' || phase === 'skip' ? 1 : 0)).filter((p) => !kept.has(pointKey(p)))),
    });
  };

  for (let i = 0; i < plan.points.length; i++) {
    const p = plan.points[i]!;
    if (kept.has(pointKey(p))) {
      done++;
      progress('skip', i, null, kept.get(pointKey(p))!);
      continue;
    }
    const workload = findWorkload(p.workload)!;
    const series = seriesKey(p);
    const group = groupKey(p);
    let ops = groupOps.get(group) ?? counts.propose(series, workload, p.peer, p.vcpus);
    let outcome: PointOutcome;
    for (let runs = 0; ; runs++) {
      progress(runs === 0 ? 'start' : 'calibrate', i, ops, null);
      outcome = await runPoint({
        workload,
        peer: p.peer,
        strategyArgs: p.strategyArgs,
        vcpus: p.vcpus,
        opsPerThread: ops,
        timeoutSeconds: plan.timeoutSeconds,
      });
      eta.add(p.peer, outcome.wallMs);
      if (outcome.haveLine) counts.observe(series, outcome.ops, outcome.ns);
      else if (outcome.timedOut) counts.observeTimeout(series, outcome.ops, plan.timeoutSeconds * 1000);
      // A corpus program's op count is its input size: nothing to calibrate.
      const calibrating = !workload.corpus && !groupOps.has(group) && outcome.haveLine && counts.isCalibrationRun(outcome.ns, runs, ops);
      if (!calibrating) break;
      const next = counts.propose(series, workload, p.peer, p.vcpus);
      if (next <= ops) break;
      ops = next;
    }
    if (outcome.haveLine && !groupOps.has(group)) groupOps.set(group, ops);
    const record: BenchRecord = {
      kind: 'bench',
      version: BENCH_RECORD_VERSION,
      workload: p.workload,
      peer: p.peer,
      strategy: p.strategy,
      vcpus: p.vcpus,
      repeat: p.repeat,
      ops: outcome.ops,
      ns: outcome.ns,
      opsPerSec: outcome.ns > 0 ? outcome.ops / (outcome.ns / 1e9) : 0,
      warmupOps: outcome.warmupOps,
      ok: outcome.ok,
      error: outcome.error,
      counters: outcome.counters,
      guestInsns: outcome.guestInsns,
      wallMs: outcome.wallMs,
      args: outcome.args,
      host,
      time: new Date().toISOString(),
      evidence: outcome.evidence,
      load: outcome.load,
      vcpuCpu: outcome.vcpuCpu,
      ...(sweep ? { sweep: tagOf(sweep.header) } : {}),
    };
    if (out) appendRecord(out, record);
    results.push(record);
    done++;
    progress('done', i, ops, record);
  }
  return results;
}
