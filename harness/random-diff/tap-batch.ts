// The one assertion every random differential test makes: a seeded batch of
// a generator's programs runs to its end under both emulators and every case
// matches qemu-arm. The first few differing cases are printed in full.

import type { Test } from 'tap';
import { qemuAvailable, QEMU_MISSING } from '../guest-runner.js';
import type { RandomGenerator } from './program.js';
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
