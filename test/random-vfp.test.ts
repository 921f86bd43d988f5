// Random straight-line VFP programs (harness/random-diff/vfp-generator.ts)
// give the same core registers, APSR, d0-d15, FPSCR and memory under mttcg as
// under qemu-arm. A small seeded batch here; test/acceptance/random-vfp.test.ts
// runs 1,000 cases.

import t from 'tap';
import { testRandomBatch } from '../harness/random-diff/tap-batch.js';
import { VfpGenerator } from '../harness/random-diff/vfp-generator.js';

testRandomBatch(t, 'random VFP sequences match qemu-arm', new VfpGenerator(), { programs: 3, casesPerProgram: 40, seed: 1 });
