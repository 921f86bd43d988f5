// Decoder and backend fuzzing (harness/decoder-fuzz.ts) at npm test's
// strength: 20,000 random A32 words, every 16-bit Thumb halfword, 20,000
// random 32-bit Thumb words. test/acceptance/decoder-fuzz.test.ts runs
// 100,000 of each kind of word. Fails on the first word that neither
// translates through every stage nor decodes as UNDEFINED.

import t from 'tap';
import { FAST_FUZZ, fuzzDecoder } from '../../../harness/decoder-fuzz.js';

fuzzDecoder(t, FAST_FUZZ);
