// Random straight-line A32 programs give the same registers, flags and
// memory under mttcg as under qemu-arm (harness/random-diff). A small seeded
// batch here; test/acceptance/random-a32.test.ts runs 1,000 cases.

import t from 'tap';
import { A32Generator } from '../harness/random-diff/a32-generator.js';
import { testRandomBatch } from '../harness/random-diff/tap-batch.js';

testRandomBatch(t, 'random A32 sequences match qemu-arm', new A32Generator(), { programs: 3, casesPerProgram: 40, seed: 1 });
