// Real programs (issue 15 item 3), the fast part: Debian's armel pigz from
// the corpus (scripts/fetch-corpus.sh), dynamically linked, with two threads,
// compresses a fixed input into the same bytes as under qemu-arm -L and
// decompresses qemu-arm's output back to the input, under the default
// strategy (its kuser cmpxchg path: armel atomics go through 0xffff0fc0);
// GNU make -j2 from the corpus runs two shell recipes at once (fork, execve
// of busybox sh, the jobserver pipe, SIGCHLD) and prints what it prints
// under qemu-arm (test/fixtures/make-j2/Makefile).
// Every compressor, both directions, under every correct strategy, and a
// busybox script: test/acceptance/real-programs.test.ts.

import t from 'tap';
import { checkCompressor, checkMakeJobs, realProgramsSkip, scratchWithInput } from '../harness/real-program-checks.js';
import { COMPRESSORS } from '../harness/real-programs.js';

t.test('pigz -p 2 under mttcg -L: the bytes of qemu-arm -L, both directions', { skip: realProgramsSkip() }, async (t) => {
  const { dir, input } = scratchWithInput(t, 300 * 1024);
  checkCompressor(t, COMPRESSORS.find((c) => c.name === 'pigz')!, 2, dir, input, []);
});

t.test('GNU make -j2 runs two recipes at once (busybox sh) and prints what it prints under qemu-arm', { skip: realProgramsSkip() }, async (t) => {
  checkMakeJobs(t, ['-j2'], []);
});
