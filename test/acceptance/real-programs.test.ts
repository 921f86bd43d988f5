// Real programs (issue 15 item 3) under every strategy that claims
// correctness (its torture guarantees predict pthread-stress and atomic-add
// to pass): Debian armel pigz (-p 2 and -p 4), xz -T2 and zstd -T2 from the
// corpus (scripts/fetch-corpus.sh) compress a fixed input into qemu-arm -L's
// bytes and decompress qemu-arm's output back to it; busybox's sort, uniq,
// md5sum, gzip, sed and awk in a guest shell script print what they print
// under qemu-arm. armel's atomics are kuser cmpxchg calls, so this is that
// path of every strategy on real programs. Minutes per strategy on a loaded
// 2-core machine: acceptance.

import t from 'tap';
import { checkBusyboxScript, checkCompressor, realProgramsSkip, scratchWithInput } from '../../harness/real-program-checks.js';
import { COMPRESSORS } from '../../harness/real-programs.js';
import { findStrategy, strategyNames } from '../../src/machine/strategy-registry.js';

const CORRECT = strategyNames().filter((n) => {
  const g = findStrategy(n).guarantees({});
  return g['pthread-stress'] === 'pass' && g['atomic-add'] === 'pass';
});

t.test('compressors under every correct strategy: qemu-arm\'s bytes both ways', { skip: realProgramsSkip() }, async (t) => {
  t.ok(CORRECT.length >= 4, `strategies claiming correctness: ${CORRECT.join(', ')}`);
  const { dir, input } = scratchWithInput(t, 300 * 1024);
  for (const strategy of CORRECT) {
    for (const c of COMPRESSORS) checkCompressor(t, c, 2, dir, input, ['--strategy', strategy]);
  }
  checkCompressor(t, COMPRESSORS.find((c) => c.name === 'pigz')!, 4, dir, input, []);
});

t.test('a busybox script (sort, uniq, md5sum, gzip, sed, awk) under every correct strategy', { skip: realProgramsSkip() }, async (t) => {
  const { dir, input } = scratchWithInput(t, 100 * 1024);
  for (const strategy of CORRECT) checkBusyboxScript(t, dir, input, ['--strategy', strategy]);
});
