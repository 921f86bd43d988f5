// Chart.js configurations for the report's charts, as plain JSON (no
// functions), so the same object is embedded in the HTML page and drawn in
// Node for the PNGs. Animation and responsiveness are off: a chart is drawn
// once, at a fixed size, which is what a file and a pixel check need.

import type { ChartConfiguration } from 'chart.js';
import { measuredPoint, type BenchView } from './bench-view.js';

export interface ChartSpec {
  /** File-name-safe id: the PNG is charts/<id>.png, the canvas id is chart-<id>. */
  readonly id: string;
  readonly title: string;
  /** What the chart shows, in words (alt text and the Markdown caption). */
  readonly alt: string;
  readonly width: number;
  readonly height: number;
  readonly config: ChartConfiguration;
}

export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 400;

/** Strategies first in the order of the debate, then the peers. */
const SERIES_ORDER = ['unsafe', 'stop-the-world', 'cmpxchg', 'aie', 'tlbexcl', 'qemu-arm', 'native'];
const COLOURS: Readonly<Record<string, string>> = {
  unsafe: '#8c8c8c',
  'stop-the-world': '#d62728',
  cmpxchg: '#1f77b4',
  aie: '#2ca02c',
  tlbexcl: '#ff7f0e',
  'qemu-arm': '#9467bd',
  native: '#222222',
};
const SPARE_COLOURS = ['#17becf', '#bcbd22', '#e377c2', '#8c564b', '#7f7f7f'];

export function seriesOrder(keys: Iterable<string>): string[] {
  const rank = (k: string): number => {
    const i = SERIES_ORDER.indexOf(k);
    return i < 0 ? SERIES_ORDER.length : i;
  };
  return [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function colourOf(key: string, index: number): string {
  return COLOURS[key] ?? SPARE_COLOURS[index % SPARE_COLOURS.length]!;
}

/** A file-name and element-id safe slug. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'chart';
}

function vcpuLabel(n: number, cores: number): string {
  return n > cores ? `${n}*` : String(n);
}

const BASE_OPTIONS = { animation: false, responsive: false, maintainAspectRatio: false } as const;

/** Throughput against vCPUs for one workload: a line per strategy and per peer, medians, log scale. */
export function throughputChart(view: BenchView, workload: string, cores: number): ChartSpec {
  const counts = [...new Set(view.series.filter((s) => s.workload === workload).flatMap((s) => s.points.map((p) => p.vcpus)))].sort((a, b) => a - b);
  const keys = seriesOrder(view.series.filter((s) => s.workload === workload).map((s) => s.key));
  const datasets = keys.map((key, i) => {
    const peer = key === 'qemu-arm' || key === 'native';
    const c = colourOf(key, i);
    return {
      label: peer ? key : `mttcg ${key}`,
      data: counts.map((n) => measuredPoint(view, workload, key, n)?.median ?? null),
      borderColor: c,
      backgroundColor: c,
      borderDash: peer ? [6, 4] : [],
      borderWidth: 2,
      pointRadius: 3,
      spanGaps: true,
      tension: 0,
    };
  });
  const over = counts.some((n) => n > cores);
  return {
    id: `throughput-${slug(workload)}`,
    title: `${workload}: throughput against vCPUs`,
    alt: `Line chart: ${workload}, operations per second (median, log scale) at ${counts.join(', ')} vCPUs for ${keys.join(', ')}.`,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: {
      type: 'line',
      data: { labels: counts.map((n) => vcpuLabel(n, cores)), datasets },
      options: {
        ...BASE_OPTIONS,
        scales: {
          x: { title: { display: true, text: 'vCPUs (guest threads)' } },
          y: { type: 'logarithmic', title: { display: true, text: 'ops/s, median (log scale)' } },
        },
        plugins: {
          title: { display: true, text: `${workload}: throughput against vCPUs` },
          subtitle: { display: over, text: `* more vCPUs than the host's ${cores} cores: oversubscribed` },
          legend: { position: 'bottom' },
        },
      },
    },
  };
}

export interface CostBar {
  readonly category: string;
  /** Strategy -> throughput relative to the baseline (null: not measured). */
  readonly relative: Readonly<Record<string, number | null>>;
}

/** What each strategy costs non-atomic code: throughput relative to the baseline strategy, per workload and vCPU count. */
export function nonAtomicCostBars(view: BenchView, workloads: readonly string[], baseline: string, cores: number): CostBar[] {
  const bars: CostBar[] = [];
  for (const w of workloads) {
    const base = view.series.find((s) => s.workload === w && s.key === baseline);
    for (const p of base?.points ?? []) {
      if (p.n === 0 || p.vcpus > cores) continue;
      const relative: Record<string, number | null> = {};
      for (const k of view.strategies) {
        const q = measuredPoint(view, w, k, p.vcpus);
        relative[k] = q ? q.median / p.median : null;
      }
      // the run count says how far to trust a bar: single runs on a busy host can be off by 2x
      bars.push({ category: `${w} @${p.vcpus} (${p.n} run${p.n > 1 ? 's' : ''})`, relative });
    }
  }
  return bars;
}

export function nonAtomicCostChart(bars: readonly CostBar[], strategies: readonly string[], baseline: string): ChartSpec {
  const keys = seriesOrder(strategies);
  return {
    id: 'non-atomic-cost',
    title: 'What each strategy costs non-atomic code',
    alt: `Bar chart: throughput of each strategy relative to ${baseline} on the non-atomic workloads (${bars.map((b) => b.category).join(', ')}).`,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: {
      type: 'bar',
      data: {
        labels: bars.map((b) => b.category),
        datasets: keys.map((k, i) => ({
          label: k,
          data: bars.map((b) => b.relative[k] ?? null),
          backgroundColor: colourOf(k, i),
          borderColor: colourOf(k, i),
        })),
      },
      options: {
        ...BASE_OPTIONS,
        scales: {
          x: { title: { display: true, text: 'workload @ vCPUs' } },
          y: { beginAtZero: true, title: { display: true, text: `throughput relative to ${baseline} (1 = same)` } },
        },
        plugins: {
          title: { display: true, text: 'Non-atomic code: throughput relative to ' + baseline },
          legend: { position: 'bottom' },
        },
      },
    },
  };
}
