// Writes a report directory: index.html (self-contained), README.md with
// charts/*.png, and data/ with the raw inputs and the derived summary.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildBenchView } from './bench-view.js';
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

/** The derived view as JSON: what the verdicts and charts were computed from, for readers who want numbers, not pictures. */
function summaryJson(inputs: ReportInputs, claims: ReturnType<typeof buildReport>['claims']): string {
  const view = buildBenchView(inputs.bench);
  return `${JSON.stringify({
    kind: 'mttcg-report',
    version: 1,
    profile: inputs.profile,
    created: inputs.created,
    host: inputs.host,
    strategiesBuilt: inputs.strategiesBuilt,
    collectMs: inputs.collectMs,
    notes: inputs.notes,
    claims,
    workloads: view.workloads.map((w) => ({ name: w, class: classifyWorkload(view, w) })),
    series: view.series,
    counters: counterRows(view),
    torture: inputs.torture
      ? { profile: inputs.torture.profile, brokenClaims: inputs.torture.brokenClaims, unexpectedPasses: inputs.torture.unexpectedPasses }
      : null,
  }, null, 2)}\n`;
}

export async function writeReport(inputs: ReportInputs, profileText: string, dir: string, onProgress: (line: string) => void = () => {}): Promise<WrittenReport> {
  const files: string[] = [];
  const { doc, claims } = buildReport(inputs, profileText);
  mkdirSync(dir, { recursive: true });
  write(dir, RAW_FILES.bench, inputs.bench.map((r) => JSON.stringify(r)).join('\n') + (inputs.bench.length ? '\n' : ''), files);
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
