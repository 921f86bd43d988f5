// Real programs as benchmark workloads (issue 15 item 4; bench/runner/
// corpus-workloads.ts): the corpus's pigz runs as a point under mttcg,
// qemu-arm and native; the op count is its input size, the run passes only
// when its output is qemu-arm's bytes, and the mttcg run's --stats-json
// counters (guest instructions, kuser cmpxchg calls) are in the outcome.

import t from 'tap';
import { planBench } from '../../../bench/runner/bench-plan.js';
import { corpusReference } from '../../../bench/runner/corpus-workloads.js';
import { runPoint } from '../../../bench/runner/point-runner.js';
import { findWorkload } from '../../../bench/runner/workloads.js';
import { realProgramsSkip } from '../../../harness/real-program-checks.js';

const pigz = findWorkload('pigz-compress')!;

t.test('the compressors are workloads of the default profile, not of --quick', async (t) => {
  for (const name of ['pigz-compress', 'xz-compress', 'zstd-compress']) {
    const w = findWorkload(name);
    t.ok(w?.corpus, `${name} is a corpus workload`);
    t.notOk(w?.quick, `${name} is not in --quick`);
  }
});

t.test('pigz-compress: one point per peer, the input size as op count, qemu-arm\'s bytes as the check', { skip: realProgramsSkip() }, async (t) => {
  const plan = planBench({ workloads: ['pigz-compress'], strategies: ['cmpxchg'], vcpus: [2], repeat: 1 });
  t.same(plan.points.map((p) => p.peer).sort(), ['mttcg', 'native', 'qemu-arm'].filter((p) => plan.series.some((s) => s.peer === p)).sort());
  const reference = corpusReference(pigz.corpus!, 2);
  t.ok(reference && reference.length > 1000 && reference[0] === 0x1f && reference[1] === 0x8b, 'the reference is gzip data');
  for (const p of plan.points) {
    const o = await runPoint({ workload: pigz, peer: p.peer, strategyArgs: p.strategyArgs, vcpus: 2, opsPerThread: 1, timeoutSeconds: 300 });
    t.equal(o.error, null, `${p.peer}: no error`);
    t.ok(o.ok && o.haveLine, `${p.peer}: a usable run`);
    t.equal(o.ops, pigz.corpus!.bytes, `${p.peer}: ops are the input bytes`);
    t.ok(o.ns > 0, `${p.peer}: timed`);
    if (p.peer === 'mttcg') {
      t.ok((o.guestInsns ?? 0) > 1e7, `mttcg: guest instructions counted (${o.guestInsns})`);
      t.ok((o.counters?.['atomic.cas'] ?? 0) > 0, `mttcg: kuser cmpxchg calls counted (${o.counters?.['atomic.cas']})`);
      t.ok(o.args.includes('--strategy') && o.args.includes('SYSROOT'), `recorded without scratch paths: ${o.args.join(' ')}`);
    }
  }
});

t.test('a run whose output is not the reference\'s fails its point', { skip: realProgramsSkip() }, async (t) => {
  const reference = corpusReference(pigz.corpus!, 2)!;
  reference[reference.length - 1] ^= 0xff; // the cached reference now disagrees with every honest run
  try {
    const o = await runPoint({ workload: pigz, peer: 'qemu-arm', strategyArgs: [], vcpus: 2, opsPerThread: 1, timeoutSeconds: 300 });
    t.notOk(o.ok, 'not ok');
    t.match(o.error, /output differs from the reference/);
    t.equal(o.ns, 0, 'no time kept');
  } finally {
    reference[reference.length - 1] ^= 0xff;
  }
});
