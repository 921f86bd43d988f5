// Which runs are evidence: each rule is shown to fire and not to fire, and
// the BENCH line's evidence fields are parsed and checked from hand-written
// lines (test/bench-evidence.test.ts checks real runs print them).

import t from 'tap';
import { parseBenchLine } from '../../../bench/lib/peers.js';
import type { BenchRecord } from '../../../bench/runner/bench-record.js';
import { parseEvidence } from '../../../bench/runner/point-runner.js';
import { MIN_CPU_SHARE, MIN_OVERLAP, runEvidence } from '../../../bench/runner/run-evidence.js';

const HOST = { cpuModel: 'test', cores: 2, node: 'v20', qemu: null, os: 'linux', arch: 'x64', memoryGiB: 1, hostId: 'h' };

function run(workload: string, vcpus: number, e: Partial<NonNullable<BenchRecord['evidence']>> | null, more: Partial<BenchRecord> = {}): BenchRecord {
  const wall = 1e8;
  return {
    kind: 'bench', version: 2, workload, peer: 'mttcg', strategy: 'cmpxchg', vcpus, repeat: 1, ops: 1000, ns: wall,
    opsPerSec: 1e4, ok: true, error: null, counters: null, guestInsns: null, wallMs: 1, args: [], host: HOST,
    time: '2026-01-01T00:00:00.000Z',
    evidence: e === null ? null : {
      threadCpuNs: Array.from({ length: vcpus }, () => wall * 0.95),
      threadWallNs: Array.from({ length: vcpus }, () => wall),
      chunks: 256 * vcpus,
      concurrentChunks: vcpus > 1 ? 250 * vcpus : 0,
      failures: 7,
      ...e,
    },
    ...more,
  };
}

t.test('a run with CPU, overlap and contention is evidence', async (t) => {
  const r = runEvidence(run('atomic-add-1', 2, {}));
  t.equal(r.evidence, true);
  t.same(r.kinds, []);
  t.equal(r.cpuShare, 0.95);
  t.ok(Math.abs(r.overlap! - 250 / 256) < 1e-12);
  t.equal(r.failuresPerOp, 7 / 1000);
});

t.test('too little CPU, relative to what the point could have had', async (t) => {
  const starved = runEvidence(run('parallel-compute', 1, { threadCpuNs: [0.4e8] }));
  t.same(starved.kinds, ['too-little-cpu']);
  t.match(starved.reasons[0], /40% of its timed section \(at least 75% needed\)/);
  // 4 vCPUs on 2 cores: each can have half the CPU, so 40% is plenty
  const over = runEvidence(run('parallel-compute', 4, { threadCpuNs: [0.4e8, 0.45e8, 0.5e8, 0.4e8], failures: null }));
  t.equal(over.expectedShare, 0.5);
  t.equal(over.evidence, true, `oversubscribed: ${MIN_CPU_SHARE} x 0.5 needed`);
  const sleeper = runEvidence(run('pthread-mutex', 2, { threadCpuNs: [0.2e8, 0.2e8] }));
  t.notOk(sleeper.kinds.includes('too-little-cpu'), 'threads that sleep in futex waits by design are not judged by CPU share');
  t.equal(runEvidence(run('parallel-compute', 1, { threadCpuNs: [null] })).evidence, true, 'no thread clock: the CPU rule cannot apply');
});

t.test('no overlap: the vCPUs took turns, or one went on alone', async (t) => {
  // Thread 0 finished at 40% of the time, busy all along; thread 1 went on alone.
  const alone = runEvidence(run('parallel-compute', 2, { threadCpuNs: [0.38e8, 0.95e8], threadWallNs: [0.4e8, 1e8], failures: null }));
  t.same(alone.kinds, ['no-overlap'], 'each thread was busy in its own section: only the overlap rule fires');
  t.match(alone.reasons[0], /the least busy thread ran 38% of the longest timed section \(at least 75% needed\)/);
  t.equal(alone.together, 0.38);
  const turns = runEvidence(run('atomic-add-1', 2, { threadCpuNs: [0.5e8, 0.5e8] }));
  t.same(turns.kinds, ['too-little-cpu', 'no-overlap'], 'taking turns: each had half the CPU');
  // A lock that stays with one thread for whole chunks: both threads on their cores, few concurrent chunks.
  const streaks = runEvidence(run('spinlock-ldrex', 2, { concurrentChunks: 12 }));
  t.equal(streaks.evidence, true, 'few concurrent chunks while both threads ran is evidence');
  t.ok(Math.abs(streaks.overlap! - 12 / 512) < 1e-12, 'the overlap is still reported');
  const over = runEvidence(run('parallel-compute', 4, { threadCpuNs: [0.4e8, 0.45e8, 0.5e8, 0.4e8], failures: null }));
  t.equal(over.evidence, true, `oversubscribed: ${MIN_CPU_SHARE} x 0.5 of the longest section needed`);
  t.equal(runEvidence(run('parallel-compute', 2, { threadCpuNs: [null, 0.9e8], failures: null })).together, null, 'no thread clock: the rule cannot apply');
  t.equal(runEvidence(run('parallel-compute', 1, { concurrentChunks: 0 })).overlap, null, 'one vCPU has nothing to overlap with');
});

t.test('no overlap for threads that sleep by design: judged by the chunks', async (t) => {
  const turns = runEvidence(run('pthread-mutex', 2, { threadCpuNs: [0.2e8, 0.2e8], concurrentChunks: 12 }));
  t.same(turns.kinds, ['no-overlap']);
  t.match(turns.reasons[0], /12 of 512 chunks ran beside another thread/);
  const half = runEvidence(run('pthread-mutex', 2, { threadCpuNs: [0.2e8, 0.2e8], concurrentChunks: Math.ceil(512 * MIN_OVERLAP) }));
  t.equal(half.evidence, true, 'at the threshold it is evidence');
});

t.test('no contention: a high-contention workload that lost no race', async (t) => {
  const calm = runEvidence(run('atomic-add-1', 2, { failures: 0 }));
  t.same(calm.kinds, ['no-contention']);
  t.match(calm.reasons[0], /0 failed atomic attempts in 1000 ops/);
  t.equal(runEvidence(run('atomic-add-1024', 2, { failures: 0 })).evidence, true, 'a low-contention workload may lose none');
  t.equal(runEvidence(run('atomic-add-1', 2, { failures: null })).evidence, true, 'not counted (x86 lock add): the rule cannot apply');
  t.equal(runEvidence(run('atomic-add-1', 1, { failures: 0 })).evidence, true, 'one vCPU cannot contend');
});

t.test('failed runs and runs without evidence are not evidence', async (t) => {
  t.same(runEvidence(run('atomic-add-1', 2, {}, { ok: false, error: 'guest self-check failed (exit 1)' })).kinds, ['failed']);
  t.same(runEvidence(run('atomic-add-1', 2, null)).kinds, ['no-evidence-recorded']);
  t.same(runEvidence(run('atomic-add-1', 2, null, { version: 1, evidence: undefined })).kinds, ['no-evidence-recorded']);
});

t.test('parsing the BENCH evidence fields', async (t) => {
  const f = (s: string) => parseBenchLine(`BENCH workload=w threads=2 ops=4 ns=5 ${s}`).fields;
  t.same(parseEvidence(f('cpu=10:- wall=20:30 chunks=8 concurrent=6 fails=3'), 2), {
    threadCpuNs: [10, null], threadWallNs: [20, 30], chunks: 8, concurrentChunks: 6, failures: 3,
  });
  t.equal(parseEvidence(f('cpu=10:20 wall=20:30 chunks=8 concurrent=6'), 2)!.failures, null, 'no fails=: not counted');
  t.equal(parseEvidence(f('cpu=10 wall=20:30 chunks=8 concurrent=6'), 2), null, 'one cpu value for two threads');
  t.equal(parseEvidence(f('cpu=10:20 wall=20:30 chunks=8 concurrent=9'), 2), null, 'more concurrent chunks than chunks');
  t.equal(parseEvidence(f('cpu=10:20 wall=20:30'), 2), null, 'no chunks: an older guest');
  t.equal(parseEvidence(f('cpu=x:20 wall=20:30 chunks=8 concurrent=1'), 2), null);
});


t.test('with a contended window, a thread that went on alone after it is still evidence', async (t) => {
  // Thread 0 finished at 38 ms of the 100 ms section; in the window both ran on their cores.
  const window = { ns: 0.39e8, ops: 600, threadOps: [500, 100], threadCpuNs: [0.37e8, 0.38e8], threadWallNs: [0.38e8, 0.39e8] };
  const alone = runEvidence(run('spinlock-ldrex', 2, { threadCpuNs: [0.37e8, 0.95e8], threadWallNs: [0.38e8, 1e8], window }));
  t.same(alone.kinds, [], 'judged over the window: both threads ran at once');
  t.equal(alone.together, 0.37 / 0.39);
  t.equal(alone.togetherInWindow, true);
  t.equal(alone.sectionTogether, 0.37, 'the section\'s figure stays beside it');
  const turns = runEvidence(run('spinlock-ldrex', 2, {
    threadCpuNs: [0.37e8, 0.95e8], threadWallNs: [0.38e8, 1e8],
    window: { ...window, threadCpuNs: [0.2e8, 0.19e8] },
  }));
  t.same(turns.kinds, ['no-overlap'], 'took turns inside the window');
  t.match(turns.reasons[0], /49% of the contended window \(the first 39 ms of the 100 ms section/);
  const old = runEvidence(run('spinlock-ldrex', 2, { threadCpuNs: [0.37e8, 0.95e8], threadWallNs: [0.38e8, 1e8] }));
  t.same(old.kinds, ['no-overlap'], 'without a window, the section decides');
  t.equal(old.togetherInWindow, false);
});

t.test('parsing the BENCH window fields into the evidence', async (t) => {
  const f = (s: string) => parseBenchLine(`BENCH workload=w threads=2 ops=4 ns=5 cpu=1:2 wall=3:4 chunks=8 concurrent=6 ${s}`).fields;
  t.same(parseEvidence(f('window=4 wops=3 wsplit=2:1 wcpu=1:1 wwall=3:4'), 2)!.window,
    { ns: 4, ops: 3, threadOps: [2, 1], threadCpuNs: [1, 1], threadWallNs: [3, 4] });
  t.notOk('window' in parseEvidence(f('window=6 wops=3 wsplit=2:1 wcpu=1:1 wwall=3:4'), 2)!, 'a window longer than the section is dropped');
});
