// A short real run of bench/speed/spinlock-strategies: the peers run in
// rounds whose order rotates, each round's figures print as it ends, and two
// rounds are too few for a verdict. Nothing here asserts on how fast a peer
// ran: that depends on the host's load.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../bench/lib/peers.js';
import { qemuVersion } from '../bench/lib/peers.js';

t.test('two rounds of cmpxchg and tlbexcl: rotated order, per-round lines, an undecided target', async (t) => {
  const script = join(ROOT, 'dist', 'bench', 'speed', 'spinlock-strategies.js');
  const r = spawnSync(process.execPath, [script, '--ops', '2000', '--repeat', '2', '--strategies', 'cmpxchg,tlbexcl', '--no-gauge', '--limit-s', '60'],
    { encoding: 'utf8', timeout: 300_000, killSignal: 'SIGKILL', env: { ...process.env, MTTCG_BENCH_REALTIME: '' } });
  t.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  const q = qemuVersion() ? ', qemu-arm [\\d.]+ \\([\\d.]+\\)' : '';
  t.match(out, new RegExp(`^round 1: cmpxchg [\\d.]+ \\([\\d.]+\\), tlbexcl [\\d.]+ \\([\\d.]+\\)${q}$`, 'm'), 'round 1 in the given order, each with its failed try-locks per acquisition');
  t.match(out, /^round 2: tlbexcl [\d.]+ \([\d.]+\), /m, 'round 2 starts with the next peer');
  t.match(out, /^tlbexcl +window: 2 threads x /m, 'the point over both rounds\' runs');
  t.match(out, /^ +tlbexcl +per round [\d.]+ x \(min [\d.]+, max [\d.]+, n=2\); ratio of the medians/m);
  t.match(out, /^hand-over: per run/m);
  t.match(out, /^target tlbexcl within 2x of cmpxchg \(>= 0\.5x\): undecided \(paired rounds: median [\d.]+x of n=2; fewer rounds than give a 95% interval/m);
});
