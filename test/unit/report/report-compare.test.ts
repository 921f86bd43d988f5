// `mttcg report --compare A B` on two reports drawn from the fixture: the
// same data twice compares as all the same; a run where one point moved far
// and one claim flipped shows exactly those; bad directories are usage
// errors.

import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { UsageError } from '../../../src/cli/option-parser.js';
import { compareReports } from '../../../reports/lib/compare-reports.js';
import { writeReport } from '../../../reports/lib/write-report.js';
import { fixtureInputs, scalePoint } from '../../helpers/report-fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'mttcg-report-compare-'));

t.test('two reports of the same data: every verdict the same, nothing moved', async (t) => {
  const a = join(tmp, 'a');
  const b = join(tmp, 'b');
  await writeReport(fixtureInputs(), 'quick (fixture)', a);
  await writeReport(fixtureInputs(), 'quick (fixture)', b);
  const out = compareReports(a, b);
  t.match(out, /5 of 5 verdicts are the same\./);
  t.match(out, /0 point\(s\) moved beyond their intervals; \d+ agree within them/);
  t.notMatch(out, /different kinds of host/);
});

t.test('a point that moved and a verdict that flipped', async (t) => {
  const base = fixtureInputs();
  const a = join(tmp, 'a2');
  const b = join(tmp, 'b2');
  await writeReport(base, 'quick (fixture)', a);
  // stop-the-world at 8 vCPUs 20 times faster: the collapse claim is refuted, and the point moved
  await writeReport({ ...base, bench: scalePoint(base.bench, 'atomic-add-1', 'stop-the-world', 8, 20) }, 'quick (fixture)', b);
  const out = compareReports(a, b);
  t.match(out, /\| stop-the-world: throughput near 0 beyond 4 threads \| supported.* \| refuted.* \| \*\*changed\*\* \|/);
  t.match(out, /4 of 5 verdicts are the same\./);
  t.match(out, /\| atomic-add-1 stop-the-world @8 \| 20\.0 k \[[^\]]+\] \| 400 k \[[^\]]+\] \| 20\.00× \|/);
  t.match(out, /1 point\(s\) moved beyond their intervals/);
});

t.test('not report directories: usage errors that say why', async (t) => {
  t.throws(() => compareReports(join(tmp, 'nope'), join(tmp, 'a')), UsageError);
  const old = join(tmp, 'old');
  mkdirSync(join(old, 'data'), { recursive: true });
  writeFileSync(join(old, 'data', 'report.json'), JSON.stringify({ kind: 'mttcg-report', version: 1 }));
  t.throws(() => compareReports(old, join(tmp, 'a')), /version 1, without intervals; redraw it first/);
});
