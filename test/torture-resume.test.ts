// A partly written torture runs file: the one missing run executes (a real
// mttcg process), while a torn last line, another kind of host's run and another
// profile's run are not taken as done, and the new run starts on a line of
// its own.

import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runTortureMatrix, type TortureProgress } from '../src/torture/run-matrix.js';
import { appendTortureRun, readTortureRuns } from '../src/torture/run-record.js';
import { fakeRun, HERE, OTHER, REQUEST } from './helpers/torture-runs.js';

const dir = mkdtempSync(join(tmpdir(), 'torture-resume-'));

t.test('a missing run, a torn line, another kind of host\'s and another profile\'s runs: only the missing run executes', async (t) => {
  const f = join(dir, 'partial.jsonl');
  for (const r of [1, 2, 3]) appendTortureRun(f, fakeRun('treiber', r, 'pass'));
  appendTortureRun(f, fakeRun('syscall-monitor', 1, 'fail', OTHER)); // another kind of machine's run is not ours
  appendTortureRun(f, { ...fakeRun('syscall-monitor', 1, 'fail'), profile: 'full' }); // nor one of another profile
  appendFileSync(f, '{"kind":"torture-run","vers'); // a kill in the middle of a write
  const notes: string[] = [];
  const ran: TortureProgress[] = [];
  const m = await runTortureMatrix(REQUEST, { out: f, resume: true, host: HERE, onNote: (n) => notes.push(n), onProgress: (p) => ran.push(p) });
  t.same(ran.filter((p) => !p.resumed).map((p) => p.result.case), ['syscall-monitor'], 'exactly the missing run ran');
  t.equal(m.cells.find((c) => c.case === 'syscall-monitor')!.observed, 'pass', 'cmpxchg clears the monitor at a syscall: the real run passed');
  t.match(notes.join('\n'), /1 unreadable line/);
  t.match(notes.join('\n'), /from another kind of host/);
  const back = readTortureRuns(f);
  t.same(back.badLines, [6], 'the torn line stays unreadable');
  t.equal(back.records.length, 6, 'the new run starts on a line of its own');
});

