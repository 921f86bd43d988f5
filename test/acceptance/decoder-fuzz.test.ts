// Decoder and backend fuzzing (harness/decoder-fuzz.ts) at full strength:
// 100,000 random A32 words, every 16-bit Thumb halfword, 100,000 random
// 32-bit Thumb words (npm test runs 20,000 of each kind of word).

import t from 'tap';
import { FULL_FUZZ, fuzzDecoder } from '../../harness/decoder-fuzz.js';

fuzzDecoder(t, FULL_FUZZ);
