// Gathers a report's inputs, running only what is missing: the torture
// matrix unless a matching one sits beside the results file, and every
// benchmark point the profile plans that the results file does not already
// hold (runBench's resume: an interrupted report carries on where it
// stopped). Progress goes to onProgress, one line per finished run.

import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { planBench } from '../../bench/runner/bench-plan.js';
import type { BenchProgress } from '../../bench/runner/run-bench.js';
import { runBench } from '../../bench/runner/run-bench.js';
import { hostInfo, type HostInfo } from '../../src/host/host-info.js';
import { parseStrategySpec } from '../../src/torture/strategy-spec.js';
import { runTortureMatrix, type TortureProgress } from '../../src/torture/run-matrix.js';
import type { TortureMatrix } from './input-types.js';
import { fmtSeconds, fmtSi } from './number-format.js';
import { readBenchFile, readTortureFile, type ReportInputs } from './report-inputs.js';
import type { ReportProfileSpec } from './report-profiles.js';

export interface CollectOptions {
  readonly profile: ReportProfileSpec;
  /** Benchmark records (JSON Lines): read, and extended with the missing points. */
  readonly resultsFile: string;
  /** The torture matrix belonging to those results. */
  readonly tortureFile: string;
  /** Strategies registered in this build. */
  readonly strategiesBuilt: readonly string[];
  /** Only read what is there; run nothing. */
  readonly renderOnly: boolean;
  readonly onProgress: (line: string) => void;
}

/** The torture file that belongs to a results file: results.jsonl -> results.torture.json. */
export function tortureFileFor(resultsFile: string): string {
  return `${resultsFile.replace(/\.jsonl$/, '')}.torture.json`;
}

/** Whether an existing matrix answers the profile's request: same or fuller profile, every requested column present. */
export function matrixCovers(m: TortureMatrix, profile: ReportProfileSpec): string | null {
  const req = profile.torture;
  if (req.profile === 'full' && m.profile !== 'full') return `it is a ${m.profile} matrix and the full profile asks for full`;
  const missingCase = (req.cases ?? []).find((c) => !m.cases.includes(c));
  if (missingCase) return `it has no ${missingCase} case`;
  const labels = new Set(m.columns.map((c) => c.label));
  const specs = (req.specs ?? []).map((s) => parseStrategySpec(s).text);
  for (const t of req.threads ?? [2]) {
    for (const s of specs) if (!labels.has(`${s}@${t}`)) return `it has no ${s}@${t} column`;
  }
  return null;
}

function tortureLine(p: TortureProgress): string {
  const r = p.result;
  const detail = r.reason ? ` (${r.reason})` : '';
  return `[torture ${p.index}/${p.total}] ${r.column} ${r.case}: ${r.cell}${detail}${r.ms ? `, ${fmtSeconds(r.ms)}` : ''}`;
}

function benchLine(p: BenchProgress, stage: number, stages: number): string | null {
  if (p.phase !== 'done' || !p.record) return null;
  const r = p.record;
  const what = `${r.workload} ${r.peer === 'mttcg' ? `mttcg ${r.strategy}` : r.peer} @${r.vcpus}`;
  const result = r.ok ? `${fmtSi(r.opsPerSec)} ops/s` : `failed: ${r.error ?? 'no measurement'}`;
  const eta = p.etaMs !== null ? `, about ${fmtSeconds(p.etaMs)} left in this plan` : '';
  return `[bench${stages > 1 ? ` ${stage}/${stages}` : ''} ${p.done}/${p.total}] ${what}: ${result}${eta}`;
}

/** The matrix to show, and whether it was run now. */
async function collectTorture(o: CollectOptions, notes: string[]): Promise<{ matrix: TortureMatrix | null; ran: boolean }> {
  const existing = readTortureFile(o.tortureFile);
  if (existing) {
    const why = matrixCovers(existing, o.profile);
    if (why === null) {
      notes.push(`Torture matrix reused from an earlier run (${existing.created}).`);
      return { matrix: existing, ran: false };
    }
    if (o.renderOnly) {
      notes.push(`Torture matrix from an earlier run shown although ${why}.`);
      return { matrix: existing, ran: false };
    }
    o.onProgress(`torture: the matrix in ${o.tortureFile} does not fit (${why}); running it again`);
  }
  if (o.renderOnly) return { matrix: null, ran: false };
  o.onProgress('torture: running the matrix');
  const m = await runTortureMatrix(o.profile.torture, (p) => o.onProgress(tortureLine(p)));
  writeFileSync(o.tortureFile, `${JSON.stringify(m, null, 1)}\n`);
  o.onProgress(`torture: ${m.cells.length} cells, ${m.brokenClaims} broken claim(s), ${m.unexpectedPasses} unexpected pass(es); written to ${o.tortureFile}`);
  return { matrix: m, ran: true };
}

/** Runs the plans; returns how many points were measured (not resumed). */
async function collectBench(o: CollectOptions, notes: string[]): Promise<number> {
  let measured = 0;
  const stages = o.profile.bench.length;
  for (const [i, options] of o.profile.bench.entries()) {
    const plan = planBench(options);
    for (const n of plan.notes) notes.push(`Benchmarks: ${n}.`);
    o.onProgress(`bench ${i + 1}/${stages}: ${plan.points.length} points planned (${plan.workloads.map((w) => w.name).join(', ')} at ${plan.vcpus.join(', ')} vCPUs); points already in ${o.resultsFile} are kept`);
    await runBench(plan, {
      out: o.resultsFile,
      resume: true,
      onProgress: (p) => {
        if (p.phase === 'done') measured++;
        const line = benchLine(p, i + 1, stages);
        if (line) o.onProgress(line);
      },
      onNote: (m) => o.onProgress(`bench: ${m}`),
    });
  }
  return measured;
}

/** The host a report describes: the one its results were measured on, if they say so. */
function resultsHost(bench: ReportInputs['bench'], torture: TortureMatrix | null, notes: string[]): HostInfo {
  const hosts = [...bench.map((r) => r.host), ...(torture ? [torture.host] : [])];
  const first = hosts[0];
  if (!first) return hostInfo();
  if (hosts.some((h) => h.cpuModel !== first.cpuModel || h.cores !== first.cores)) {
    notes.push('The results come from more than one machine; the setup table describes the first.');
  }
  return first;
}

/**
 * The 1-minute load average in words: other jobs on the host slow every
 * point down and add noise. Only the value before the first run says
 * anything about other jobs; the one at the end includes this report's own.
 */
function loadNote(when: 'start' | 'end'): string {
  const one = loadavg()[0]!;
  const cores = cpus().length;
  if (when === 'end') return `Load average (1 min) when measuring ended: ${one.toFixed(1)} (this report's own runs included).`;
  const busy = one > cores * 0.5 ? ': other jobs were running, so the throughput figures are lower and noisier than on an idle host' : '';
  return `Load average (1 min) when measuring started: ${one.toFixed(1)} on ${cores} cores${busy}.`;
}

export async function collectResults(o: CollectOptions): Promise<ReportInputs> {
  const started = Date.now();
  const notes: string[] = [];
  const loadBefore = loadNote('start');
  const { matrix: torture, ran: tortureRan } = await collectTorture(o, notes);
  const measured = o.renderOnly ? 0 : await collectBench(o, notes);
  const { records, badLines } = readBenchFile(o.resultsFile);
  if (badLines.length) notes.push(`Benchmark results: ${badLines.length} unreadable line(s) skipped (an interrupted run leaves one).`);
  // "after N minutes of measuring" only when something was measured for this report
  const ran = measured > 0 || tortureRan ? Date.now() - started : 0;
  if (ran > 0) notes.push(loadBefore, loadNote('end'));
  return {
    profile: o.profile.name,
    created: new Date().toISOString(),
    host: resultsHost(records, torture, notes),
    torture,
    bench: records,
    strategiesBuilt: o.strategiesBuilt,
    collectMs: ran,
    notes,
  };
}
