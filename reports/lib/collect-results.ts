// Gathers a report's inputs, running only what is missing: the torture runs
// the profile plans that the torture file does not hold, and the benchmark
// points the results file does not hold (both files are appended to as each
// run finishes, so an interrupted report carries on where it stopped). One
// estimate covers everything still to run. Then the records of one kind of
// host are picked (results from different kinds are never pooled) and the
// torture matrix is assembled from its runs.

import { planBench } from '../../bench/runner/bench-plan.js';
import { pointKey } from '../../bench/runner/bench-record.js';
import type { BenchProgress } from '../../bench/runner/run-bench.js';
import { pointsOfShard, runBench } from '../../bench/runner/run-bench.js';
import { runEvidence } from '../../bench/runner/run-evidence.js';
import { hostKindOf, hostInfo, type HostInfo } from '../../src/host/host-info.js';
import { planTorture, remainingTortureRuns, runsOfShard, runTortureMatrix, type TortureProgress } from '../../src/torture/run-matrix.js';
import { readSweepHeaders, uniqueHeaders, type SweepRun } from '../../src/sweep/sweep-plan.js';
import { readTortureRuns } from '../../src/torture/run-record.js';
import type { BenchRecord } from './input-types.js';
import { fmtSeconds, fmtSi } from './number-format.js';
import { ReportEta, type EtaText } from './report-eta.js';
import { readBenchFile, type ReportInputs } from './report-inputs.js';
import type { ReportProfileSpec } from './report-profiles.js';
import { chooseHost, matrixFromRuns } from './results-host.js';

export interface CollectOptions {
  readonly profile: ReportProfileSpec;
  /** Benchmark records (JSON Lines): read, and extended with the missing points. */
  readonly resultsFile: string;
  /** Torture runs (JSON Lines) belonging to those results. */
  readonly tortureFile: string;
  /** Strategies registered in this build. */
  readonly strategiesBuilt: readonly string[];
  /** Only read what is there; run nothing. */
  readonly renderOnly: boolean;
  /** The host kind whose results to draw (its id, or a machine's hostId); default this machine's, else the kind with the most records. */
  readonly hostWanted?: string | null;
  readonly onProgress: (line: string) => void;
  /** Called after every finished run with the counts so far (for the Ctrl-C message). */
  readonly onSaved?: (saved: { torture: number; bench: number }) => void;
  /** The report's plan as a sweep, and the shard to run (report-sweep.ts); without it nothing is tagged. */
  readonly sweep?: SweepRun;
}

/** The torture runs that belong to a results file: results.jsonl -> results.torture.jsonl. */
export function tortureFileFor(resultsFile: string): string {
  return `${resultsFile.replace(/\.jsonl$/, '')}.torture.jsonl`;
}

function etaText(e: EtaText): string {
  if (e.left === 0) return '';
  return `; whole report: about ${fmtSeconds(e.ms)} left (${e.left} of ${e.total} runs${e.guessed ? ', partly a first guess' : ''})`;
}

function tortureLine(p: TortureProgress, eta: EtaText): string {
  const r = p.result;
  const rep = p.repeats > 1 ? ` #${p.repeat}/${p.repeats}` : '';
  const detail = r.reason ? ` (${r.reason})` : '';
  return `[torture ${p.index}/${p.total}] ${r.column} ${r.case}${rep}: ${r.observed}${detail}${r.ms ? `, ${fmtSeconds(r.ms)}` : ''}${etaText(eta)}`;
}

function benchLine(r: BenchRecord, index: number, total: number, eta: EtaText): string {
  const what = `${r.workload} ${r.peer === 'mttcg' ? `mttcg ${r.strategy}` : r.peer} @${r.vcpus} #${r.repeat}`;
  const ev = runEvidence(r);
  const result = r.ok ? `${fmtSi(r.opsPerSec)} ops/s${ev.evidence ? '' : ` (not evidence: ${ev.reasons.join('; ')})`}` : `failed: ${r.error ?? 'no measurement'}`;
  return `[bench ${index}/${total}] ${what}: ${result}${etaText(eta)}`;
}

/** Runs every missing torture run and benchmark point (of the shard, in a sweep); returns how many ran now. */
export async function measureMissing(o: CollectOptions, host: HostInfo, notes: string[]): Promise<number> {
  const eta = new ReportEta();
  const sweep = o.sweep;
  const torturePlan = planTorture(o.profile.torture);
  const tortureToRun = remainingTortureRuns(torturePlan, o.tortureFile, host, sweep);
  const tortureLeft = tortureToRun.length;
  const tortureDone = runsOfShard(torturePlan, sweep).length - tortureLeft;
  const qemuRuns = tortureToRun.filter((r) => r.column.runArgs === null).length;
  eta.plan('torture-qemu', qemuRuns);
  eta.plan('torture-mttcg', tortureLeft - qemuRuns);

  const plans = o.profile.bench.map((options) => planBench(options));
  const { records } = readBenchFile(o.resultsFile);
  const here = hostKindOf(host);
  const have = new Set(records.filter((r) => r.ok && hostKindOf(r.host) === here).map(pointKey));
  const counted = new Set<string>();
  let benchTotal = 0;
  for (const plan of plans) {
    for (const p of pointsOfShard(plan, sweep)) {
      const k = pointKey(p);
      if (have.has(k) || counted.has(k)) continue;
      counted.add(k);
      benchTotal++;
      eta.plan(p.peer === 'mttcg' ? 'bench-mttcg' : 'bench-peer', 1);
    }
  }
  const first = eta.estimate();
  o.onProgress(
    `to run: ${tortureLeft} torture run(s) (${tortureDone} already in ${o.tortureFile}) and ${benchTotal} benchmark point(s); ` +
      `first estimate ${fmtSeconds(first.ms)} (a guess per process until some have run)`,
  );

  let ran = 0;
  let saved = { torture: tortureDone, bench: have.size };
  await runTortureMatrix(o.profile.torture, {
    out: o.tortureFile,
    resume: true,
    host,
    ...(sweep ? { sweep } : {}),
    onNote: (m) => o.onProgress(`torture: ${m}`),
    onProgress: (p) => {
      if (p.resumed) return;
      ran++;
      eta.done(p.result.column.startsWith('qemu-arm') ? 'torture-qemu' : 'torture-mttcg', p.result.ms);
      saved = { ...saved, torture: saved.torture + 1 };
      o.onSaved?.(saved);
      o.onProgress(tortureLine(p, eta.estimate()));
    },
  });

  let benchIndex = 0;
  for (const [i, plan] of plans.entries()) {
    for (const n of plan.notes) notes.push(`Benchmarks: ${n}.`);
    let started = Date.now();
    await runBench(plan, {
      out: o.resultsFile,
      resume: true,
      host,
      ...(sweep ? { sweep } : {}),
      onNote: (m) => o.onProgress(`bench ${i + 1}/${plans.length}: ${m}`),
      onProgress: (p: BenchProgress) => {
        if (p.phase === 'start') started = Date.now();
        if (p.phase === 'calibrate') {
          eta.extra(p.point.peer === 'mttcg' ? 'bench-mttcg' : 'bench-peer', Date.now() - started);
          started = Date.now();
        }
        if (p.phase !== 'done' || !p.record) return;
        ran++;
        benchIndex++;
        eta.done(p.point.peer === 'mttcg' ? 'bench-mttcg' : 'bench-peer', Date.now() - started);
        saved = { ...saved, bench: saved.bench + 1 };
        o.onSaved?.(saved);
        o.onProgress(benchLine(p.record, benchIndex, benchTotal, eta.estimate()));
      },
    });
  }
  return ran;
}

export async function collectResults(o: CollectOptions): Promise<ReportInputs> {
  const started = Date.now();
  const notes: string[] = [];
  const here = hostInfo();
  const ran = o.renderOnly ? 0 : await measureMissing(o, here, notes);
  const bench = readBenchFile(o.resultsFile);
  if (bench.badLines.length) notes.push(`Benchmark results: ${bench.badLines.length} unreadable line(s) skipped (an interrupted run leaves one).`);
  const torture = readTortureRuns(o.tortureFile);
  if (torture.badLines.length) notes.push(`Torture runs: ${torture.badLines.length} unreadable line(s) skipped.`);
  const chosen = chooseHost(bench.records, torture.records, o.hostWanted ?? null, here, notes);
  const records = bench.records.filter((r) => hostKindOf(r.host) === chosen.hostKind);
  const runs = torture.records.filter((r) => hostKindOf(r.host) === chosen.hostKind);
  return {
    profile: o.profile.name,
    created: new Date().toISOString(),
    sweepHeaders: uniqueHeaders([...readSweepHeaders(o.resultsFile), ...readSweepHeaders(o.tortureFile)]),
    host: chosen.host,
    torture: matrixFromRuns(runs, o.profile, notes),
    tortureRuns: runs,
    bench: records,
    strategiesBuilt: o.strategiesBuilt,
    collectMs: ran > 0 ? Date.now() - started : 0,
    notes,
  };
}
