// Debian armhf programs through the -L sysroot (issue 19 item 5): pigz -p 2
// from the fetched armhf corpus (`sh scripts/fetch-corpus.sh armhf`; Thumb-2
// code, VFPv3-D16, hard-float, dynamically linked against armhf glibc)
// compresses a 400 KB input into qemu-arm -L's bytes and decompresses them
// back. Its threads meet in glibc's mutexes and condition variables, which
// armhf glibc builds on LDREX/STREX: the run's counters show exclusives and
// no kuser cmpxchg (armel glibc is the other way round). pigz, xz and zstd
// under cmpxchg, aie and tlbexcl: test/acceptance/real-programs-armhf.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CORPUS_MISSING, findCorpus } from '../harness/corpus.js';
import { qemuAvailable, QEMU_MISSING } from '../harness/guest-runner.js';
import { scratchWithInput } from '../harness/real-program-checks.js';
import { counter, runMttcgCounted } from '../harness/real-program-stats.js';
import { COMPRESSORS, runQemuProgram } from '../harness/real-programs.js';

const corpus = findCorpus('armhf');

t.test('pigz:armhf -p 2 through -L gives qemu-arm\'s bytes, with LDREX/STREX', {
  skip: !corpus ? `${CORPUS_MISSING}; armhf: sh scripts/fetch-corpus.sh armhf` : qemuAvailable() ? false : QEMU_MISSING,
}, async (t) => {
  const pigz = COMPRESSORS.find((c) => c.name === 'pigz')!;
  const { dir, input } = scratchWithInput(t, 400_000);
  const spec = (args: string[]) => ({ sysroot: corpus!.sysroot, program: pigz.program, args, dir });
  const q = runQemuProgram(spec(pigz.compress(2, input)));
  t.equal(q.status, 0, `qemu-arm compresses (${q.stderr.trim()})`);
  const m = runMttcgCounted(spec(pigz.compress(2, input)));
  t.equal(m.status, 0, `mttcg compresses (${m.stderr.trim()})`);
  t.ok(m.stdout.length > 0 && m.stdout.equals(q.stdout), `compressed: the same bytes as qemu-arm (${m.stdout.length}, ${q.stdout.length})`);
  t.ok(counter(m, 'atomic.ldrex') > 0 && counter(m, 'atomic.strex') > 0,
    `LDREX/STREX executed (${counter(m, 'atomic.ldrex')} / ${counter(m, 'atomic.strex')})`);
  t.equal(counter(m, 'atomic.cas'), 0, 'no kuser cmpxchg (armhf glibc uses exclusives)');

  writeFileSync(join(dir, 'packed.gz'), q.stdout);
  const d = runMttcgCounted(spec(pigz.decompress(2, 'packed.gz')));
  t.equal(d.status, 0, `mttcg decompresses (${d.stderr.trim()})`);
  t.ok(d.stdout.equals(readFileSync(join(dir, input))), 'decompressed: the original bytes');
});
