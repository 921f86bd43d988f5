// Real programs (issue 15 item 3), the fast part: Debian's armel pigz from
// the corpus (scripts/fetch-corpus.sh), dynamically linked, with two threads,
// compresses a fixed input into the same bytes as under qemu-arm -L and
// decompresses qemu-arm's output back to the input, under the default
// strategy (its kuser cmpxchg path: armel atomics go through 0xffff0fc0).
// Every compressor, both directions, under every correct strategy, and a
// busybox script: test/acceptance/real-programs.test.ts.

import t from 'tap';
import { checkCompressor, realProgramsSkip, scratchWithInput } from '../harness/real-program-checks.js';
import { COMPRESSORS } from '../harness/real-programs.js';

t.test('pigz -p 2 under mttcg -L: the bytes of qemu-arm -L, both directions', { skip: realProgramsSkip() }, async (t) => {
  const { dir, input } = scratchWithInput(t, 300 * 1024);
  checkCompressor(t, COMPRESSORS.find((c) => c.name === 'pigz')!, 2, dir, input, []);
});
