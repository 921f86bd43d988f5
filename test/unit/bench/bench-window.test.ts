// The contended window of a BENCH line (bench/runner/bench-window.ts): parsed
// from hand-written lines in bench.h's format, refused when it does not hold
// together, and its arithmetic (rate, on-core share, time alone).

import t from 'tap';
import { parseBenchLine } from '../../../bench/lib/peers.js';
import { aloneShare, parseWindow, windowOpsPerSec, windowShare, windowText } from '../../../bench/runner/bench-window.js';

const HEAD = 'BENCH workload=atomic-add-1 threads=2 ops=4000 ns=200000000 checksum=0 check=pass warmup=2000 ' +
  'cpu=100:200 wall=100:200 chunks=512 concurrent=5 fails=3 start=7';
const f = (window: string): Record<string, string> => parseBenchLine(`${HEAD} ${window}`).fields;

t.test('the window fields are parsed', async (t) => {
  const w = parseWindow(f('window=100000000 wops=3000 wsplit=2000:1000 wcpu=90000000:- wwall=99000000:100000000'), 2);
  t.same(w, { ns: 1e8, ops: 3000, threadOps: [2000, 1000], threadCpuNs: [9e7, null], threadWallNs: [9.9e7, 1e8] });
  t.equal(windowOpsPerSec(w!), 30000, '3000 ops in 100 ms');
  t.equal(windowShare(w!), null, 'a missing CPU clock: no share');
  t.equal(aloneShare(w!, 2e8), 0.5, 'half the section after the first finish');
  t.equal(aloneShare(w!, 0), 0);
  const both = parseWindow(f('window=100000000 wops=3000 wsplit=2000:1000 wcpu=90000000:95000000 wwall=99000000:100000000'), 2)!;
  t.equal(windowShare(both), 0.9, 'the least busy thread\'s CPU over the longest window');
  t.equal(windowText(both, 2e8), 'window: 2 threads x 90% of 100 ms (of a 200 ms section)');
});

t.test('a window that does not hold together is refused', async (t) => {
  t.equal(parseWindow(f(''), 2), null, 'an older guest: no window');
  t.equal(parseWindow(f('window=100 wops=3000 wsplit=2000:1000 wcpu=1:2'), 2), null, 'a field missing');
  t.equal(parseWindow(f('window=100 wops=3000 wsplit=2000:1000 wcpu=1:2 wwall=1:2'), 3), null, 'other thread count');
  t.equal(parseWindow(f('window=100 wops=2999 wsplit=2000:1000 wcpu=1:2 wwall=1:2'), 2), null, 'wops is not the sum of the split');
  t.equal(parseWindow(f('window=300000000 wops=3000 wsplit=2000:1000 wcpu=1:2 wwall=1:2'), 2), null, 'longer than the section');
  t.equal(parseWindow(f('window=100 wops=5000 wsplit=4000:1000 wcpu=1:2 wwall=1:2'), 2), null, 'more ops than the section');
  t.equal(parseWindow(f('window=0 wops=3000 wsplit=2000:1000 wcpu=1:2 wwall=1:2'), 2), null, 'an empty window');
  t.equal(parseWindow(f('window=100 wops=3000 wsplit=2000:1000 wcpu=x:2 wwall=1:2'), 2), null, 'a CPU time that is not a number');
});
