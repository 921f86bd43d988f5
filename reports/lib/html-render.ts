// The report as one self-contained HTML page: inline CSS, the Chart.js UMD
// bundle inline, chart configs as escaped JSON, every text escaped. Opens
// from disk with no network.

import { chartJsBundle } from './chart-bundle.js';
import { installChartRuntime } from './chart-runtime.js';
import type { Block, Inline, ReportDocument, TableCell } from './document-model.js';
import { escapeHtml, jsonForScript, safeHref } from './html-escape.js';
import { DRAW_AND_CHECK_SCRIPT, ERROR_TRAP_SCRIPT } from './html-page-scripts.js';

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 78rem; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; } h3 { font-size: 1.05rem; margin-top: 1.6rem; }
.table-wrap { overflow-x: auto; margin: .6rem 0 1rem; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { border: 1px solid #d0d0d0; padding: .25rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; max-width: 40rem; }
th { background: #f3f3f3; }
td.good { background: #dff3df; } td.info { background: #e3edf9; } td.bad { background: #f9d6d5; font-weight: 600; }
td.warn { background: #fff0c2; } td.muted { color: #888; } td.grey { color: #999; font-style: italic; }
canvas { display: block; margin: .8rem 0; border: 1px solid #eee; max-width: 100%; }
code { background: #f3f3f3; padding: 0 .2rem; }
nav a { margin-right: .8rem; }
#render-check { display: block; margin-top: 2rem; color: #555; font-size: .85rem; }
`;

const NAV: readonly [string, string][] = [
  ['setup', 'Setup'], ['claims', 'Claims'], ['evidence', 'Evidence'], ['torture', 'Correctness'], ['throughput', 'Throughput'],
  ['cost', 'Non-atomic cost'], ['counters', 'Counters'], ['raw', 'Raw data'],
];

function inline(part: Inline): string {
  if (typeof part === 'string') return escapeHtml(part);
  if ('href' in part) {
    const href = safeHref(part.href);
    return href === null ? escapeHtml(part.text) : `<a href="${escapeHtml(href)}">${escapeHtml(part.text)}</a>`;
  }
  if ('code' in part) return `<code>${escapeHtml(part.code)}</code>`;
  return `<strong>${escapeHtml(part.strong)}</strong>`;
}

function td(c: TableCell): string {
  const cls = c.tone ? ` class="${c.tone}"` : '';
  const title = c.title ? ` title="${escapeHtml(c.title)}"` : '';
  return `<td${cls}${title}>${escapeHtml(c.text)}</td>`;
}

function elementId(id: string): string {
  return escapeHtml(id.replace(/[^A-Za-z0-9_-]/g, '-'));
}

function block(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level} id="${elementId(b.id)}">${escapeHtml(b.text)}</h${b.level}>`;
    case 'paragraph':
      return `<p>${b.parts.map(inline).join('')}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${i.map(inline).join('')}</li>`).join('')}</ul>`;
    case 'table': {
      const head = b.head.some((h) => h !== '') ? `<thead><tr>${b.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>` : '';
      return `<div class="table-wrap"><table>${head}<tbody>${b.rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('\n')}</tbody></table></div>`;
    }
    case 'chart':
      return `<canvas id="chart-${elementId(b.chart.id)}" width="${b.chart.width}" height="${b.chart.height}" role="img" aria-label="${escapeHtml(b.chart.alt)}"></canvas>`;
  }
}

export function renderHtml(doc: ReportDocument): string {
  const charts = doc.blocks.flatMap((b) => (b.kind === 'chart' ? [{ id: b.chart.id.replace(/[^A-Za-z0-9_-]/g, '-'), config: b.chart.config }] : []));
  const bundle = chartJsBundle();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${STYLE}</style>
<script>${ERROR_TRAP_SCRIPT}</script>
</head>
<body>
<nav>${NAV.map(([id, text]) => `<a href="#${id}">${escapeHtml(text)}</a>`).join('')}</nav>
${doc.blocks.map(block).join('\n')}
<output id="render-check" data-status="pending">Chart self-check: not run (scripts disabled?).</output>
<pre id="render-check-json" hidden></pre>
<script type="application/json" id="chart-data">${jsonForScript(charts)}</script>
<!-- Chart.js ${escapeHtml(bundle.version)} (MIT License, https://www.chartjs.org), inlined so the page works offline -->
<script>${bundle.source}</script>
<script>(${installChartRuntime.toString()})(Chart);</script>
<script>${DRAW_AND_CHECK_SCRIPT}</script>
</body>
</html>
`;
}
