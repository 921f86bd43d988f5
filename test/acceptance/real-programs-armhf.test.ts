// Debian armhf pigz -p 2, xz -T2 and zstd -T2 through the -L sysroot, both
// directions, under every strategy that claims correctness (cmpxchg, aie,
// tlbexcl): each output is byte-identical to qemu-arm -L's (the original for
// decompression), and each compression executed STREX (armhf glibc's locks)
// under that strategy. Beside them, armel pigz (the corpus of issue 15) shows
// the other path: kuser cmpxchg, no exclusives from glibc.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { CORPUS_MISSING, findCorpus } from '../../harness/corpus.js';
import { qemuAvailable, QEMU_MISSING } from '../../harness/guest-runner.js';
import { scratchWithInput } from '../../harness/real-program-checks.js';
import { counter, runMttcgCounted } from '../../harness/real-program-stats.js';
import { COMPRESSORS, runQemuProgram } from '../../harness/real-programs.js';

const STRATEGIES = ['cmpxchg', 'aie', 'tlbexcl'] as const;
const armhf = findCorpus('armhf');
const armel = findCorpus('armel');
// Two 128 KiB blocks for pigz's and xz's threads.
const BYTES = 200 * 1024;

for (const c of COMPRESSORS) {
  t.test(`${c.name} (armhf, 2 threads) under every correct strategy equals qemu-arm`, {
    skip: !armhf ? `${CORPUS_MISSING}; armhf: sh scripts/fetch-corpus.sh armhf` : qemuAvailable() ? false : QEMU_MISSING,
  }, async (t) => {
    const { dir, input } = scratchWithInput(t, BYTES);
    const original = readFileSync(join(dir, input));
    const spec = (args: string[]) => ({ sysroot: armhf!.sysroot, program: c.program, args, dir });
    const q = runQemuProgram(spec(c.compress(2, input)));
    t.equal(q.status, 0, `qemu-arm compresses (${q.stderr.trim()})`);
    const packed = `packed${c.suffix}`;
    writeFileSync(join(dir, packed), q.stdout);
    const qd = runQemuProgram(spec(c.decompress(2, packed)));
    t.ok(qd.status === 0 && qd.stdout.equals(original), 'qemu-arm gives the original back');
    for (const s of STRATEGIES) {
      const m = runMttcgCounted(spec(c.compress(2, input)), ['--strategy', s]);
      t.equal(m.status, 0, `${s}: compresses (${m.stderr.trim()})`);
      t.ok(m.stdout.length > 0 && m.stdout.equals(q.stdout), `${s}: the same ${q.stdout.length} bytes as qemu-arm`);
      t.ok(counter(m, 'atomic.strex') > 0, `${s}: STREX executed (${counter(m, 'atomic.strex')})`);
      const d = runMttcgCounted(spec(c.decompress(2, packed)), ['--strategy', s]);
      t.equal(d.status, 0, `${s}: decompresses (${d.stderr.trim()})`);
      t.ok(d.stdout.equals(original), `${s}: the original bytes`);
    }
  });
}

t.test('pigz -p 2: armhf reaches atomics through LDREX/STREX, armel through kuser cmpxchg', {
  skip: !armhf || !armel ? `${CORPUS_MISSING} (both armel and armhf)` : false,
}, async (t) => {
  const pigz = COMPRESSORS.find((c) => c.name === 'pigz')!;
  const { dir, input } = scratchWithInput(t, BYTES);
  const run = (sysroot: string) => runMttcgCounted({ sysroot, program: pigz.program, args: pigz.compress(2, input), dir }, ['--strategy', 'cmpxchg']);
  const hf = run(armhf!.sysroot);
  const el = run(armel!.sysroot);
  t.equal(hf.status, 0, hf.stderr.trim());
  t.equal(el.status, 0, el.stderr.trim());
  t.ok(counter(hf, 'atomic.ldrex') > 0 && counter(hf, 'atomic.cas') === 0,
    `armhf: ${counter(hf, 'atomic.ldrex')} LDREX, ${counter(hf, 'atomic.cas')} kuser cmpxchg`);
  t.ok(counter(el, 'atomic.cas') > 0, `armel: ${counter(el, 'atomic.cas')} kuser cmpxchg, ${counter(el, 'atomic.ldrex')} LDREX`);
});
