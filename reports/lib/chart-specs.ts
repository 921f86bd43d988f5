// Chart.js configurations for the report's charts, as plain JSON (no
// functions), so the same object is embedded in the HTML page and drawn in
// Node for the PNGs; error bars and the log-axis labels come from
// chart-runtime.ts, installed in both. Animation and responsiveness are off:
// a chart is drawn once, at a fixed size, which is what a file and a pixel
// check need.

import type { ChartConfiguration } from 'chart.js';
import { ratioOf } from '../../bench/runner/bench-stats.js';
import { measuredPoint, speedup, type BenchView } from './bench-view.js';

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
/** Markers of points that are not evidence: hollow and grey. */
const NOT_EVIDENCE_COLOUR = '#b0b0b0';
const NOT_EVIDENCE_NOTE = 'bars: 95% intervals; hollow grey markers: not evidence';

function vcpuCounts(view: BenchView, workload: string): number[] {
  return [...new Set(view.series.filter((s) => s.workload === workload).flatMap((s) => s.points.map((p) => p.vcpus)))].sort((a, b) => a - b);
}

interface PointDatum {
  readonly value: number | null;
  readonly interval: readonly [number, number] | null;
  readonly evidence: boolean;
}

/** A line dataset: medians, error bars, and hollow grey markers where a point is not evidence. */
function lineDataset(label: string, colour: string, dashed: boolean, data: readonly PointDatum[]): Record<string, unknown> {
  return {
    label,
    data: data.map((d) => d.value),
    errorBars: data.map((d) => d.interval),
    borderColor: colour,
    backgroundColor: colour,
    pointBackgroundColor: data.map((d) => (d.evidence ? colour : '#ffffff')),
    pointBorderColor: data.map((d) => (d.evidence ? colour : NOT_EVIDENCE_COLOUR)),
    pointRadius: data.map((d) => (d.evidence ? 3 : 4)),
    borderDash: dashed ? [6, 4] : [],
    borderWidth: 2,
    spanGaps: true,
    tension: 0,
  };
}

/** One line per series of a workload (strategies, then peers dashed), a value per vCPU count. */
function workloadLines(view: BenchView, workload: string, datum: (key: string, n: number) => PointDatum): { counts: number[]; keys: string[]; datasets: Record<string, unknown>[] } {
  const counts = vcpuCounts(view, workload);
  const keys = seriesOrder(view.series.filter((s) => s.workload === workload).map((s) => s.key));
  const datasets = keys.map((key, i) => {
    const peer = key === 'qemu-arm' || key === 'native';
    return lineDataset(peer ? key : `mttcg ${key}`, colourOf(key, i), peer, counts.map((n) => datum(key, n)));
  });
  return { counts, keys, datasets };
}

interface LineChartText {
  readonly id: string;
  readonly title: string;
  readonly alt: string;
  readonly subtitle: string;
  readonly y: Record<string, unknown>;
}

function lineChart(text: LineChartText, labels: readonly string[], datasets: readonly Record<string, unknown>[]): ChartSpec {
  return {
    id: text.id,
    title: text.title,
    alt: text.alt,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: {
      type: 'line',
      data: { labels: [...labels], datasets: datasets as never },
      options: {
        ...BASE_OPTIONS,
        scales: { x: { title: { display: true, text: 'vCPUs (guest threads)' } }, y: text.y },
        plugins: {
          title: { display: true, text: text.title },
          subtitle: { display: true, text: text.subtitle },
          legend: { position: 'bottom' },
        },
      },
    },
  };
}

/** Throughput against vCPUs for one workload: a line per strategy and per peer, medians with 95% intervals, log scale. */
export function throughputChart(view: BenchView, workload: string, cores: number): ChartSpec {
  const { counts, keys, datasets } = workloadLines(view, workload, (key, n) => {
    const p = measuredPoint(view, workload, key, n);
    return { value: p?.median ?? null, interval: p?.interval ? [p.interval.lo, p.interval.hi] : null, evidence: p?.evidence ?? true };
  });
  const over = counts.some((n) => n > cores);
  return lineChart({
    id: `throughput-${slug(workload)}`,
    title: `${workload}: throughput against vCPUs`,
    alt: `Line chart: ${workload}, operations per second (median with 95% interval, log scale) at ${counts.join(', ')} vCPUs for ${keys.join(', ')}.`,
    subtitle: `${NOT_EVIDENCE_NOTE}${over ? `; * oversubscribed (${cores} cores)` : ''}`,
    y: { type: 'logarithmic', title: { display: true, text: 'ops/s, median (log scale)' } },
  }, counts.map((n) => vcpuLabel(n, cores)), datasets);
}

/** Speedup over the same series' own 1-vCPU point, with 95% intervals, and the ideal (linear) line. */
export function speedupChart(view: BenchView, workload: string, cores: number): ChartSpec {
  const { counts, keys, datasets } = workloadLines(view, workload, (key, n) => {
    const one = measuredPoint(view, workload, key, 1);
    const p = measuredPoint(view, workload, key, n);
    const r = speedup(view, workload, key, n);
    return { value: r?.value ?? null, interval: r?.interval ? [r.interval.lo, r.interval.hi] : null, evidence: Boolean(p?.evidence && one?.evidence) };
  });
  datasets.push({
    label: 'linear (ideal)', data: counts.map((n) => Math.min(n, cores)), borderColor: '#999999', backgroundColor: '#999999',
    borderDash: [2, 3], borderWidth: 1, pointRadius: 0, spanGaps: true, tension: 0,
  });
  return lineChart({
    id: `speedup-${slug(workload)}`,
    title: `${workload}: speedup over 1 vCPU`,
    alt: `Line chart: ${workload}, throughput at each vCPU count over the same series' 1-vCPU throughput (ratio of medians with 95% interval) for ${keys.join(', ')}, with the linear ideal up to the host's ${cores} cores.`,
    subtitle: `${NOT_EVIDENCE_NOTE}; ideal: linear up to ${cores} cores`,
    y: { beginAtZero: true, title: { display: true, text: 'speedup over 1 vCPU (ratio of medians)' } },
  }, counts.map((n) => vcpuLabel(n, cores)), datasets);
}

export interface CostBar {
  readonly category: string;
  /** Strategy -> throughput relative to the baseline with its interval (null: not measured). */
  readonly relative: Readonly<Record<string, { readonly value: number; readonly interval: readonly [number, number] | null; readonly evidence: boolean } | null>>;
}

/** What each strategy costs non-atomic code: throughput relative to the baseline strategy, per workload and vCPU count. */
export function nonAtomicCostBars(view: BenchView, workloads: readonly string[], baseline: string, cores: number): CostBar[] {
  const bars: CostBar[] = [];
  for (const w of workloads) {
    const base = view.series.find((s) => s.workload === w && s.key === baseline);
    for (const p of base?.points ?? []) {
      if (p.n === 0 || p.vcpus > cores) continue;
      const relative: Record<string, CostBar['relative'][string]> = {};
      for (const k of view.strategies) {
        const q = measuredPoint(view, w, k, p.vcpus);
        const r = q ? ratioOf(q.stats, p.stats) : null;
        relative[k] = r ? { value: r.value, interval: r.interval ? [r.interval.lo, r.interval.hi] : null, evidence: Boolean(q!.evidence && p.evidence) } : null;
      }
      bars.push({ category: `${w} @${p.vcpus}`, relative });
    }
  }
  return bars;
}

export function nonAtomicCostChart(bars: readonly CostBar[], strategies: readonly string[], baseline: string): ChartSpec {
  const keys = seriesOrder(strategies);
  return {
    id: 'non-atomic-cost',
    title: 'What each strategy costs non-atomic code',
    alt: `Bar chart: throughput of each strategy relative to ${baseline} on the non-atomic workloads (${bars.map((b) => b.category).join(', ')}), ratios of medians with 95% intervals; grey bars are not evidence.`,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: {
      type: 'bar',
      data: {
        labels: bars.map((b) => b.category),
        datasets: keys.map((k, i) => ({
          label: k,
          data: bars.map((b) => b.relative[k]?.value ?? null),
          errorBars: bars.map((b) => b.relative[k]?.interval ?? null),
          backgroundColor: bars.map((b) => (b.relative[k] && !b.relative[k]!.evidence ? NOT_EVIDENCE_COLOUR : colourOf(k, i))),
          legendColor: colourOf(k, i),
          borderColor: colourOf(k, i),
          borderWidth: 1,
        })) as never,
      },
      options: {
        ...BASE_OPTIONS,
        scales: {
          x: { title: { display: true, text: 'workload @ vCPUs' } },
          y: { beginAtZero: true, title: { display: true, text: `throughput relative to ${baseline} (1 = same)` } },
        },
        plugins: {
          title: { display: true, text: 'Non-atomic code: throughput relative to ' + baseline },
          subtitle: { display: true, text: 'ratio of medians; whiskers: 95% intervals; grey bars: not evidence' },
          legend: { position: 'bottom' },
        },
      },
    },
  };
}
