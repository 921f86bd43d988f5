// Random straight-line VFP programs (harness/random-diff/vfp-generator.ts)
// give the same core registers, APSR, d0-d15, FPSCR and memory under mttcg as
// under qemu-arm, in ARM and in Thumb state. Small seeded batches here;
// test/acceptance/random-vfp-{a32,t32}.test.ts run 1,000 cases each.

import t from 'tap';
import { testRandomBatch } from '../harness/random-diff/tap-batch.js';
import { VfpGenerator } from '../harness/random-diff/vfp-generator.js';

testRandomBatch(t, 'random A32 VFP sequences match qemu-arm', new VfpGenerator('a32'), { programs: 3, casesPerProgram: 40, seed: 1 });
testRandomBatch(t, 'random T32 VFP sequences match qemu-arm', new VfpGenerator('t32'), { programs: 2, casesPerProgram: 40, seed: 1 });
