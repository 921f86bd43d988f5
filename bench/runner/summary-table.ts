// The text table `mttcg bench` prints at the end: per host and workload, one
// row per strategy/peer and vCPU count with the median throughput and its
// bootstrap 95% interval, the speedup over its own 1-vCPU point and the
// ratio to qemu-arm (with intervals), the evidence runs, and a mark on the
// points that are not evidence.

import type { PointStats, Ratio } from './bench-stats.js';
import { formatRate } from './progress.js';
import { NOT_EVIDENCE_TEXT } from './run-evidence.js';

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i < 2 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
}

function sig(x: number, digits: number): string {
  return x >= 100 ? x.toFixed(0) : x.toPrecision(digits);
}

export function ratioText(r: Ratio | null): string {
  if (!r) return '-';
  const iv = r.interval ? ` [${sig(r.interval.lo, 2)}-${sig(r.interval.hi, 2)}]` : '';
  return `${sig(r.value, 3)}x${iv}`;
}

function notEvidenceText(s: PointStats): string {
  if (s.evidence || s.runs === 0) return '';
  const why = s.notEvidence.map((n) => `${NOT_EVIDENCE_TEXT[n.kind]} (${n.runs})`).join('; ');
  return `not evidence: ${why || `${s.evidenceRuns} evidence run(s)`}`;
}

export function summaryTable(stats: readonly PointStats[]): string {
  const header = ['strategy', 'vCPUs', 'median', '95% interval', 'speedup', 'vs qemu', 'runs', ''];
  const out: string[] = [];
  const kinds = [...new Set(stats.map((s) => s.hostKind))];
  for (const kind of kinds) {
    if (kinds.length > 1) out.push(`host kind ${kind}:`, '');
    const mine = stats.filter((s) => s.hostKind === kind);
    for (const w of [...new Set(mine.map((s) => s.workload))]) {
      const rows = mine
        .filter((s) => s.workload === w)
        .map((s) => [
          s.strategy,
          String(s.vcpus),
          s.opsPerSec ? `${formatRate(s.opsPerSec.median)}${s.evidence ? '' : ' *'}` : 'FAILED',
          s.interval ? `${formatRate(s.interval.lo)} - ${formatRate(s.interval.hi)}` : '-',
          ratioText(s.speedup),
          ratioText(s.vsQemu),
          `${s.evidenceRuns}/${s.runs}${s.failed ? ` (+${s.failed} failed)` : ''}`,
          notEvidenceText(s),
        ]);
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      out.push(`${w}:`, `  ${pad(header, widths)}`, ...rows.map((r) => `  ${pad(r, widths)}`), '');
    }
  }
  const weak = stats.filter((s) => !s.evidence && s.runs > 0);
  out.push(
    `runs: evidence runs / usable runs. * not evidence (fewer than 2 evidence runs): ${weak.length} of ${stats.length} points; ` +
      'their figures use all runs and decide nothing.',
    'median: ops/s; at 2+ vCPUs of a workload whose threads contend and do not sleep (atomic-add, the spinlocks, ' +
      'treiber-stack), over the contended window (until the first thread finished: bench-window.ts), else over the section.',
  );
  const errors = stats.filter((s) => s.failed > 0);
  if (errors.length) {
    out.push('failures:');
    for (const s of errors) out.push(`  ${s.workload} ${s.strategy} ${s.vcpus} vCPUs: ${s.errors.join(' / ')}`);
  }
  out.push('');
  return out.join('\n');
}
