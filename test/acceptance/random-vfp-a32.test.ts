// 1,000 random VFP cases in ARM state (25 programs of 40, seed 2) match
// qemu-arm; see harness/random-diff (random-vfp-t32.test.ts: Thumb state).
// MTTCG_RANDOM_PROGRAMS / MTTCG_RANDOM_SEED change the batch.

import t from 'tap';
import { testRandomBatch } from '../../harness/random-diff/tap-batch.js';
import { VfpGenerator } from '../../harness/random-diff/vfp-generator.js';

testRandomBatch(t, '1,000 random A32 VFP cases match qemu-arm', new VfpGenerator('a32'), { programs: 25, casesPerProgram: 40, seed: 2 });
