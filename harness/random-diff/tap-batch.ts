// The one assertion every random differential test makes: a seeded batch of
// a generator's programs runs to its end under both emulators and every case
// matches qemu-arm. The first few differing cases are printed in full.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { qemuAvailable, QEMU_MISSING } from '../guest-runner.js';
import { compareProgram } from './compare-run.js';
import { buildProgram, type RandomGenerator } from './program.js';
import { batchOptionsFromEnv, runBatch, type BatchOptions } from './run-batch.js';

export function testRandomBatch(t: Test, title: string, gen: RandomGenerator, defaults: BatchOptions): void {
  t.test(title, { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
    const opts = batchOptionsFromEnv(defaults);
    const r = runBatch(gen, opts);
    t.comment(`${gen.name}: ${r.cases} cases in ${opts.programs} programs (seed ${opts.seed}): ${r.matched} matched`);
    for (const m of r.mismatches.slice(0, 5)) t.comment(`program seed ${m.seed}, ${m.report}`);
    t.same(r.failures, [], 'both emulators ran every program to its end');
    t.equal(r.mismatches.length, 0, 'no case differs');
    t.equal(r.matched, r.cases, 'every case matched');
  });
}

/** Particular program seeds (cases of a past failure), each in the default tiers, every case matching qemu-arm. */
export function testRandomSeeds(t: Test, title: string, gen: RandomGenerator, seeds: readonly number[], casesPerProgram: number): void {
  t.test(title, { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), `mttcg-random-${gen.name}-`));
    try {
      for (const seed of seeds) {
        const prog = buildProgram(gen, seed, casesPerProgram);
        const cmp = compareProgram(gen, prog, dir, `${gen.name}-${seed}`);
        for (const m of cmp.mismatches.slice(0, 2)) t.comment(`program seed ${seed}, ${m.report}`);
        t.equal(cmp.failure ?? null, null, `program seed ${seed} ran to its end on both`);
        t.equal(cmp.matched, prog.cases.length, `program seed ${seed}: every case matched`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
