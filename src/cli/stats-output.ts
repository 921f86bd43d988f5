// The --stats summary: one JSON object (to stderr, or to a file with
// --stats-json) with per-thread counters, their totals (overall and per guest
// process), wall time and MIPS.

import { writeFileSync } from 'node:fs';
import type { RunResult } from '../emulator/process/supervisor.js';

export interface StatsSummary {
  readonly status: number;
  readonly wallSeconds: number;
  readonly guestMips: number;
  readonly totals: Record<string, number>;
  readonly threads: Record<string, number | string>[];
  /** Totals per guest process (by pid), when the run had more than one. */
  readonly perProcess: Record<string, Record<string, number>>;
  readonly process: Record<string, number>;
}

export function summarise(r: RunResult, wallSeconds: number): StatsSummary {
  const totals: Record<string, number> = {};
  const perProcess: Record<string, Record<string, number>> = {};
  for (const t of r.stats) {
    const own = (perProcess[String(t.pid ?? '')] ??= {});
    for (const [k, v] of Object.entries(t)) {
      if (k === 'tid' || k === 'pid' || typeof v !== 'number') continue;
      totals[k] = (totals[k] ?? 0) + v;
      own[k] = (own[k] ?? 0) + v;
    }
  }
  const insns = totals.guestInsns ?? 0;
  return {
    status: r.status,
    wallSeconds: Number(wallSeconds.toFixed(4)),
    guestMips: Number((insns / wallSeconds / 1e6).toFixed(2)),
    totals,
    threads: r.stats,
    perProcess: Object.keys(perProcess).length > 1 ? perProcess : {},
    process: r.process,
  };
}

export function printStats(summary: StatsSummary, jsonFile: string | null, toStderr: boolean): void {
  const text = JSON.stringify(summary, null, 2);
  if (jsonFile) writeFileSync(jsonFile, `${text}\n`);
  if (toStderr) process.stderr.write(`mttcg stats: ${text}\n`);
}
