// Statistics over bench records: medians with min/max over repeats, speedup
// against the strategy's own 1-vCPU point, ratio to qemu-arm, counters per op,
// evidence per point, bootstrap intervals, and kinds of host never pooled.

import t from 'tap';
import { hostKindOf } from '../../../src/host/host-info.js';
import type { BenchRecord } from '../../../bench/runner/bench-record.js';
import { countersPerOp, median, spread, summarise } from '../../../bench/runner/bench-stats.js';

const HOST = { cpuModel: 'test', cores: 2, node: 'v20', qemu: null, os: 'linux', arch: 'x64', memoryGiB: 1, hostId: 'h' };

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
  t.equal(at('cmpxchg', 1).speedup?.value, 1);
  t.equal(at('cmpxchg', 2).speedup?.value, 2.5, 'against its own 1-vCPU median (200), not qemu-arm');
  t.equal(at('cmpxchg', 1).vsQemu?.value, 0.2);
  t.equal(at('cmpxchg', 2).vsQemu?.value, 0.125);
  t.equal(at('qemu-arm', 2).speedup?.value, 4);
  t.equal(at('qemu-arm', 2).vsQemu?.value, 1);
  t.equal(at('stop-the-world', 2).speedup, null, 'no 1-vCPU point: no speedup');
  t.equal(at('stop-the-world', 2).vsQemu?.value, 0.0125);
  t.equal(at('cmpxchg', 1).evidence, false, 'version-1 records carry no evidence');
  t.equal(at('cmpxchg', 1).interval, null, 'and so no interval');
  t.equal(at('cmpxchg', 2).speedup?.interval, null);
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

/** Evidence as bench.h prints it: every thread busy for its whole section, all chunks concurrent, some failures. */
/** `alone`: thread 0 finished at that share of the time (busy all along) and the others went on alone. */
function evidence(vcpus: number, o: { cpuShare?: number; overlap?: number; alone?: number; failures?: number | null } = {}): NonNullable<BenchRecord['evidence']> {
  const wall = 1e8;
  const ownWall = (i: number): number => (i === 0 && o.alone !== undefined ? wall * o.alone : wall);
  return {
    threadCpuNs: Array.from({ length: vcpus }, (_, i) => ownWall(i) * (o.cpuShare ?? 0.98)),
    threadWallNs: Array.from({ length: vcpus }, (_, i) => ownWall(i)),
    chunks: 256 * vcpus,
    concurrentChunks: vcpus > 1 ? Math.round(256 * vcpus * (o.overlap ?? 0.97)) : 0,
    failures: o.failures === undefined ? 10 : o.failures,
  };
}

function rec2(p: Parameters<typeof rec>[0], e: Parameters<typeof evidence>[1] = {}): BenchRecord {
  return rec({ ...p, version: 2, evidence: evidence(p.vcpus, e) });
}

t.test('evidence: a point needs two evidence runs; the median and interval use only those', async (t) => {
  const records = [
    rec2({ workload: 'atomic-add-1', strategy: 'cmpxchg', vcpus: 2, repeat: 1, opsPerSec: 100 }),
    rec2({ workload: 'atomic-add-1', strategy: 'cmpxchg', vcpus: 2, repeat: 2, opsPerSec: 120 }),
    rec2({ workload: 'atomic-add-1', strategy: 'cmpxchg', vcpus: 2, repeat: 3, opsPerSec: 1000 }, { alone: 0.1 }),
  ];
  const [p] = summarise(records);
  t.equal(p!.runs, 3);
  t.equal(p!.evidenceRuns, 2);
  t.equal(p!.evidence, true);
  t.same(p!.opsPerSec, { median: 110, min: 100, max: 120 }, 'the run without overlap is left out of the figures');
  t.ok(p!.interval && p!.interval.lo >= 100 && p!.interval.hi <= 120 && p!.interval.lo < p!.interval.hi, 'a bootstrap interval within the evidence runs');
  t.same(p!.notEvidence, [{ kind: 'no-overlap', runs: 1 }]);
  t.match(p!.notEvidenceReasons[0], /no overlap: the least busy thread ran 10% of the longest timed section/);
  t.ok(Math.abs(p!.overlap! - 0.97) < 0.01, 'the median overlap of the evidence runs');

  const weak = summarise(records.map((r) => (r.repeat === 1 ? { ...r, evidence: evidence(2, { failures: 0 }) } : r)))[0]!;
  t.equal(weak.evidence, false, 'one evidence run of three is not enough');
  t.equal(weak.interval, null);
  t.same(weak.opsPerSec, { median: 120, min: 100, max: 1000 }, 'a point that is not evidence shows all its runs (drawn greyed)');
  t.same(weak.notEvidence.map((n) => n.kind).sort(), ['no-contention', 'no-overlap']);
});

t.test('ratios carry intervals; a ratio with a point that is not evidence has none', async (t) => {
  const one = [90, 100, 110].map((v, i) => rec2({ workload: 'parallel-compute', strategy: 'cmpxchg', vcpus: 1, repeat: i + 1, opsPerSec: v }, { failures: null }));
  const two = [180, 200, 220].map((v, i) => rec2({ workload: 'parallel-compute', strategy: 'cmpxchg', vcpus: 2, repeat: i + 1, opsPerSec: v }, { failures: null }));
  const s = summarise([...one, ...two]);
  const sp = s.find((x) => x.vcpus === 2)!.speedup!;
  t.equal(sp.value, 2);
  t.ok(sp.interval!.lo < 2 && sp.interval!.hi > 2, `interval around the ratio: ${JSON.stringify(sp.interval)}`);
  t.ok(sp.interval!.lo >= 180 / 110 - 1e-9 && sp.interval!.hi <= 220 / 90 + 1e-9, 'within the extreme ratios');
  const again = summarise([...two].reverse().concat(one)).find((x) => x.vcpus === 2)!.speedup!;
  t.same(again.interval, sp.interval, 'the same data in another order gives the same interval (seeded by identity)');
  const starved = summarise([...one.map((r) => ({ ...r, evidence: evidence(1, { cpuShare: 0.3, failures: null }) })), ...two]);
  const ratio = starved.find((x) => x.vcpus === 2)!.speedup!;
  t.equal(ratio.interval, null, 'the 1-vCPU point got too little CPU: the ratio has no interval');
  t.equal(starved.find((x) => x.vcpus === 1)!.notEvidence[0]!.kind, 'too-little-cpu');
});

t.test('different kinds of host are never pooled into one median; machines of one kind are', async (t) => {
  const other = { ...HOST, hostId: 'other', cores: 64 };
  const twin = { ...HOST, hostId: 'twin', os: 'linux 6.1', memoryGiB: 2 };
  const records = [
    rec2({ workload: 'w', strategy: 'cmpxchg', vcpus: 1, repeat: 1, opsPerSec: 100 }),
    rec2({ workload: 'w', strategy: 'cmpxchg', vcpus: 1, repeat: 2, opsPerSec: 100, host: twin }),
    rec2({ workload: 'w', strategy: 'cmpxchg', vcpus: 1, repeat: 1, opsPerSec: 500, host: other }),
    rec2({ workload: 'w', strategy: 'cmpxchg', vcpus: 1, repeat: 2, opsPerSec: 500, host: other }),
  ];
  const s = summarise(records);
  t.equal(s.length, 2, 'one point per kind of host');
  t.same(s.map((p) => [p.hostKind, p.opsPerSec!.median, p.runs]), [
    [hostKindOf(HOST), 100, 2],
    [hostKindOf(other), 500, 2],
  ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))), 'the twin (same CPU, cores, arch, Node, qemu) pools with h; 64 cores do not');
  t.equal(hostKindOf(twin), hostKindOf(HOST));
  t.not(hostKindOf({ ...HOST, node: 'v22' }), hostKindOf(HOST), 'another Node.js is another kind');
  t.not(hostKindOf({ ...HOST, qemu: 'qemu-arm version 8' }), hostKindOf(HOST), 'another qemu-arm is another kind');
});

t.test('a contended point\'s figures are over each run\'s contended window', async (t) => {
  // Thread 0 finished at 40 ms of a 100 ms section; in the window 1400 ops in 40 ms.
  const withWindow = (p: Parameters<typeof rec>[0]): BenchRecord => {
    const r = rec2(p);
    const window = { ns: 0.4e8, ops: 1400, threadOps: [1000, 400], threadCpuNs: [0.39e8, 0.39e8], threadWallNs: [0.4e8, 0.4e8] };
    return { ...r, evidence: { ...r.evidence!, threadCpuNs: [0.39e8, 0.98e8], threadWallNs: [0.4e8, 1e8], window } };
  };
  const spin = summarise([1, 2, 3].map((repeat) => withWindow({ workload: 'spinlock-ldrex', strategy: 'cmpxchg', vcpus: 2, repeat, opsPerSec: 2e4 })))[0]!;
  t.equal(spin.evidence, true, 'judged over the window: both threads ran at once');
  t.same(spin.opsPerSec, { median: 35000, min: 35000, max: 35000 }, '1400 ops in 40 ms, not the section\'s 20000 ops/s');
  const compute = summarise([1, 2, 3].map((repeat) => withWindow({ workload: 'parallel-compute', strategy: 'cmpxchg', vcpus: 2, repeat, opsPerSec: 2e4 })))[0]!;
  t.same(compute.opsPerSec, { median: 2e4, min: 2e4, max: 2e4 }, 'a workload without atomics keeps the section\'s throughput');
});

t.test('the summary table names what its median is over', async (t) => {
  const { summaryTable } = await import('../../../bench/runner/summary-table.js');
  const text = summaryTable(summarise([rec({ workload: 'spinlock-ldrex', strategy: 'cmpxchg', vcpus: 1, repeat: 1, opsPerSec: 10 })]));
  t.match(text, /^spinlock-ldrex:$/m, 'the workload');
  t.match(text, /median: ops\/s; at 2\+ vCPUs .* over the contended window/, 'the window, where it is used');
});
