// `mttcg torture` as a command: bad arguments are usage errors (exit 2, no
// host stack), and a broken claim fails the command (exit 1) - here forced by
// a per-cell timeout far too short for any run, which must count as a failure
// of a case cmpxchg claims to pass.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { TortureMatrix } from '../src/torture/matrix-types.js';
import { CLI } from '../harness/guest-runner.js';

const torture = (args: readonly string[]) =>
  spawnSync(process.execPath, [CLI, 'torture', ...args], { encoding: 'utf8', timeout: 120_000 });

t.test('usage errors', async (t) => {
  const bad: [string[], RegExp][] = [
    [['--strategy', 'nosuch'], /unknown strategy 'nosuch'/],
    [['--strategy', 'cmpxchg:nosuch-option=1'], /unknown option 'nosuch-option'/],
    [['--cases', 'nosuch'], /unknown case 'nosuch'/],
    [['--threads', '0'], /not a vCPU count/],
    [['--scale', '-1'], /--scale must be a number/],
    [['--quick', '--full'], /exclude each other/],
    [['extra'], /no positional arguments/],
    [['--json', '/nonexistent-dir/m.json'], /does not exist/],
  ];
  for (const [args, re] of bad) {
    const r = torture(args);
    t.equal(r.status, 2, `${args.join(' ')}: exit 2`);
    t.match(r.stderr, re, `${args.join(' ')}: says why`);
    t.notMatch(r.stderr, /\n\s+at .*:\d+:\d+/, 'no host stack trace');
  }
  const help = spawnSync(process.execPath, [CLI, 'torture', '--help'], { encoding: 'utf8' });
  t.equal(help.status, 0);
  t.match(help.stdout, /usage: mttcg torture/);
  t.match(help.stdout, /syscall-monitor/, 'lists the cases');
});

t.test('a run that cannot finish is a broken claim: exit 1', async (t) => {
  const json = join(mkdtempSync(join(tmpdir(), 'mttcg-torture-cli-')), 'm.json');
  const r = torture(['--strategy', 'cmpxchg', '--cases', 'atomic-add', '--no-qemu', '--timeout', '0.01', '--json', json]);
  t.equal(r.status, 1, `exit 1\n${r.stdout}${r.stderr}`);
  const m = JSON.parse(readFileSync(json, 'utf8')) as TortureMatrix;
  t.equal(m.brokenClaims, 1);
  const [cell] = m.cells;
  t.equal(cell?.cell, 'fail');
  t.equal(cell?.predicted, 'pass');
  t.equal(cell?.exitCode, 124, "mttcg's own --timeout");
  t.match(cell?.reason ?? '', /exit 124 \(timeout\)/);
  t.match(r.stdout, /atomic-add\s+FAIL/, 'the matrix shows FAIL');
  t.match(r.stdout, /broken claims: 1/);
});
