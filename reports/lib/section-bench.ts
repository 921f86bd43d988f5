// "Throughput", "Cost on non-atomic code" and "Counters": the benchmark half
// of the report. Every chart has a table of the same numbers beside it, so
// the Markdown and a reader without a browser see the values too: medians
// with their 95% intervals, and points that are not evidence in grey.

import type { Ratio } from '../../bench/runner/bench-stats.js';
import { findSeries, type BenchView, type SeriesPoint } from './bench-view.js';
import { nonAtomicCostBars, nonAtomicCostChart, seriesOrder, speedupChart, throughputChart } from './chart-specs.js';
import { COUNTER_METRICS, NON_ATOMIC_THRESHOLD, atomicOpsPerOp, type CounterRow, type WorkloadClass } from './counter-metrics.js';
import { cell, heading, para, table, type Block, type TableCell } from './document-model.js';
import { fmtPerOp, fmtSi } from './number-format.js';

function pointCell(p: SeriesPoint | undefined): TableCell {
  if (!p) return cell('-', 'muted');
  if (p.n === 0) return cell('failed', 'bad', p.errors.join('\n'));
  const runs = `${p.evidenceRuns} of ${p.n} run(s) evidence, min ${fmtSi(p.min)}, max ${fmtSi(p.max)}${p.failed ? `, ${p.failed} failed` : ''}`;
  if (!p.evidence) return cell(`${fmtSi(p.median)} (not evidence)`, 'grey', `${runs}\n${p.notEvidenceReasons.join('\n')}`);
  const iv = p.interval ? ` [${fmtSi(p.interval.lo)}–${fmtSi(p.interval.hi)}]` : '';
  return cell(`${fmtSi(p.median)}${iv}`, undefined, runs);
}

function classText(cls: WorkloadClass | undefined, atomicPerOp: number | null): string {
  if (cls === 'atomic') return `atomic workload: ${fmtPerOp(atomicPerOp)} atomic instructions (LDREX, SWP, cmpxchg) per op`;
  if (cls === 'non-atomic') return `non-atomic workload: fewer than ${NON_ATOMIC_THRESHOLD} atomic instructions per op`;
  return 'no counters recorded, so not classified as atomic or non-atomic';
}

export function throughputSection(view: BenchView, classes: ReadonlyMap<string, WorkloadClass>, cores: number): Block[] {
  const blocks: Block[] = [heading(2, 'Throughput against vCPUs', 'throughput')];
  if (!view.records.length) {
    blocks.push(para('No benchmark results in this report.'));
    return blocks;
  }
  blocks.push(para(
    'One line per mttcg strategy, plus real qemu-arm and the natively built program (dashed) where they ran. ',
    'Each point is the median of its evidence runs, in the workload\'s own operations per second (the guest times its parallel section itself), with its bootstrap 95% interval as a bar; the tables give the same numbers, the interval in brackets. ',
    'A point that is not evidence (see "Evidence") is drawn hollow and grey and its table cell says so: its median uses all its runs and decides nothing. ',
    'The second chart of each workload is the speedup over the same line\'s own 1-vCPU point, the figure the scaling claims use. ',
    `Points marked * have more vCPUs than the host's ${cores} cores.`,
  ));
  for (const w of view.workloads) {
    const keys = seriesOrder(view.series.filter((s) => s.workload === w).map((s) => s.key));
    const counts = [...new Set(view.series.filter((s) => s.workload === w).flatMap((s) => s.points.map((p) => p.vcpus)))].sort((a, b) => a - b);
    blocks.push(
      heading(3, w, `throughput-${w}`),
      para(classText(classes.get(w), atomicOpsPerOp(view, w))),
      { kind: 'chart', chart: throughputChart(view, w, cores) },
      ...(counts.length > 1 ? [{ kind: 'chart', chart: speedupChart(view, w, cores) } as const] : []),
      table(['series', ...counts.map((n) => `${n} vCPU${n > 1 ? 's' : ''}${n > cores ? '*' : ''}`)], keys.map((k) => {
        const s = findSeries(view, w, k);
        return [cell(k === 'qemu-arm' || k === 'native' ? k : `mttcg ${k}`), ...counts.map((n) => pointCell(s?.points.find((p) => p.vcpus === n)))];
      })),
      ...qemuRatioTable(view, w, keys, counts, cores),
    );
  }
  return blocks;
}

function ratioCell(r: Ratio | null, evidence: boolean): TableCell {
  if (!r) return cell('-', 'muted');
  if (!evidence || !r.interval) return cell(`${fmtRatio(r.value)} (not evidence)`, 'grey');
  return cell(`${fmtRatio(r.value)} [${fmtRatio(r.interval.lo)}–${fmtRatio(r.interval.hi)}]`);
}

function fmtRatio(x: number): string {
  return x >= 0.1 ? `${x.toFixed(2)}×` : `${x.toPrecision(2)}×`;
}

/** Each mttcg series against qemu-arm at the same vCPU count: ratios of medians with intervals. */
function qemuRatioTable(view: BenchView, w: string, keys: readonly string[], counts: readonly number[], cores: number): Block[] {
  const qemu = findSeries(view, w, 'qemu-arm');
  if (!qemu?.points.some((p) => p.n > 0)) return [];
  const mine = keys.filter((k) => k !== 'qemu-arm' && k !== 'native');
  return [
    para(`mttcg against qemu-arm on ${w}: throughput ratio at the same vCPU count (ratio of medians, 95% interval).`),
    table(['series / qemu-arm', ...counts.map((n) => `${n} vCPU${n > 1 ? 's' : ''}${n > cores ? '*' : ''}`)], mine.map((k) => [
      cell(`mttcg ${k}`),
      ...counts.map((n) => {
        const p = findSeries(view, w, k)?.points.find((x) => x.vcpus === n && x.n > 0);
        const q = qemu.points.find((x) => x.vcpus === n && x.n > 0);
        return ratioCell(p ? p.stats.vsQemu : null, Boolean(p?.evidence && q?.evidence));
      }),
    ])),
  ];
}

export function costSection(view: BenchView, classes: ReadonlyMap<string, WorkloadClass>, cores: number): Block[] {
  const blocks: Block[] = [heading(2, 'What each strategy costs non-atomic code', 'cost')];
  const plain = view.workloads.filter((w) => classes.get(w) === 'non-atomic');
  const baseline = ['unsafe', 'cmpxchg'].find((b) => plain.some((w) => findSeries(view, w, b)?.points.some((p) => p.n > 0)));
  if (!plain.length || !baseline) {
    blocks.push(para('Not measured: no non-atomic workload with unsafe or cmpxchg results in this run.'));
    return blocks;
  }
  const bars = nonAtomicCostBars(view, plain, baseline, cores);
  blocks.push(para(
    `Throughput of each strategy on code without atomic instructions, relative to ${baseline} at the same vCPU count (1 = no cost). `,
    baseline === 'unsafe'
      ? 'unsafe emulates nothing (plain loads and stores), so it is what the translation costs without any atomic machinery. '
      : 'unsafe was not measured, so cmpxchg (no work on plain stores) is the reference. ',
    'A strategy that checks plain stores (AIE after the first SWP, TLB_EXCL on pages with live reservations) pays here. Only points within the host\'s cores are shown. ',
    'Each bar is a ratio of medians with its bootstrap 95% interval; a grey bar compares points of which one is not evidence and decides nothing. Where the interval includes 1, the runs cannot tell the strategy from the baseline.',
  ));
  if (!bars.length) {
    blocks.push(para(`Not measured: no ${baseline} point within ${cores} vCPUs.`));
    return blocks;
  }
  const keys = seriesOrder(view.strategies);
  blocks.push(
    { kind: 'chart', chart: nonAtomicCostChart(bars, view.strategies, baseline) },
    table(['workload @ vCPUs', ...keys], bars.map((b) => [
      cell(b.category),
      ...keys.map((k) => {
        const v = b.relative[k];
        if (v == null) return cell('-', 'muted');
        const iv = v.interval ? ` [${v.interval[0].toFixed(2)}–${v.interval[1].toFixed(2)}]` : '';
        if (!v.evidence) return cell(`${v.value.toFixed(2)}× (not evidence)`, 'grey');
        return cell(`${v.value.toFixed(2)}×${iv}`, v.interval && v.interval[1] < 0.95 ? 'warn' : undefined);
      }),
    ])),
  );
  return blocks;
}

export function countersSection(rows: readonly CounterRow[], workloads: readonly string[], cores: number): Block[] {
  const blocks: Block[] = [heading(2, 'Counters that explain the curves', 'counters')];
  if (!rows.length) {
    blocks.push(para('No mttcg --stats counters in this report.'));
    return blocks;
  }
  blocks.push(
    para('From mttcg --stats: whole-run counters summed over all vCPUs, divided by the operations the run executed (the timed ones plus the untimed warm-up), the median over the runs of a point (its evidence runs when it is evidence; bench-stats.ts). Start-up is included, which is why plain workloads show a little of everything. Peers have no counters.'),
    { kind: 'list', items: COUNTER_METRICS.map((m) => [{ strong: m.label }, `: ${m.explain}`]) },
  );
  for (const w of workloads) {
    const mine = rows.filter((r) => r.workload === w);
    if (!mine.length) continue;
    const order = seriesOrder(mine.map((r) => r.strategy));
    mine.sort((a, b) => order.indexOf(a.strategy) - order.indexOf(b.strategy) || a.vcpus - b.vcpus);
    blocks.push(
      heading(3, `${w}: per op`, `counters-${w}`),
      table(['strategy', 'vCPUs', ...COUNTER_METRICS.map((m) => m.label)], mine.map((r) => [
        cell(r.strategy), cell(`${r.vcpus}${r.vcpus > cores ? '*' : ''}`),
        ...COUNTER_METRICS.map((m) => cell(fmtPerOp(r.perOp[m.id] ?? null), r.perOp[m.id] == null ? 'muted' : undefined)),
      ])),
    );
  }
  return blocks;
}
