// A real browser opens the report: headless chromium (Debian package
// `chromium`, which .ci/run installs) loads index.html from disk, the page's
// own self-check counts drawn pixels on every canvas and collects script
// errors into the DOM, and --dump-dom hands that DOM back. A control page
// with a broken chart and a blank one must fail the same check.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { CHART_HEIGHT, CHART_WIDTH } from '../reports/lib/chart-specs.js';
import { chartsOf, type ReportDocument } from '../reports/lib/document-model.js';
import { renderHtml } from '../reports/lib/html-render.js';
import { buildReport } from '../reports/lib/report-document.js';
import { writeReport } from '../reports/lib/write-report.js';
import { fixtureInputs } from './helpers/report-fixture.js';

const BROWSERS = [process.env.CHROMIUM, 'chromium', 'chromium-browser', 'google-chrome'].filter((b): b is string => Boolean(b));

function findBrowser(): string | null {
  for (const b of BROWSERS) {
    const r = spawnSync(b, ['--version'], { encoding: 'utf8', timeout: 30000 });
    if (r.status === 0) return b;
  }
  return null;
}

interface PageCheck {
  readonly status: string | null;
  readonly charts: number;
  readonly drawn: number;
  readonly detail: { errors: string[]; empty: string[] } | null;
  /** Console messages chromium logged (the page itself logs nothing). */
  readonly console: string[];
}

const tmp = mkdtempSync(join(tmpdir(), 'mttcg-report-browser-'));

function openInBrowser(browser: string, htmlFile: string): PageCheck {
  const r = spawnSync(browser, [
    '--headless', '--disable-gpu', '--no-sandbox', '--no-first-run', '--disable-extensions',
    `--user-data-dir=${mkdtempSync(join(tmp, 'profile-'))}`,
    '--enable-logging=stderr', '--v=0', '--virtual-time-budget=10000',
    '--dump-dom', pathToFileURL(htmlFile).href,
  ], { encoding: 'utf8', timeout: 120000, maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`${browser}: ${r.error.message}`);
  const dom = r.stdout;
  const attr = (name: string): string | null => new RegExp(`<output id="render-check"[^>]*\\s${name}="([^"]*)"`).exec(dom)?.[1] ?? null;
  const json = /<pre id="render-check-json"[^>]*>([^<]*)<\/pre>/.exec(dom)?.[1];
  const unescape = (s: string): string => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return {
    status: attr('data-status'),
    charts: Number(attr('data-charts')),
    drawn: Number(attr('data-drawn')),
    detail: json ? (JSON.parse(unescape(json)) as PageCheck['detail']) : null,
    console: r.stderr.split('\n').filter((l) => /:CONSOLE/.test(l)),
  };
}

const browser = findBrowser();

t.test('the fixture report in headless chromium', { skip: browser ? false : `no chromium found (tried ${BROWSERS.join(', ')}); Debian: apt-get install chromium` }, async (t) => {
  const dir = join(tmp, 'report');
  const inputs = fixtureInputs();
  await writeReport(inputs, 'quick (fixture)', dir);
  const expected = chartsOf(buildReport(inputs, 'quick (fixture)').doc).length;
  t.ok(expected >= 3, `the fixture report has ${expected} charts`);
  const page = openInBrowser(browser!, join(dir, 'index.html'));
  t.equal(page.status, 'ok', `self-check passed: ${JSON.stringify(page.detail)}`);
  t.equal(page.charts, expected, 'every chart was found');
  t.equal(page.drawn, expected, 'every canvas has drawn pixels');
  t.same(page.detail?.errors, [], 'no script errors or console.error calls');
  t.same(page.console, [], 'chromium logged no console messages');
});

t.test('the same check fails on a broken page', { skip: browser ? false : 'no chromium' }, async (t) => {
  const base = { width: CHART_WIDTH, height: CHART_HEIGHT, alt: 'control' };
  const doc: ReportDocument = {
    title: 'control page',
    blocks: [
      { kind: 'chart', chart: { ...base, id: 'unknown-type', title: 'x', config: { type: 'no-such-chart-type' as 'line', data: { labels: ['a'], datasets: [{ data: [1] }] } } } },
      {
        kind: 'chart',
        chart: {
          ...base, id: 'blank', title: 'y',
          config: { type: 'line', data: { labels: [], datasets: [] }, options: { animation: false, responsive: false, scales: { x: { display: false }, y: { display: false } }, plugins: { legend: { display: false } } } },
        },
      },
    ],
  };
  const file = join(tmp, 'control.html');
  writeFileSync(file, renderHtml(doc));
  const page = openInBrowser(browser!, file);
  t.equal(page.status, 'failed', 'the self-check reports failure');
  t.ok((page.detail?.errors.length ?? 0) > 0, `the unknown chart type is a script error: ${page.detail?.errors.join(' | ')}`);
  t.ok(page.detail?.empty.some((e) => e.startsWith('blank')), 'the blank canvas is reported empty');
  t.ok(page.console.length > 0, 'and chromium logged the console.error');
});
