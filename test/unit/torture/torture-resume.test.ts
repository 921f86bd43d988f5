// Torture runs are appended to a JSON Lines file as they finish and
// --resume skips them: a file that holds every planned run runs nothing; a
// file that lacks one runs exactly that one; a torn last line, runs of
// another host and runs of another profile are not taken as done; a
// may-fail cell repeats and reads "k of N runs failed"; a counting case's
// RESULT pairs say whether its race was exercised.

import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { UsageError } from '../../../src/cli/option-parser.js';
import { hostInfo, type HostInfo } from '../../../src/host/host-info.js';
import { cellOfRuns } from '../../../src/torture/assemble-matrix.js';
import { exerciseOf } from '../../../src/torture/exercise.js';
import type { TortureCellResult } from '../../../src/torture/matrix-types.js';
import { planTorture, runTortureMatrix, type TortureProgress, type TortureRequest } from '../../../src/torture/run-matrix.js';
import { appendTortureRun, readTortureRuns, type TortureRunRecord } from '../../../src/torture/run-record.js';

const dir = mkdtempSync(join(tmpdir(), 'torture-resume-'));
const HERE = hostInfo();
const OTHER: HostInfo = { ...HERE, hostId: 'elsewhere000' };

/** treiber is may-fail under cmpxchg: 3 runs; syscall-monitor must pass: 1 run. */
const REQUEST: TortureRequest = { specs: ['cmpxchg'], cases: ['treiber', 'syscall-monitor'], qemu: false, repeats: 3, timeoutSeconds: 60 };

function fakeRun(kase: 'treiber' | 'syscall-monitor', repeat: number, observed: 'pass' | 'fail', host: HostInfo = HERE, kv: Record<string, string> = {}): TortureRunRecord {
  const predicted = kase === 'treiber' ? 'may-fail' : 'pass';
  const result: TortureCellResult = {
    case: kase, column: 'cmpxchg@2', predicted, declared: predicted, observed,
    cell: observed === 'pass' ? 'pass' : predicted === 'pass' ? 'fail' : 'expected-fail',
    resultLine: `RESULT case=${kase} status=${observed}`, observedKv: { case: kase, status: observed, ...kv },
    exitCode: 0, stderrTail: '', reason: null, args: ['2', '100'], ms: 5,
  };
  return {
    kind: 'torture-run', version: 1, profile: 'quick', scale: 1, repeat, result, host, time: '2026-01-01T00:00:00.000Z',
    column: { label: 'cmpxchg@2', strategy: 'cmpxchg', options: {}, threads: 2, peer: false },
  };
}

t.test('the plan: may-fail cells repeat, others run once', async (t) => {
  const plan = planTorture(REQUEST);
  t.same(plan.runs.map((r) => `${r.case.name}#${r.repeat}/${r.repeats}`), ['treiber#1/3', 'treiber#2/3', 'treiber#3/3', 'syscall-monitor#1/1']);
  t.throws(() => planTorture({ ...REQUEST, repeats: 0 }), UsageError);
});

t.test('a file holding every planned run: nothing runs, the matrix comes from the file', async (t) => {
  const f = join(dir, 'complete.jsonl');
  for (const r of [1, 2, 3]) appendTortureRun(f, fakeRun('treiber', r, r === 2 ? 'fail' : 'pass'));
  appendTortureRun(f, fakeRun('syscall-monitor', 1, 'pass'));
  const before = readFileSync(f, 'utf8');
  const seen: TortureProgress[] = [];
  const m = await runTortureMatrix(REQUEST, { out: f, resume: true, host: HERE, onProgress: (p) => seen.push(p) });
  t.ok(seen.length === 4 && seen.every((p) => p.resumed), 'every run reported as resumed');
  t.equal(readFileSync(f, 'utf8'), before, 'nothing appended');
  const treiber = m.cells.find((c) => c.case === 'treiber')!;
  t.equal(treiber.runs, 3);
  t.equal(treiber.failedRuns, 1, '1 of 3 runs failed');
  t.equal(treiber.observed, 'fail');
  t.equal(treiber.cell, 'expected-fail');
  t.equal(m.repeats, 3);
  await t.rejects(runTortureMatrix(REQUEST, { out: f, host: HERE }), UsageError, 'without --resume an existing file is refused, not mixed');
});

t.test('a missing run, a torn line, another host\'s and another profile\'s runs: only the missing run executes', async (t) => {
  const f = join(dir, 'partial.jsonl');
  for (const r of [1, 2, 3]) appendTortureRun(f, fakeRun('treiber', r, 'pass'));
  appendTortureRun(f, fakeRun('syscall-monitor', 1, 'fail', OTHER)); // another machine's run is not ours
  appendTortureRun(f, { ...fakeRun('syscall-monitor', 1, 'fail'), profile: 'full' }); // nor one of another profile
  appendFileSync(f, '{"kind":"torture-run","vers'); // a kill in the middle of a write
  const notes: string[] = [];
  const ran: TortureProgress[] = [];
  const m = await runTortureMatrix(REQUEST, { out: f, resume: true, host: HERE, onNote: (n) => notes.push(n), onProgress: (p) => ran.push(p) });
  t.same(ran.filter((p) => !p.resumed).map((p) => p.result.case), ['syscall-monitor'], 'exactly the missing run ran');
  t.equal(m.cells.find((c) => c.case === 'syscall-monitor')!.observed, 'pass', 'cmpxchg clears the monitor at a syscall: the real run passed');
  t.match(notes.join('\n'), /1 unreadable line/);
  t.match(notes.join('\n'), /from another host/);
  const back = readTortureRuns(f);
  t.same(back.badLines, [6], 'the torn line stays unreadable');
  t.equal(back.records.length, 6, 'the new run starts on a line of its own');
});

t.test('k of N and exercised: a cell of several runs', async (t) => {
  const kv = (c: string, p: string): Record<string, string> => ({ concurrent_chunks: c, chunks: '80', pop_retries: p, push_retries: '0' });
  const cell = cellOfRuns([
    fakeRun('treiber', 1, 'pass', HERE, kv('0', '0')),
    fakeRun('treiber', 2, 'pass', HERE, kv('30', '4')),
    fakeRun('treiber', 3, 'pass', HERE, kv('12', '0')),
  ]);
  t.same([cell.runs, cell.failedRuns, cell.exercisedRuns, cell.observed, cell.cell], [3, 0, 1, 'pass', 'pass']);
  t.match(cell.notExercised, /no chunk overlapped/);
  t.same(exerciseOf('treiber', kv('12', '0')), { exercised: false, why: '12 of 80 chunks overlapped but no attempt lost a race (pop_retries, push_retries all 0)' });
  t.same(exerciseOf('treiber', kv('12', '1')).exercised, true);
  t.equal(exerciseOf('aba-plain', { retried: '3' }).exercised, null, 'a handshake case has no such measure');
  t.equal(exerciseOf('atomic-add', { strex_retries: '9' }).exercised, null, 'no concurrent_chunks: unknown, not exercised');
});
