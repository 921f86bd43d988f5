// Writes a report directory: index.html (self-contained), README.md with
// charts/*.png, and data/ with the raw inputs and the derived summary.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BOOTSTRAP_RESAMPLES, CONFIDENCE } from '../../bench/runner/bootstrap.js';
import { MIN_EVIDENCE_RUNS } from '../../bench/runner/bench-stats.js';
import { MIN_CPU_SHARE, MIN_OVERLAP } from '../../bench/runner/run-evidence.js';
import { buildBenchView, type SeriesPoint } from './bench-view.js';
import { classifyWorkload, counterRows } from './counter-metrics.js';
import { chartsOf } from './document-model.js';
import { renderHtml } from './html-render.js';
import { chartPngPath, renderMarkdown } from './markdown-render.js';
import { renderChartPng } from './png-render.js';
import { buildReport, RAW_FILES } from './report-document.js';
import type { ReportInputs } from './report-inputs.js';

export const HTML_FILE = 'index.html';
export const MARKDOWN_FILE = 'README.md';

export interface WrittenReport {
  readonly dir: string;
  /** Paths relative to dir. */
  readonly files: readonly string[];
}

function write(dir: string, rel: string, data: string | Buffer, files: string[]): void {
  const path = join(dir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  files.push(rel);
}

/** One point of the derived view: figures, interval, evidence and ratios (the records stay in results.jsonl). */
function pointJson(p: SeriesPoint): Record<string, unknown> {
  const s = p.stats;
  return {
    vcpus: p.vcpus,
    runs: p.n,
    evidenceRuns: p.evidenceRuns,
    evidence: p.evidence,
    median: Number.isFinite(p.median) ? p.median : null,
    min: Number.isFinite(p.min) ? p.min : null,
    max: Number.isFinite(p.max) ? p.max : null,
    interval: p.interval,
    cpuShare: p.cpuShare,
    overlap: p.overlap,
    failuresPerOp: p.failuresPerOp,
    threadCpuNs: s.used.map((r) => r.evidence?.threadCpuNs ?? null),
    notEvidence: s.notEvidence,
    notEvidenceReasons: p.notEvidenceReasons,
    failed: p.failed,
    errors: p.errors,
    speedup: s.speedup,
    vsQemu: s.vsQemu,
    countersPerOp: p.countersPerOp,
  };
}

/** The derived view as JSON: what the verdicts and charts were computed from, for readers who want numbers, not pictures. */
function summaryJson(inputs: ReportInputs, claims: ReturnType<typeof buildReport>['claims']): string {
  const view = buildBenchView(inputs.bench);
  return `${JSON.stringify({
    kind: 'mttcg-report',
    version: 2,
    statistics: {
      bootstrapResamples: BOOTSTRAP_RESAMPLES,
      confidence: CONFIDENCE,
      seed: 'FNV-1a of each point\'s identity (host, workload, series, vCPUs, metric); the same data gives the same intervals',
      minEvidenceRuns: MIN_EVIDENCE_RUNS,
      minCpuShare: MIN_CPU_SHARE,
      minOverlap: MIN_OVERLAP,
    },
    profile: inputs.profile,
    created: inputs.created,
    host: inputs.host,
    strategiesBuilt: inputs.strategiesBuilt,
    collectMs: inputs.collectMs,
    notes: inputs.notes,
    claims,
    workloads: view.workloads.map((w) => ({ name: w, class: classifyWorkload(view, w) })),
    series: view.series.map((x) => ({ workload: x.workload, peer: x.peer, key: x.key, points: x.points.map(pointJson) })),
    counters: counterRows(view),
    torture: inputs.torture
      ? {
        profile: inputs.torture.profile, repeats: inputs.torture.repeats ?? 1, brokenClaims: inputs.torture.brokenClaims, unexpectedPasses: inputs.torture.unexpectedPasses,
        cells: inputs.torture.cells.map((c) => ({ case: c.case, column: c.column, predicted: c.predicted, observed: c.observed, cell: c.cell, runs: c.runs ?? 1, failedRuns: c.failedRuns ?? (c.observed === 'fail' ? 1 : 0), exercisedRuns: c.exercisedRuns ?? null })),
      }
      : null,
  }, null, 2)}\n`;
}

/** The files the inputs were read from: when one is the report's own data file it is left as it is (it may hold other hosts' records too). */
export interface ReportSources {
  readonly bench?: string;
  readonly tortureRuns?: string;
}

function jsonLines(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : '');
}

/** A data file the report writes: its records, headed by the sweep plans they belong to (so `mttcg report --from DIR/data` merges it again). */
function dataFile(inputs: ReportInputs, records: readonly unknown[]): string {
  return jsonLines([...(records.length ? inputs.sweepHeaders ?? [] : []), ...records]);
}

export async function writeReport(
  inputs: ReportInputs, profileText: string, dir: string, onProgress: (line: string) => void = () => {}, sources: ReportSources = {},
): Promise<WrittenReport> {
  const files: string[] = [];
  const { doc, claims } = buildReport(inputs, profileText);
  mkdirSync(dir, { recursive: true });
  const isSource = (rel: string, source: string | undefined): boolean => source !== undefined && resolve(source) === resolve(join(dir, rel));
  if (isSource(RAW_FILES.bench, sources.bench)) files.push(RAW_FILES.bench);
  else write(dir, RAW_FILES.bench, dataFile(inputs, inputs.bench), files);
  if (isSource(RAW_FILES.tortureRuns, sources.tortureRuns)) files.push(RAW_FILES.tortureRuns);
  else if (inputs.tortureRuns?.length) write(dir, RAW_FILES.tortureRuns, dataFile(inputs, inputs.tortureRuns), files);
  if (inputs.torture) write(dir, RAW_FILES.torture, `${JSON.stringify(inputs.torture, null, 2)}\n`, files);
  write(dir, RAW_FILES.summary, summaryJson(inputs, claims), files);
  const charts = chartsOf(doc);
  for (const [i, chart] of charts.entries()) {
    onProgress(`drawing chart ${i + 1}/${charts.length}: ${chart.id}`);
    write(dir, chartPngPath(chart.id), await renderChartPng(chart), files);
  }
  write(dir, HTML_FILE, renderHtml(doc), files);
  write(dir, MARKDOWN_FILE, renderMarkdown(doc, HTML_FILE), files);
  return { dir, files };
}
