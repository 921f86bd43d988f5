// Bad input gets a clear message and an exit status, never a hang or a host
// stack trace: malformed ELFs, faults, undefined instructions, unknown
// syscalls, deadlocks, timeouts and crashed workers.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { CLI, guestElf, runMttcg } from '../harness/guest-runner.js';

const tmp = mkdtempSync(join(tmpdir(), 'mttcg-errors-'));
const noStack = /\n\s+at .*\(.*:\d+:\d+\)/;

t.test('malformed ELF files', async (t) => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty', new Uint8Array(0), /truncated|not an ELF/i],
    ['text', Buffer.from('#!/bin/sh\necho hi\n'), /not an ELF/i],
    ['truncated', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]), /truncated/i],
  ];
  for (const [name, bytes, re] of cases) {
    const f = join(tmp, name);
    writeFileSync(f, bytes);
    const r = runMttcg(f);
    t.equal(r.status, 1, `${name}: exit status 1`);
    t.match(r.stderr, re, `${name}: says what is wrong`);
    t.notMatch(r.stderr, noStack, `${name}: no host stack trace`);
  }
  const host = runMttcg(process.execPath);
  t.equal(host.status, 1, 'a host x86-64 binary is refused');
  t.match(host.stderr, /64-bit|machine/i, 'and the message names the problem');
  const missing = runMttcg(join(tmp, 'does-not-exist'));
  t.equal(missing.status, 2, 'a missing program is a usage error');
  t.match(missing.stderr, /no such file/);
});

t.test('undefined instruction reports pc and word', async (t) => {
  const r = runMttcg(guestElf('conf-undef'));
  t.equal(r.status, 132);
  t.equal(r.stdout, 'before udf\n');
  t.match(r.stderr, /SIGILL: undefined instruction 0xe7f000f0 .*pc 0x[0-9a-f]{8}/);
  t.notMatch(r.stderr, noStack);
});

t.test('unmapped access reports address and pc', async (t) => {
  const r = runMttcg(guestElf('conf-segv'));
  t.equal(r.status, 139);
  t.match(r.stderr, /SIGSEGV: unmapped address: write at 0x00000010 \(pc 0x[0-9a-f]{8}\)/);
});

t.test('unknown syscall: ENOSYS and one warning', async (t) => {
  const r = runMttcg(guestElf('err-syscall'));
  t.equal(r.status, 0);
  t.equal(r.stdout.split('\n').filter((l) => l === 'syscall(9999) -> -1 errno ENOSYS 1').length, 3, 'ENOSYS each time');
  t.equal(r.stderr.split('\n').filter((l) => /unsupported syscall 9999/.test(l)).length, 1, 'warned exactly once');
});

t.test('guest deadlock is reported, not hung', async (t) => {
  const r = runMttcg(guestElf('err-deadlock'), [], ['--deadlock-grace', '1'], 60000);
  t.equal(r.status, 125);
  t.match(r.stderr, /guest deadlock: every thread is blocked .*thread 1000 .*thread 1001/);
});

t.test('--timeout bounds a run', async (t) => {
  const r = runMttcg(guestElf('err-deadlock'), [], ['--timeout', '1', '--deadlock-grace', '600'], 60000);
  t.equal(r.status, 124);
  t.match(r.stderr, /timed out after 1 s/);
});

t.test('a crashed vCPU worker ends the run with a clear message', async (t) => {
  const r = spawnSync(process.execPath, [CLI, 'run', guestElf('conf-threads')], {
    encoding: 'utf8', timeout: 60000, env: { ...process.env, MTTCG_INJECT_FAULT: 'worker-crash' },
  });
  t.equal(r.status, 70);
  t.match(r.stderr, /internal error in the vCPU of thread \d+: fault injected/);
  t.notMatch(r.stderr, noStack);
});
