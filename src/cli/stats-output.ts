// Prints the --stats records: one column per thread plus a total.

import { writeFileSync } from 'node:fs';
import type { RunResult } from '../emulator/process/supervisor.js';

export function printStats(r: RunResult, jsonFile: string | null, toStderr: boolean): void {
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ status: r.status, threads: r.stats, process: r.process }, null, 2));
  if (!toStderr) return;
  const keys = [...new Set(r.stats.flatMap((s) => Object.keys(s)))].filter((k) => k !== 'tid');
  const cols = r.stats.map((s) => `tid ${s.tid}`);
  const header = ['counter'.padEnd(28), ...cols.map((c) => c.padStart(14)), 'total'.padStart(14)].join('');
  const lines = [header];
  for (const k of keys) {
    const vals = r.stats.map((s) => Number(s[k] ?? 0));
    lines.push([k.padEnd(28), ...vals.map((v) => String(v).padStart(14)), String(vals.reduce((a, b) => a + b, 0)).padStart(14)].join(''));
  }
  for (const [k, v] of Object.entries(r.process)) lines.push(`${`process.${k}`.padEnd(28)}${String(v).padStart(14)}`);
  process.stderr.write(`mttcg stats (${r.stats.length} thread${r.stats.length === 1 ? '' : 's'}):\n${lines.join('\n')}\n`);
}
