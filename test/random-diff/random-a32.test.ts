// Random straight-line A32 programs give the same registers, flags and
// memory under mttcg as under qemu-arm. `npm test` runs a small seeded batch;
// the acceptance run sets MTTCG_RANDOM_PROGRAMS for a large one.

import t from 'tap';
import { qemuAvailable, QEMU_MISSING } from '../helpers/guest-runner.js';
import { A32Generator } from './a32-generator.js';
import { batchOptionsFromEnv, runBatch } from './run-batch.js';

t.test('random A32 sequences match qemu-arm', { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
  const opts = batchOptionsFromEnv({ programs: 3, casesPerProgram: 40, seed: 1 });
  const r = runBatch(new A32Generator(), opts);
  t.comment(`${r.cases} cases in ${opts.programs} programs (seed ${opts.seed}): ${r.matched} matched`);
  for (const m of r.mismatches.slice(0, 5)) t.comment(`program seed ${m.seed}, ${m.report}`);
  t.same(r.failures, [], 'both emulators ran every program to its end');
  t.equal(r.mismatches.length, 0, 'no case differs');
  t.equal(r.matched, r.cases, 'every case matched');
});
