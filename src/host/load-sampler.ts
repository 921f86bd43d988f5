// The host's load while one benchmark or torture run is in progress, sampled rather
// than read once: the 1-minute load average lags by a minute, so a burst of
// other jobs during a 2-second point hardly shows in it. Every SAMPLE_MS the
// sampler reads /proc/stat's procs_running (threads running or waiting for a
// CPU right now, the run's own included) and, over the whole run, the share
// of the host's CPU time that was busy. Linux only; elsewhere the figures
// are null and only the load average is kept.

import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

export const SAMPLE_MS = 200;

export interface LoadEvidence {
  /** 1-minute load average when the run started and when it ended. */
  readonly loadavg1Start: number;
  readonly loadavg1End: number;
  /** procs_running samples over the run (min, median, max) and how many were taken; null where /proc/stat is missing. */
  readonly runnable: { readonly min: number; readonly median: number; readonly max: number; readonly samples: number } | null;
  /** Share of all host CPU time that was busy (not idle or iowait) during the run, 0..1; null where unknown. */
  readonly hostBusy: number | null;
}

interface CpuTimes {
  readonly busy: number;
  readonly total: number;
}

function readProcStat(): { runnable: number | null; cpu: CpuTimes | null } {
  try {
    const text = readFileSync('/proc/stat', 'utf8');
    const running = /^procs_running\s+(\d+)/m.exec(text);
    const cpuLine = /^cpu\s+(.*)$/m.exec(text);
    let cpu: CpuTimes | null = null;
    if (cpuLine) {
      const f = cpuLine[1]!.trim().split(/\s+/).map(Number);
      const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
      const idle = (f[3] ?? 0) + (f[4] ?? 0);
      cpu = { busy: total - idle, total };
    }
    return { runnable: running ? Number(running[1]) : null, cpu };
  } catch {
    return { runnable: null, cpu: null };
  }
}

function middle(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export class LoadSampler {
  private readonly samples: number[] = [];
  private readonly startLoad = loadavg()[0]!;
  private readonly startCpu: CpuTimes | null;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs: number = SAMPLE_MS) {
    const first = readProcStat();
    this.startCpu = first.cpu;
    if (first.runnable !== null) this.samples.push(first.runnable);
    this.timer = setInterval(() => {
      const r = readProcStat().runnable;
      if (r !== null) this.samples.push(r);
    }, intervalMs);
    this.timer.unref();
  }

  stop(): LoadEvidence {
    clearInterval(this.timer);
    const end = readProcStat();
    if (end.runnable !== null) this.samples.push(end.runnable);
    const s = this.samples;
    const busy = this.startCpu && end.cpu && end.cpu.total > this.startCpu.total
      ? (end.cpu.busy - this.startCpu.busy) / (end.cpu.total - this.startCpu.total)
      : null;
    return {
      loadavg1Start: round2(this.startLoad),
      loadavg1End: round2(loadavg()[0]!),
      runnable: s.length ? { min: Math.min(...s), median: middle(s), max: Math.max(...s), samples: s.length } : null,
      hostBusy: busy === null ? null : round2(busy),
    };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
