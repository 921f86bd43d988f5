// The results file: one line per point appended as it completes, a torn last
// line survives, --resume skips the points already measured with ok=true,
// an existing file is never appended to without --resume. The runs use the
// native peer (milliseconds per point) with fixed op counts.

import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { UsageError } from '../../../src/cli/option-parser.js';
import { nativeAvailable, planBench } from '../../../bench/runner/bench-plan.js';
import { appendRecord, completedKeys, ensureLineStart, pointKey, readRecords, type BenchRecord } from '../../../bench/runner/bench-record.js';
import { runBench, type BenchProgress } from '../../../bench/runner/run-bench.js';

const HOST = { cpuModel: 'test', cores: 2, node: 'v20', qemu: null, os: 'linux', arch: 'x64', memoryGiB: 1, hostId: 'h' };
const dir = mkdtempSync(join(tmpdir(), 'bench-resume-test-'));

function fakeRecord(vcpus: number, repeat: number, ok: boolean): BenchRecord {
  return {
    kind: 'bench', version: 1, workload: 'atomic-add-1', peer: 'native', strategy: 'native', vcpus, repeat,
    ops: 1000 * vcpus, ns: ok ? 1e6 : 0, opsPerSec: ok ? 1e9 : 0, ok, error: ok ? null : 'exit 2', counters: null,
    guestInsns: null, wallMs: 1, args: ['bench/guest/native/atomic-add'], host: HOST, time: '2026-01-01T00:00:00.000Z',
  };
}

t.test('append, read back, torn last line', async (t) => {
  const f = join(dir, 'torn.jsonl');
  appendRecord(f, fakeRecord(1, 1, true));
  appendRecord(f, fakeRecord(2, 1, false));
  appendFileSync(f, '{"kind":"bench","vers'); // a kill in the middle of a write
  let r = readRecords(f);
  t.equal(r.records.length, 2);
  t.same(r.badLines, [3]);
  t.same([...completedKeys(r.records)], [pointKey(fakeRecord(1, 1, true))], 'only ok records count as done');
  ensureLineStart(f);
  appendRecord(f, fakeRecord(4, 1, true));
  r = readRecords(f);
  t.equal(r.records.length, 3, 'the record after the torn line is intact');
  t.same(r.badLines, [3]);
  t.same(readRecords(join(dir, 'missing.jsonl')), { records: [], badLines: [] });
});

t.test('an existing results file needs --resume', async (t) => {
  const f = join(dir, 'exists.jsonl');
  writeFileSync(f, `${JSON.stringify(fakeRecord(1, 1, true))}\n`);
  const plan = planBench({ peers: ['mttcg'], strategies: ['cmpxchg'], workloads: ['atomic-add-1'], vcpus: [1], repeat: 1 });
  await t.rejects(runBench(plan, { out: f }), UsageError);
  await t.rejects(runBench(plan, { out: join(dir, 'no-such-dir', 'r.jsonl') }), UsageError, 'a missing directory is refused before any run');
  t.equal(readFileSync(f, 'utf8').split('\n').length, 2, 'file untouched');
});

t.test('resume with everything done runs nothing', async (t) => {
  const f = join(dir, 'done.jsonl');
  const plan = planBench({ peers: ['mttcg'], strategies: ['cmpxchg'], workloads: ['atomic-add-1'], vcpus: [1, 2], repeat: 1 });
  const done = plan.points.map((p) => ({ ...fakeRecord(p.vcpus, p.repeat, true), peer: 'mttcg' as const, strategy: 'cmpxchg' }));
  for (const r of done) appendRecord(f, r);
  const before = readFileSync(f, 'utf8');
  const phases: string[] = [];
  const records = await runBench(plan, { out: f, resume: true, host: HOST, onProgress: (p) => phases.push(p.phase) });
  t.same(phases, ['skip', 'skip']);
  t.equal(records.length, 2);
  t.equal(readFileSync(f, 'utf8'), before, 'nothing appended');
});

t.test('resume never takes another kind of host\'s points as done', { skip: nativeAvailable() ? false : 'native binaries do not run here' }, async (t) => {
  const f = join(dir, 'other-host.jsonl');
  const plan = planBench({ peers: ['native'], workloads: ['atomic-add-1'], vcpus: [1], repeat: 1, opsPerThread: 1000 });
  appendRecord(f, { ...fakeRecord(1, 1, true), host: { ...HOST, hostId: 'elsewhere', cores: 64 } });
  const notes: string[] = [];
  const phases: string[] = [];
  const records = await runBench(plan, { out: f, resume: true, host: HOST, onNote: (n) => notes.push(n), onProgress: (p) => phases.push(p.phase) });
  t.same(phases, ['start', 'done'], 'the point is measured here');
  t.match(notes.join(' '), /1 record\(s\) from another kind of host are kept in the file but not resumed/);
  t.equal(records.length, 1);
  t.equal(readRecords(f).records.length, 2, 'both hosts\' records stay in the file');
});

t.test('resume takes the points of another machine of the same kind as done (a shard resumed on another node)', async (t) => {
  const f = join(dir, 'twin-host.jsonl');
  const plan = planBench({ peers: ['mttcg'], strategies: ['cmpxchg'], workloads: ['atomic-add-1'], vcpus: [1], repeat: 1 });
  appendRecord(f, { ...fakeRecord(1, 1, true), peer: 'mttcg', strategy: 'cmpxchg', host: { ...HOST, hostId: 'twin', os: 'linux 6.1' } });
  const phases: string[] = [];
  await runBench(plan, { out: f, resume: true, host: HOST, onProgress: (p) => phases.push(p.phase) });
  t.same(phases, ['skip'], 'nothing runs');
});

t.test('resume runs only the missing and failed points, appending one line each', { skip: nativeAvailable() ? false : 'native binaries do not run here' }, async (t) => {
  const f = join(dir, 'partial.jsonl');
  const plan = planBench({ peers: ['native'], workloads: ['atomic-add-1'], vcpus: [1, 2], repeat: 2, opsPerThread: 1000 });
  t.equal(plan.points.length, 4);
  appendRecord(f, fakeRecord(1, 1, true));
  appendRecord(f, fakeRecord(2, 1, false));
  const seen: BenchProgress[] = [];
  const records = await runBench(plan, { out: f, resume: true, host: HOST, onProgress: (p) => seen.push(p) });
  t.same(
    seen.filter((p) => p.phase !== 'start').map((p) => `${p.phase} ${p.point.vcpus}/${p.point.repeat} ${p.done}/${p.total}`),
    ['skip 1/1 1/4', 'done 2/1 2/4', 'done 1/2 3/4', 'done 2/2 4/4'],
  );
  const lines = readRecords(f);
  t.same(lines.badLines, []);
  t.equal(lines.records.length, 5, '2 old lines + 3 new');
  const fresh = lines.records.slice(2);
  t.ok(fresh.every((r) => r.ok && r.peer === 'native' && r.ops === 1000 * r.vcpus && r.ns > 0), 'new records are measured points');
  t.ok(fresh.every((r) => r.warmupOps === 500 * r.vcpus), 'the guest warm-up (half the ops per thread) is recorded');
  t.ok(fresh.every((r) => r.args[0] === 'bench/guest/native/atomic-add'), 'args are relative to the repository');
  t.same(records.map(pointKey).sort(), plan.points.map(pointKey).sort(), 'the result covers the plan once per point');
  t.equal(records.find((r) => r.vcpus === 1 && r.repeat === 1)!.ns, 1e6, 'the resumed record is returned as it was');
});
