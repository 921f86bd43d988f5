// Runs a benchmark.js suite and prints one line per benchmark: ops/s with
// benchmark.js's relative margin of error (95 % confidence) and sample count.
// `--max-time S` bounds each benchmark's sampling (default 2 s); `--json F`
// also writes the figures.

import { writeFileSync } from 'node:fs';
import Benchmark from 'benchmark';

export interface MicroResult {
  readonly name: string;
  readonly hz: number;
  /** Relative margin of error, percent. */
  readonly rme: number;
  readonly samples: number;
}

function option(name: string): string | null {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] ?? null) : null;
}

/** Adds the benchmarks, runs them one after the other (synchronously), prints and returns the figures. */
export function runMicroSuite(title: string, add: (suite: Benchmark.Suite, maxTime: number) => void): MicroResult[] {
  const maxTime = Number(option('max-time') ?? 2);
  const suite = new Benchmark.Suite(title);
  add(suite, maxTime);
  const results: MicroResult[] = [];
  process.stdout.write(`${title} (node ${process.version}, benchmark.js ${Benchmark.version}, maxTime ${maxTime} s)\n`);
  suite.on('cycle', (e: Benchmark.Event) => {
    const b = e.target as unknown as Benchmark;
    if (b.error) throw b.error;
    const r = { name: b.name ?? '?', hz: b.hz, rme: b.stats.rme, samples: b.stats.sample.length };
    results.push(r);
    const ops = Math.round(r.hz).toLocaleString('en-US');
    process.stdout.write(`  ${r.name.padEnd(48)} ${ops.padStart(14)} ops/s  ±${r.rme.toFixed(2)}%  (${r.samples} samples)\n`);
  });
  suite.run({ async: false });
  const json = option('json');
  if (json) writeFileSync(json, `${JSON.stringify({ title, node: process.version, results }, null, 2)}\n`);
  return results;
}

/** A sink the benchmarks add their results to, so the JIT cannot drop the work. */
export const sink = { value: 0 };
