// The sandbox under a rename race (issue 13 item 1): inside an allowed
// directory sits a symlink 'out' to a directory outside; one guest thread
// renames out -> d -> out while the other tries open, O_CREAT, openat, mkdir,
// stat, lstat, access, truncate, unlink, rename and readlink on d/... 3000
// times. Every call that succeeds went through the link to the outside.
// Before the fix (path checked, then walked again by the host call) this run
// escaped 12 times (created a file and a directory outside, truncated,
// unlinked and stole outside files); now it must not escape at all, and the
// outside directory must be exactly as it was. Bounded: one run of 3000 tries.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import t from 'tap';
import { CLI, guestElf } from '../harness/guest-runner.js';

t.test('no path syscall leaves --allow-dir through a symlink renamed meanwhile', async (t) => {
  const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mttcg-race-')));
  t.teardown(() => fs.rmSync(top, { recursive: true, force: true }));
  const inside = path.join(top, 'inside');
  const outside = path.join(top, 'outside');
  fs.mkdirSync(inside);
  fs.mkdirSync(outside);
  const files = { secret: 'TOP-SECRET\n', victim: 'v1\n', victim2: 'v2\n', victim3: 'v3\n' };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(outside, name), text);
  fs.symlinkSync('../outside', path.join(inside, 'out'));

  const r = spawnSync(process.execPath, [CLI, 'run', '--allow-dir', inside, guestElf('sandbox-race'), '3000'], {
    cwd: inside, encoding: 'utf8', timeout: 240000,
  });
  t.equal(r.status, 0, `exit 0\n${r.stderr}`);
  const m = /renames=(\d+) escapes=(\d+)/.exec(r.stdout);
  t.ok(m, `the guest reported\n${r.stdout}`);
  if (!m) return;
  t.ok(Number(m[1]) > 100, `the race ran: ${m[1]} renames during the tries`);
  t.equal(Number(m[2]), 0, `no call reached the outside\n${r.stdout}`);
  t.notMatch(r.stdout, /TOP-SECRET/, 'the outside secret was never read');
  t.same(fs.readdirSync(outside).sort(), Object.keys(files).sort(), 'nothing created in or removed from the outside directory');
  for (const [name, text] of Object.entries(files)) t.equal(fs.readFileSync(path.join(outside, name), 'utf8'), text, `${name} unchanged`);
  t.same(fs.readdirSync(inside).sort(), ['out'], 'the symlink is back, nothing was pulled inside');
});
