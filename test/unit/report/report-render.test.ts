// The report's renderers on the hand-written fixture: PNG charts have ink,
// the HTML page is self-contained and escapes every embedded string, the
// Markdown escapes too, and a report directory holds what docs/reports.md
// promises. No measurement runs here.

import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import t from 'tap';
import { buildBenchView } from '../../../reports/lib/bench-view.js';
import { throughputChart, type ChartSpec } from '../../../reports/lib/chart-specs.js';
import { tortureFileFor } from '../../../reports/lib/collect-results.js';
import { jsonForScript, safeHref } from '../../../reports/lib/html-escape.js';
import { renderHtml } from '../../../reports/lib/html-render.js';
import { renderMarkdown } from '../../../reports/lib/markdown-render.js';
import { renderChartPng } from '../../../reports/lib/png-render.js';
import { buildReport } from '../../../reports/lib/report-document.js';
import { readBenchFile } from '../../../reports/lib/report-inputs.js';
import { writeReport } from '../../../reports/lib/write-report.js';
import { appendRecord } from '../../../bench/runner/bench-record.js';
import { fixtureInputs } from '../../helpers/report-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'mttcg-report-render-'));

/** Pixels that are not (near) white: what a drawn chart has and a blank one lacks. */
async function inkPixels(png: Buffer): Promise<{ ink: number; width: number; height: number }> {
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const px = ctx.getImageData(0, 0, img.width, img.height).data;
  let ink = 0;
  for (let i = 0; i < px.length; i += 4) if (px[i + 3]! > 0 && (px[i]! < 240 || px[i + 1]! < 240 || px[i + 2]! < 240)) ink++;
  return { ink, width: img.width, height: img.height };
}

t.test('PNG charts are drawn, blank ones are told apart', async (t) => {
  const inputs = fixtureInputs();
  const spec = throughputChart(buildBenchView(inputs.bench), 'atomic-add-1', 2);
  const png = await renderChartPng(spec);
  t.same([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  const drawn = await inkPixels(png);
  t.same([drawn.width, drawn.height], [spec.width, spec.height], 'at the spec size (device pixel ratio 1)');
  t.ok(drawn.ink > 2000, `lines, axes and labels drawn (${drawn.ink} ink pixels)`);
  const blank: ChartSpec = {
    ...spec,
    id: 'blank',
    config: {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: { animation: false, responsive: false, scales: { x: { display: false }, y: { display: false } }, plugins: { legend: { display: false }, title: { display: false } } },
    },
  };
  const empty = await inkPixels(await renderChartPng(blank));
  t.ok(empty.ink < 50, `a chart with nothing to draw has (almost) no ink (${empty.ink}), so the check above can fail`);
});

t.test('HTML and Markdown escape what they embed', async (t) => {
  const evilName = '<img src=x onerror=alert(1)>';
  const evilError = '</script><script>alert(2)</script>';
  const base = fixtureInputs();
  const bench = base.bench.map((r) => (r.workload === 'atomic-add-1' ? { ...r, workload: evilName, error: r.ok ? null : evilError } : r));
  bench.push({ ...bench[0]!, ok: false, opsPerSec: 0, error: evilError, repeat: 9 });
  const { doc } = buildReport({ ...base, bench, notes: [`note ${evilError}`] }, 'quick <b>x</b>');
  const html = renderHtml(doc);
  t.notOk(html.includes(evilName), 'the raw workload name never appears');
  t.notOk(html.includes('<script>alert(2)'), 'the raw error never appears');
  t.notOk(html.includes('<b>x</b>'), 'the profile text is escaped');
  t.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the name appears escaped');
  const scripts = html.match(/<script\b/g) ?? [];
  t.equal(scripts.length, 5, 'exactly the page\'s own scripts: error trap, chart data, Chart.js, the chart runtime, drawing');
  const data = /<script type="application\/json" id="chart-data">([\s\S]*?)<\/script>/.exec(html);
  t.ok(data, 'chart data element found');
  t.notMatch(data![1]!, /[<>]/, 'the chart JSON has no raw angle brackets');
  t.ok((JSON.parse(data![1]!) as { id: string }[]).length >= 2, 'and parses back');
  const md = renderMarkdown(doc, 'index.html');
  t.notOk(md.includes(evilName), 'Markdown escapes the name');
  t.ok(md.includes('\\<img src=x onerror=alert(1)\\>'), 'with backslashes');
  // every row of a Markdown table has as many unescaped pipes as its header: no cell text broke out
  const tables = md.split(/\n(?!\|)/).map((chunk) => chunk.split('\n').filter((l) => l.startsWith('|')));
  for (const rows of tables.filter((r) => r.length > 0)) {
    const pipes = rows.map((l) => l.replace(/\\\|/g, '').split('|').length);
    t.same(new Set(pipes).size, 1, `table starting '${rows[0]!.slice(0, 40)}': ${rows.length} rows of equal width`);
  }
});

t.test('escape helpers', async (t) => {
  t.equal(jsonForScript({ a: '</script><!--' }), '{"a":"\\u003c/script\\u003e\\u003c!--"}');
  t.equal(JSON.parse(jsonForScript({ a: '</script>\u2028&' })).a, '</script>\u2028&', 'round-trips');
  t.equal(safeHref('javascript:alert(1)'), null);
  t.equal(safeHref('data/results.jsonl'), 'data/results.jsonl');
  t.equal(safeHref('https://example.org/x'), 'https://example.org/x');
});

t.test('a report directory from the fixture', async (t) => {
  const dir = join(tmp, 'report');
  const w = await writeReport(fixtureInputs(), 'quick (fixture)', dir);
  for (const f of ['index.html', 'README.md', 'data/results.jsonl', 'data/results.torture.jsonl', 'data/results.torture.json', 'data/report.json', 'charts/throughput-atomic-add-1.png', 'charts/speedup-atomic-add-1.png', 'charts/non-atomic-cost.png']) {
    t.ok(w.files.includes(f) && existsSync(join(dir, f)), `${f} written`);
  }
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  t.notMatch(html, /<(script|img|link)[^>]+(src|href)=["']?https?:/i, 'nothing loaded from the network');
  t.match(html, /Chart\.js v4/, 'Chart.js is inline');
  const md = readFileSync(join(dir, 'README.md'), 'utf8');
  for (const m of md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) t.ok(existsSync(join(dir, m[1]!)), `Markdown image ${m[1]} exists`);
  t.match(md, /This machine has 2 cores, so anything past 2 vCPUs is oversubscription/);
  const summary = JSON.parse(readFileSync(join(dir, 'data/report.json'), 'utf8')) as {
    claims: { id: string; verdict: string; stability: unknown }[];
    series: { workload: string; key: string; points: { vcpus: number; runs: number; evidenceRuns: number; interval: unknown; cpuShare: number; overlap: number | null; threadCpuNs: unknown[] }[] }[];
  };
  t.equal(summary.claims.length, 5, 'the summary carries the claims with their verdicts');
  t.ok(summary.claims.every((c) => 'stability' in c), 'and their stability');
  const p = summary.series.find((s) => s.workload === 'atomic-add-1' && s.key === 'cmpxchg')!.points.find((x) => x.vcpus === 2)!;
  t.equal(p.runs, 3, 'each point carries its repeat count');
  t.equal(p.evidenceRuns, 3);
  t.ok(p.interval, 'its interval');
  t.ok(Math.abs(p.cpuShare - 0.95) < 1e-6, 'its CPU share');
  t.ok(p.overlap! > 0.9, 'its overlap');
  t.equal(p.threadCpuNs.length, 3, 'and each run\'s per-thread CPU time');
  t.match(md, /\*\*\d+ of \d+ points are evidence\.\*\*/, 'the evidence section counts the points');
  t.match(md, /not evidence: no contention/, 'and names why a point is not evidence (unsafe never lost a race)');
  t.match(md, /0 of 3 runs failed \(may fail\)/, 'may-fail torture cells say k of N runs failed');
  const copy = readBenchFile(join(dir, 'data/results.jsonl'));
  t.equal(copy.records.length, fixtureInputs().bench.length, 'the raw records are copied whole');
});

t.test('results files: a line cut short is skipped and reported', async (t) => {
  const f = join(tmp, 'cut.jsonl');
  const records = fixtureInputs().bench;
  for (const r of records) appendRecord(f, r);
  writeFileSync(f, `${readFileSync(f, 'utf8')}{"kind":"bench","vers`);
  const r = readBenchFile(f);
  t.equal(r.records.length, records.length);
  t.same(r.badLines, [records.length + 1]);
  t.equal(tortureFileFor('/x/results.jsonl'), '/x/results.torture.jsonl');
});
