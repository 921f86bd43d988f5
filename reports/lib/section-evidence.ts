// "Evidence": which benchmark points may decide anything. A point whose
// vCPUs did not run at the same time, that got too little CPU, or whose
// contended workload never lost a race measures the host, not the strategy
// (bench/runner/run-evidence.ts); such points are counted here, drawn
// greyed everywhere, and excluded from every verdict. The table gives each
// point's evidence: the thread CPU share, the overlap, the failure rate and
// the host's load while it ran.

import { MIN_EVIDENCE_RUNS } from '../../bench/runner/bench-stats.js';
import { aloneShare } from '../../bench/runner/bench-window.js';
import { MIN_CPU_SHARE, MIN_OVERLAP, NOT_EVIDENCE_TEXT, type NotEvidenceKind } from '../../bench/runner/run-evidence.js';
import { allPoints, notEvidenceText, type BenchView } from './bench-view.js';
import { seriesOrder } from './chart-specs.js';
import { cell, heading, para, table, type Block } from './document-model.js';
import { fmtPerOp } from './number-format.js';

function pct(x: number | null): string {
  return x === null ? '-' : `${Math.round(x * 100)}%`;
}

function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** "7 of 72 points had no overlap" style counts, one per kind that occurred. */
export function notEvidenceCounts(view: BenchView): { total: number; evidence: number; byKind: Map<NotEvidenceKind, number>; tooFewRuns: number } {
  const points = allPoints(view);
  const byKind = new Map<NotEvidenceKind, number>();
  let tooFewRuns = 0;
  for (const { point } of points) {
    if (point.evidence) continue;
    const kinds = point.stats.notEvidence.map((n) => n.kind);
    for (const k of new Set(kinds)) byKind.set(k, (byKind.get(k) ?? 0) + 1);
    if (!kinds.length) tooFewRuns++;
  }
  return { total: points.length, evidence: points.filter((p) => p.point.evidence).length, byKind, tooFewRuns };
}

export function evidenceSection(view: BenchView): Block[] {
  const blocks: Block[] = [heading(2, 'Evidence: which points may decide anything', 'evidence')];
  const points = allPoints(view);
  if (!points.length) {
    blocks.push(para('No benchmark results in this report.'));
    return blocks;
  }
  const c = notEvidenceCounts(view);
  const parts = [...c.byKind].map(([k, n]) => `${n} of ${c.total} points had runs with ${NOT_EVIDENCE_TEXT[k]}`);
  if (c.tooFewRuns) parts.push(`${c.tooFewRuns} had fewer than ${MIN_EVIDENCE_RUNS} runs`);
  blocks.push(
    para(
      'A benchmark point is evidence about a strategy only if its vCPUs really ran at the same time and got the CPU: each run records every thread\'s CPU time in its timed section, ',
      'how many of its chunks of work ran while another thread made progress (overlap), and, on contended workloads, how many atomic attempts lost a race. ',
      `A run is not evidence when a thread ran less than ${pct(MIN_CPU_SHARE)} of the time it could have (its share of the cores), in its own timed section or in the contended window, from the start until the first thread finished its ops (the vCPUs took turns; runs of older guests, which record no window, are judged over the longest section, where one thread that finished early and left another alone fails too; for workloads whose threads sleep by design: when fewer than ${pct(MIN_OVERLAP)} of its chunks overlapped another thread's), `,
      'or when a contended workload lost no race at all (nothing contended); a point needs at least ',
      `${MIN_EVIDENCE_RUNS} evidence runs. The throughput of a contended workload whose threads do not sleep (atomic add, spinlocks, Treiber stack) at 2 or more vCPUs is each run's ops over its contended window: after the first finish the others run alone, uncontended. `,
      `Points that are not evidence are greyed in every chart and table and excluded from every verdict.`,
    ),
    para({ strong: `${c.evidence} of ${c.total} points are evidence.` }, parts.length ? ` ${parts.join('; ')}.` : ''),
  );
  const loads = view.records.flatMap((r) => (r.load?.runnable ? [r.load.runnable.median] : []));
  const avgs = view.records.flatMap((r) => (r.load ? [r.load.loadavg1Start] : []));
  if (loads.length) {
    blocks.push(para(
      `Host load while the points ran (sampled every 200 ms): runnable threads, the runs' own included, median ${median(loads)} (range ${Math.min(...loads)}-${Math.max(...loads)}); `,
      `1-minute load average at the starts ${Math.min(...avgs).toFixed(1)}-${Math.max(...avgs).toFixed(1)} on ${view.records[0]!.host.cores} cores.`,
    ));
  }
  const order = seriesOrder(view.series.map((s) => s.key));
  const rows = [...points].sort((a, b) =>
    view.workloads.indexOf(a.series.workload) - view.workloads.indexOf(b.series.workload) ||
    order.indexOf(a.series.key) - order.indexOf(b.series.key) || a.point.vcpus - b.point.vcpus);
  blocks.push(table(
    ['workload', 'series', 'vCPUs', 'evidence runs', 'CPU share (lowest thread)', 'overlap', 'a thread alone (share of the section after the first finish, median)', 'failed attempts / op', 'host runnable (median)', 'status'],
    rows.map(({ series, point: p }) => {
      const runnable = median(p.stats.used.flatMap((r) => (r.load?.runnable ? [r.load.runnable.median] : [])));
      const alone = median(p.stats.used.flatMap((r) => (r.evidence?.window ? [aloneShare(r.evidence.window, r.ns)] : [])));
      return [
        cell(series.workload), cell(series.key), cell(String(p.vcpus)), cell(`${p.evidenceRuns} of ${p.n}`),
        cell(pct(p.cpuShare)), cell(p.vcpus > 1 ? pct(p.overlap) : 'n/a'), cell(p.vcpus > 1 ? pct(alone) : 'n/a'),
        cell(fmtPerOp(p.failuresPerOp)),
        cell(runnable === null ? '-' : String(runnable)),
        p.evidence ? cell('evidence', 'good') : cell(notEvidenceText(p), 'grey', p.notEvidenceReasons.join('\n')),
      ];
    }),
  ));
  return blocks;
}
