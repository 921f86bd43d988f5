// Random Thumb-2 programs (16- and 32-bit encodings, IT blocks, branches,
// TBB/TBH, calls and interworking into ARM code) give the same registers,
// flags and memory under mttcg as under qemu-arm (harness/random-diff). A
// small seeded batch here; test/acceptance/random-t32.test.ts runs 1,000 cases.

import t from 'tap';
import { T32Generator } from '../harness/random-diff/t32-generator.js';
import { testRandomBatch } from '../harness/random-diff/tap-batch.js';

testRandomBatch(t, 'random T32 sequences match qemu-arm', new T32Generator(), { programs: 3, casesPerProgram: 40, seed: 1 });
