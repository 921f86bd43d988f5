// The deterministic scheduler (`mttcg run --sched`, docs/scheduler.md) end to
// end: one seed gives one interleaving (identical instruction traces and
// output, clocks and getrandom included), another seed another; a recorded
// schedule replays; a deadlock is found at once; bad values are usage errors.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { guestElf, runMttcg } from '../harness/guest-runner.js';
import { TORTURE_DIR } from '../src/torture/cases.js';

const dir = mkdtempSync(join(tmpdir(), 'mttcg-sched-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const ABA = join(TORTURE_DIR, 'aba-llsc.elf');

function traced(sched: string, name: string, strategy = 'cmpxchg'): { trace: string; stdout: string; status: number } {
  const file = join(dir, name);
  const r = runMttcg(ABA, ['2', '1'], ['--strategy', strategy, '--sched', sched, '--trace', file]);
  return { trace: readFileSync(file, 'utf8'), stdout: r.stdout, status: r.status };
}

t.test('one seed, one interleaving: identical per-vCPU instruction traces; another seed differs', async (t) => {
  const a = traced('seed:11', 'a.trace');
  const b = traced('seed:11', 'b.trace');
  const c = traced('seed:12', 'c.trace');
  t.equal(a.status, 0);
  t.ok(a.trace.length > 100000, `the trace has the instructions of both threads (${a.trace.length} bytes)`);
  t.ok(a.trace === b.trace, 'seed 11 twice: the same trace, byte for byte');
  t.equal(a.stdout, b.stdout, 'and the same output');
  t.ok(a.trace !== c.trace, 'seed 12 interleaves differently (the comparison can fail)');
});

t.test('clocks, sleeps, timeouts and getrandom are virtual under --sched', async (t) => {
  const elf = guestElf('sched-time');
  const a = runMttcg(elf, [], ['--sched', 'seed:5']);
  const b = runMttcg(elf, [], ['--sched', 'seed:5']);
  const c = runMttcg(elf, [], ['--sched', 'seed:6']);
  const free1 = runMttcg(elf);
  const free2 = runMttcg(elf);
  t.equal(a.status, 0, a.stderr);
  t.match(a.stdout, /cond_timedwait=110 futex_timeout=-1/, 'timed waits end by their virtual deadline (ETIMEDOUT)');
  t.match(a.stdout, /real=17672256\d+/, 'CLOCK_REALTIME starts at 2026-01-01 virtual time');
  t.equal(a.stdout, b.stdout, 'seed 5 twice: the same clocks, random bytes and lock order');
  t.not(a.stdout, c.stdout, 'seed 6 gives other random bytes');
  t.not(free1.stdout, free2.stdout, 'without --sched two runs print different clocks (so the test can fail)');
});

t.test('a recorded schedule replays the run', async (t) => {
  const record = join(dir, 'run.sched');
  const a = traced(`seed:21,steps=50000,record=${record}`, 'r1.trace');
  const lines = readFileSync(record, 'utf8').split('\n').filter((l) => /^\d+ \d+$/.test(l));
  t.ok(lines.length > 0, `the schedule lists the switches (${lines.length})`);
  const b = traced(`replay:${record}`, 'r2.trace');
  t.ok(a.trace === b.trace, 'the replay runs the same instructions in the same order');
  t.equal(a.stdout, b.stdout);
  const tampered = join(dir, 'tampered.sched');
  const text = readFileSync(record, 'utf8').replace(/^(\d+) (\d+)$/m, '$1 7');
  (await import('node:fs')).writeFileSync(tampered, text);
  const r = runMttcg(ABA, ['2', '1'], ['--sched', `replay:${tampered}`]);
  t.not(r.status, 0, 'a schedule naming a thread that cannot run is refused');
  t.match(r.stderr, /the schedule names thread 7, which cannot run here/);
});

t.test('a deadlock is reported at once, with the seed', async (t) => {
  const r = runMttcg(guestElf('err-deadlock'), [], ['--sched', 'seed:3', '--deadlock-grace', '3600']);
  t.equal(r.status, 125);
  t.match(r.stderr, /guest deadlock: every thread is blocked in a futex wait/);
  t.match(r.stderr, /failed under --sched seed:3 \(\d+ steps, \d+ switches\); the same --sched value reproduces it/);
});

t.test('bad --sched values are usage errors', async (t) => {
  for (const bad of ['seed:x', 'seed:1,depth=0', 'seed:1,policy=fifo', 'seed:1,colour=red', `replay:${join(dir, 'missing')}`]) {
    const r = runMttcg(ABA, [], ['--sched', bad]);
    t.equal(r.status, 2, `--sched ${bad}: exit 2`);
    t.match(r.stderr, /--sched/, `--sched ${bad}: the message names the option`);
  }
});
