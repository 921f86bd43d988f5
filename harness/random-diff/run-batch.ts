// Runs a seeded batch of generated programs through compareProgram and
// summarises it; the tap tests and the acceptance runs call this with
// different sizes. Programs take turns in three modes: the default (these
// short programs run in the interpreter, the cold tier), --hot-threshold 1
// (every TB compiled into a region at its first run, the hot tier) and
// --singlestep (one instruction per TB, so that state carried between TBs is
// exercised too).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareProgram, type CaseMismatch } from './compare-run.js';
import { buildProgram, type RandomGenerator } from './program.js';

export interface BatchOptions {
  readonly programs: number;
  readonly casesPerProgram: number;
  readonly seed: number;
}

export interface BatchResult {
  readonly cases: number;
  readonly matched: number;
  readonly mismatches: (CaseMismatch & { seed: number })[];
  readonly failures: string[];
}

/** Batch size from the environment: MTTCG_RANDOM_PROGRAMS / MTTCG_RANDOM_SEED override the defaults. */
export function batchOptionsFromEnv(defaults: BatchOptions): BatchOptions {
  const num = (name: string, d: number): number => {
    const v = process.env[name];
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : d;
  };
  return { programs: num('MTTCG_RANDOM_PROGRAMS', defaults.programs), casesPerProgram: defaults.casesPerProgram, seed: num('MTTCG_RANDOM_SEED', defaults.seed) };
}

export function runBatch(gen: RandomGenerator, opts: BatchOptions): BatchResult {
  const dir = mkdtempSync(join(tmpdir(), `mttcg-random-${gen.name}-`));
  const result: BatchResult = { cases: 0, matched: 0, mismatches: [], failures: [] };
  let keep = false;
  try {
    for (let i = 0; i < opts.programs; i++) {
      const seed = (opts.seed * 7919 + i) >>> 0;
      const prog = buildProgram(gen, seed, opts.casesPerProgram);
      const options = [[], ['--hot-threshold', '1'], ['--singlestep']][i % 3]!;
      const cmp = compareProgram(gen, prog, dir, `${gen.name}-${seed}`, options);
      (result as { cases: number }).cases += prog.cases.length;
      (result as { matched: number }).matched += cmp.matched;
      for (const m of cmp.mismatches) result.mismatches.push({ ...m, seed });
      if (cmp.failure) result.failures.push(cmp.failure);
      if (cmp.mismatches.length || cmp.failure) keep = true;
    }
  } finally {
    // The ELFs of a failing batch stay for inspection (their paths are in the failures).
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
