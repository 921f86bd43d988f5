// Torture runs are appended to a JSON Lines file as they finish and
// --resume skips them: a file that holds every planned run runs nothing and
// the matrix comes from it; a may-fail cell repeats and reads "k of N runs
// failed"; a counting case's RESULT pairs say whether its race was
// exercised. (test/torture-resume.test.ts runs the one missing run of a
// partial file.)

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { UsageError } from '../../../src/cli/option-parser.js';
import { cellOfRuns } from '../../../src/torture/assemble-matrix.js';
import { exerciseOf } from '../../../src/torture/exercise.js';
import { planTorture, runTortureMatrix, type TortureProgress } from '../../../src/torture/run-matrix.js';
import { appendTortureRun } from '../../../src/torture/run-record.js';
import { fakeRun, HERE, REQUEST } from '../../helpers/torture-runs.js';

const dir = mkdtempSync(join(tmpdir(), 'torture-resume-'));
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
