// Statistics over bench records: medians with min/max over repeats, speedup
// against the strategy's own 1-vCPU point, ratio to qemu-arm, counters per op.

import t from 'tap';
import type { BenchRecord } from '../../../bench/runner/bench-record.js';
import { countersPerOp, median, spread, summarise } from '../../../bench/runner/bench-stats.js';

const HOST = { cpuModel: 'test', cores: 2, node: 'v20', qemu: null, os: 'linux', arch: 'x64', memoryGiB: 1, hostname: 'h' };

function rec(p: Partial<BenchRecord> & Pick<BenchRecord, 'workload' | 'strategy' | 'vcpus' | 'repeat' | 'opsPerSec'>): BenchRecord {
  const peer = p.peer ?? (p.strategy === 'qemu-arm' || p.strategy === 'native' ? p.strategy : 'mttcg');
  return {
    kind: 'bench',
    version: 1,
    peer,
    ops: 1000,
    ns: (1000 / p.opsPerSec) * 1e9,
    ok: true,
    error: null,
    counters: null,
    guestInsns: null,
    wallMs: 1,
    args: [],
    host: HOST,
    time: '2026-01-01T00:00:00.000Z',
    ...p,
  };
}

t.test('median, spread', async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 3, 2]), 2.5);
  t.ok(Number.isNaN(median([])));
  t.same(spread([5, 1, 9]), { median: 5, min: 1, max: 9 });
  t.equal(spread([]), null);
});

t.test('median/min/max over repeats, speedup vs own 1-vCPU point, ratio vs qemu-arm', async (t) => {
  const records = [
    rec({ workload: 'atomic-add-1', strategy: 'cmpxchg', vcpus: 1, repeat: 1, opsPerSec: 100 }),
    rec({ workload: 'atomic-add-1', strategy: 'cmpxchg', vcpus: 1, repeat: 2, opsPerSec: 300 }),
    rec({ workload: 'atomic-add-1', strategy: 'cmpxchg', vcpus: 1, repeat: 3, opsPerSec: 200 }),
    rec({ workload: 'atomic-add-1', strategy: 'cmpxchg', vcpus: 2, repeat: 1, opsPerSec: 500 }),
    rec({ workload: 'atomic-add-1', strategy: 'qemu-arm', vcpus: 1, repeat: 1, opsPerSec: 1000 }),
    rec({ workload: 'atomic-add-1', strategy: 'qemu-arm', vcpus: 2, repeat: 1, opsPerSec: 4000 }),
    rec({ workload: 'atomic-add-1', strategy: 'stop-the-world', vcpus: 2, repeat: 1, opsPerSec: 50 }),
  ];
  const s = summarise(records);
  const at = (strategy: string, vcpus: number) => s.find((x) => x.strategy === strategy && x.vcpus === vcpus)!;
  t.same(at('cmpxchg', 1).opsPerSec, { median: 200, min: 100, max: 300 });
  t.equal(at('cmpxchg', 1).runs, 3);
  t.equal(at('cmpxchg', 1).speedup, 1);
  t.equal(at('cmpxchg', 2).speedup, 2.5, 'against its own 1-vCPU median (200), not qemu-arm');
  t.equal(at('cmpxchg', 1).vsQemu, 0.2);
  t.equal(at('cmpxchg', 2).vsQemu, 0.125);
  t.equal(at('qemu-arm', 2).speedup, 4);
  t.equal(at('qemu-arm', 2).vsQemu, 1);
  t.equal(at('stop-the-world', 2).speedup, null, 'no 1-vCPU point: no speedup');
  t.equal(at('stop-the-world', 2).vsQemu, 0.0125);
  t.same(
    s.map((x) => `${x.strategy}/${x.vcpus}`),
    ['cmpxchg/1', 'cmpxchg/2', 'qemu-arm/1', 'qemu-arm/2', 'stop-the-world/2'],
    'ordered by strategy (first appearance) then vCPUs',
  );
});

t.test('no qemu-arm point: no ratio', async (t) => {
  const s = summarise([rec({ workload: 'spinlock-swp', strategy: 'aie', vcpus: 1, repeat: 1, opsPerSec: 10 })]);
  t.equal(s[0]!.vsQemu, null);
});

t.test('failed records: counted per repeat, left out of the figures unless asked', async (t) => {
  const records = [
    rec({ workload: 'atomic-add-1', strategy: 'unsafe', vcpus: 2, repeat: 1, opsPerSec: 900, ok: false, error: 'guest self-check failed (exit 1): sum' }),
    rec({ workload: 'atomic-add-1', strategy: 'unsafe', vcpus: 2, repeat: 2, opsPerSec: 0, ns: 0, ok: false, error: 'timeout: killed after 45 s' }),
    rec({ workload: 'atomic-add-1', strategy: 'cmpxchg', vcpus: 2, repeat: 1, opsPerSec: 0, ns: 0, ok: false, error: 'exit 70' }),
    rec({ workload: 'atomic-add-1', strategy: 'cmpxchg', vcpus: 2, repeat: 1, opsPerSec: 40 }),
  ];
  const s = summarise(records);
  const unsafe = s.find((x) => x.strategy === 'unsafe')!;
  t.equal(unsafe.runs, 0);
  t.equal(unsafe.failed, 2);
  t.equal(unsafe.opsPerSec, null);
  t.same(unsafe.errors, ['guest self-check failed (exit 1): sum', 'timeout: killed after 45 s']);
  const cmpxchg = s.find((x) => x.strategy === 'cmpxchg')!;
  t.equal(cmpxchg.failed, 0, 'a repeat that failed once and then succeeded is not a failure');
  t.equal(cmpxchg.runs, 1);
  const withChecks = summarise(records, { includeFailedChecks: true }).find((x) => x.strategy === 'unsafe')!;
  t.same(withChecks.opsPerSec, { median: 900, min: 900, max: 900 }, 'a timed run whose self-check failed can be included');
  t.equal(withChecks.failed, 1, 'the timeout stays a failure');
});

t.test('counters per op: median over runs of counter / ops', async (t) => {
  const a = rec({ workload: 'w', strategy: 'cmpxchg', vcpus: 1, repeat: 1, opsPerSec: 1, ops: 100, counters: { 'atomic.strex': 100, guestInsns: 1000 } });
  const b = rec({ workload: 'w', strategy: 'cmpxchg', vcpus: 1, repeat: 2, opsPerSec: 1, ops: 200, counters: { 'atomic.strex': 300, guestInsns: 1000 } });
  const c = rec({ workload: 'w', strategy: 'cmpxchg', vcpus: 1, repeat: 3, opsPerSec: 1, ops: 50, counters: { 'atomic.strex': 100 } });
  t.same(countersPerOp([a, b, c]), { 'atomic.strex': 1.5, guestInsns: 7.5 });
  const warm = rec({ workload: 'w', strategy: 'cmpxchg', vcpus: 1, repeat: 1, opsPerSec: 1, ops: 100, warmupOps: 50, counters: { 'atomic.strex': 300 } });
  t.same(countersPerOp([warm]), { 'atomic.strex': 2 }, 'the warm-up ops count: the counters cover them');
  t.equal(countersPerOp([rec({ workload: 'w', strategy: 'native', vcpus: 1, repeat: 1, opsPerSec: 1 })]), null);
  t.same(summarise([a, b, c])[0]!.countersPerOp, { 'atomic.strex': 1.5, guestInsns: 7.5 });
});
