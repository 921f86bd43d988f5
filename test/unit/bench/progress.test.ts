// Progress output: plain lines off a terminal, one redrawn line on it.

import t from 'tap';
import type { BenchRecord } from '../../../bench/runner/bench-record.js';
import { createProgressReporter, formatDuration } from '../../../bench/runner/progress.js';
import type { BenchProgress } from '../../../bench/runner/run-bench.js';

const point = { workload: 'treiber-stack', strategy: 'cmpxchg', vcpus: 2, repeat: 1, peer: 'mttcg' as const, strategyArgs: [] };

function event(phase: BenchProgress['phase'], done: number, record: Partial<BenchRecord> | null): BenchProgress {
  return { phase, point, done, total: 4, opsPerThread: 100, record: record as BenchRecord | null, elapsedMs: 1000, etaMs: phase === 'skip' ? null : 75_000 };
}

function capture(isTTY: boolean): { text: () => string; stream: { isTTY: boolean; columns: number; write: (s: string) => boolean } } {
  let out = '';
  return { text: () => out, stream: { isTTY, columns: 120, write: (s: string) => ((out += s), true) } };
}

t.test('plain lines when not a terminal', async (t) => {
  const c = capture(false);
  const p = createProgressReporter(c.stream);
  p.update(event('skip', 1, { ok: true }));
  p.update(event('start', 1, null));
  p.update(event('done', 2, { ok: true, ns: 2e8, ops: 200, opsPerSec: 1000 }));
  p.update(event('done', 3, { ok: false, ns: 0, ops: 200, opsPerSec: 0, error: 'timeout: killed after 45 s' }));
  p.finish();
  t.same(c.text().split('\n'), [
    '[2/4] treiber-stack cmpxchg 2 vCPUs #1: 1.0 kops/s (200 ops in 200 ms)',
    '[3/4] treiber-stack cmpxchg 2 vCPUs #1: FAILED: timeout: killed after 45 s',
    'resumed: 1 point(s) were already measured and kept',
    '',
  ]);
  t.notMatch(c.text(), /\r/);
});

t.test('one redrawn line with a bar and an ETA on a terminal', async (t) => {
  const c = capture(true);
  const p = createProgressReporter(c.stream);
  p.update(event('start', 2, null));
  p.update(event('done', 3, { ok: true, ns: 2e8, ops: 200, opsPerSec: 1000 }));
  p.finish();
  const text = c.text();
  t.match(text, /^\r\x1b\[K\[##########----------\] 2\/4 ETA 1m15s {2}treiber-stack cmpxchg 2 vCPUs #1 ops\/thread=100/);
  t.match(text, /\r\x1b\[K\[###############-----\] 3\/4 ETA 1m15s/);
  t.ok(text.endsWith('\n'), 'finish ends the line');
  t.equal(text.split('\n').length, 2, 'a successful point adds no line of its own');
});

t.test('durations', async (t) => {
  t.equal(formatDuration(4_400), '4s');
  t.equal(formatDuration(75_000), '1m15s');
  t.equal(formatDuration(3_725_000), '1h02m');
});
