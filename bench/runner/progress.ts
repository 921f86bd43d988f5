// Progress of a bench run: on a terminal one line redrawn in place (\r) with
// a bar, done/total and an ETA; otherwise (a log, CI) one plain line per
// finished point.

import type { BenchProgress } from './run-bench.js';

export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatRate(opsPerSec: number): string {
  if (opsPerSec >= 1e9) return `${(opsPerSec / 1e9).toFixed(2)} Gops/s`;
  if (opsPerSec >= 1e6) return `${(opsPerSec / 1e6).toFixed(2)} Mops/s`;
  if (opsPerSec >= 1e3) return `${(opsPerSec / 1e3).toFixed(1)} kops/s`;
  return `${opsPerSec.toFixed(1)} ops/s`;
}

function pointLabel(p: BenchProgress): string {
  return `${p.point.workload} ${p.point.strategy} ${p.point.vcpus} vCPU${p.point.vcpus === 1 ? '' : 's'} #${p.point.repeat}`;
}

/** One plain line for a finished point. */
export function doneLine(p: BenchProgress): string {
  const r = p.record!;
  const what = `[${p.done}/${p.total}] ${pointLabel(p)}`;
  const rate = r.ns > 0 ? `${formatRate(r.opsPerSec)} (${r.ops} ops in ${(r.ns / 1e6).toFixed(0)} ms)` : '';
  return r.ok ? `${what}: ${rate}` : `${what}: FAILED: ${r.error ?? 'unknown error'}${rate ? `; measured ${rate}` : ''}`;
}

export interface ProgressReporter {
  readonly update: (p: BenchProgress) => void;
  /** Ends the in-place line (TTY) and says how many points were resumed (the plain lines' [done/total] counts them). */
  readonly finish: () => void;
}

export function createProgressReporter(stream: ProgressStream): ProgressReporter {
  const tty = stream.isTTY === true;
  let skipped = 0;
  let drawn = false;
  let failed = 0;
  const draw = (p: BenchProgress, status: string): void => {
    const width = Math.max(40, (stream.columns || 100) - 1);
    const barWidth = 20;
    const filled = p.total ? Math.round((p.done / p.total) * barWidth) : 0;
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}]`;
    const eta = p.etaMs === null ? 'ETA ?' : `ETA ${formatDuration(p.etaMs)}`;
    const fails = failed ? ` ${failed} failed` : '';
    const line = `${bar} ${p.done}/${p.total}${fails} ${eta}  ${status}`;
    stream.write(`\r\x1b[K${line.length > width ? line.slice(0, width) : line}`);
    drawn = true;
  };
  return {
    update(p) {
      if (p.phase === 'skip') {
        skipped++;
        if (tty) draw(p, `resumed ${pointLabel(p)}`);
        return;
      }
      if (p.phase === 'done' && p.record && !p.record.ok) failed++;
      if (tty) {
        if (p.phase === 'done' && p.record && !p.record.ok) {
          stream.write(`\r\x1b[K${doneLine(p)}\n`);
        }
        const status = p.phase === 'done' ? `${pointLabel(p)}: done` : `${pointLabel(p)}${p.phase === 'calibrate' ? ' (too short, rerun)' : ''} ops/thread=${p.opsPerThread}`;
        draw(p, status);
      } else if (p.phase === 'done') {
        stream.write(`${doneLine(p)}\n`);
      }
    },
    finish() {
      if (tty && drawn) stream.write('\n');
      if (skipped > 0) stream.write(`resumed: ${skipped} point(s) were already measured and kept\n`);
    },
  };
}
