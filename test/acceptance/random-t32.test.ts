// 1,000 random Thumb-2 cases (25 programs of 40, seed 2) match qemu-arm; see
// harness/random-diff. MTTCG_RANDOM_PROGRAMS / MTTCG_RANDOM_SEED change the batch.

import t from 'tap';
import { T32Generator } from '../../harness/random-diff/t32-generator.js';
import { testRandomBatch } from '../../harness/random-diff/tap-batch.js';

testRandomBatch(t, '1,000 random T32 cases match qemu-arm', new T32Generator(), { programs: 25, casesPerProgram: 40, seed: 2 });
