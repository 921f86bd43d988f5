// Random Thumb-2 programs (16- and 32-bit encodings, IT blocks, branches,
// TBB/TBH, calls and interworking into ARM code) give the same registers,
// flags and memory under mttcg as under qemu-arm (harness/random-diff). A
// small seeded batch here; test/acceptance/random-t32.test.ts runs 1,000 cases.
// The three program seeds below once differed: a load inside an IT block
// stored its ITSTATE, and a CBZ after the block left the TB without clearing
// it, so the next TB ran as if still inside the block.

import t from 'tap';
import { T32Generator } from '../harness/random-diff/t32-generator.js';
import { testRandomBatch, testRandomSeeds } from '../harness/random-diff/tap-batch.js';

testRandomBatch(t, 'random T32 sequences match qemu-arm', new T32Generator(), { programs: 3, casesPerProgram: 40, seed: 1 });
testRandomSeeds(t, 'CBZ after an IT block with a load (program seeds 15841, 15847, 15850)', new T32Generator(), [15841, 15847, 15850], 40);
