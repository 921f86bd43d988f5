// The text table `mttcg bench` prints at the end: per workload, one row per
// strategy/peer and vCPU count with the median, min and max throughput, the
// speedup over its own 1-vCPU point and the ratio to qemu-arm.

import type { PointStats } from './bench-stats.js';
import { formatRate } from './progress.js';

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
}

const ratio = (x: number | null, digits: number): string => (x === null ? '-' : `${x.toFixed(digits)}x`);

export function summaryTable(stats: readonly PointStats[]): string {
  const header = ['strategy', 'vCPUs', 'median', 'min', 'max', 'speedup', 'vs qemu', 'runs'];
  const out: string[] = [];
  const workloads = [...new Set(stats.map((s) => s.workload))];
  for (const w of workloads) {
    const rows = stats
      .filter((s) => s.workload === w)
      .map((s) => [
        s.strategy,
        String(s.vcpus),
        s.opsPerSec ? formatRate(s.opsPerSec.median) : 'FAILED',
        s.opsPerSec ? formatRate(s.opsPerSec.min) : '-',
        s.opsPerSec ? formatRate(s.opsPerSec.max) : '-',
        ratio(s.speedup, 2),
        ratio(s.vsQemu, 4),
        s.failed ? `${s.runs} (+${s.failed} failed)` : String(s.runs),
      ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    out.push(`${w}:`, `  ${pad(header, widths)}`, ...rows.map((r) => `  ${pad(r, widths)}`), '');
  }
  const errors = stats.filter((s) => s.failed > 0);
  if (errors.length) {
    out.push('failures:');
    for (const s of errors) out.push(`  ${s.workload} ${s.strategy} ${s.vcpus} vCPUs: ${s.errors.join(' / ')}`);
    out.push('');
  }
  return out.join('\n');
}
