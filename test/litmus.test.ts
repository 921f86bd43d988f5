// mttcg litmus (docs/litmus.md) on a handful of catalogue tests with few runs:
// free runs under two strategies and qemu-arm keep every forbidden outcome at
// zero; under --sched the ABA test's forbidden outcome shows under cmpxchg
// (excused: cmpxchg does not claim aba-plain) and never under tlbexcl; a test
// with a wrong verdict fails. The whole catalogue: test/acceptance/litmus-catalogue.test.ts.

import { join } from 'node:path';
import t from 'tap';
import { runCli } from '../harness/cli-child.js';
import { LITMUS_DIR } from '../src/litmus/litmus-catalogue.js';
import { REPOSITORY_ROOT } from '../src/host/repository-root.js';
import { qemuInstalled } from '../src/torture/qemu-peer.js';

const CLI = join(REPOSITORY_ROOT, 'dist', 'src', 'cli', 'main.js');
const FEW = ['MP', 'SB+dmbs', 'CoRR', 'EX+inc-once', 'EX+store-window'].map((n) => join(LITMUS_DIR, `${n}.litmus`));
const LIMIT_MS = 400_000;

t.test('free runs: no forbidden outcome under cmpxchg, tlbexcl and qemu-arm', async (t) => {
  const qemu = qemuInstalled() ? ['--qemu'] : [];
  const r = await runCli([CLI, 'litmus', ...FEW, '--strategy', 'cmpxchg,tlbexcl', '--runs', '200', ...qemu], LIMIT_MS);
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /Observation MP (Never|Sometimes|Always) \d+ \d+/);
  t.match(r.stdout, /Histogram \(\d+ states\)/);
  t.match(r.stdout, /No forbidden outcome was seen/);
  t.notMatch(r.stdout, /Verdict \S+ (ERROR|FAILED)/);
  if (qemu.length) t.match(r.stdout, /Test CoRR Allowed \[qemu-arm\]\n/, 'a qemu-arm column');
});

t.test('--sched: the ABA outcome shows under cmpxchg (excused), never under tlbexcl', async (t) => {
  const r = await runCli([CLI, 'litmus', join(LITMUS_DIR, 'EX+aba.litmus'), '--strategy', 'cmpxchg,tlbexcl', '--runs', '200', '--sched', 'seed:1', '--no-free'], LIMIT_MS);
  t.equal(r.status, 0, r.stderr);
  const cmp = /EX\+aba\s+forbidden\s+(\d+)\/200(\S*)\s+(\d+)\/200(\S*)/.exec(r.stdout);
  t.ok(cmp, r.stdout);
  t.ok(Number(cmp![1]) > 0, `cmpxchg: ${cmp![1]} of 200 runs show the ABA`);
  t.equal(cmp![2], '~', 'excused: cmpxchg declares the ABA weakness');
  t.equal(Number(cmp![3]), 0, 'tlbexcl: never');
  const again = await runCli([CLI, 'litmus', join(LITMUS_DIR, 'EX+aba.litmus'), '--strategy', 'cmpxchg', '--runs', '200', '--sched', 'seed:1', '--no-free', '--quiet'], LIMIT_MS);
  t.match(again.stdout, new RegExp(`EX\\+aba\\s+forbidden\\s+${cmp![1]}/200~`), 'the same seed, the same count');
});

t.test('a wrong verdict fails the run (the check can fail)', async (t) => {
  const wrong = join(REPOSITORY_ROOT, 'test', 'fixtures', 'litmus', 'MP+sc-forbidden.litmus');
  const r = await runCli([CLI, 'litmus', wrong, '--strategy', 'tlbexcl', '--runs', '100', '--sched', 'seed:1', '--no-free'], LIMIT_MS);
  t.equal(r.status, 1);
  t.match(r.stdout, /Verdict MP\+sc-forbidden FAILED: the forbidden outcome was seen \d+ times/);
  t.match(r.stdout, /1 test\/column pair\(s\) FAILED/);
});

t.test('usage errors', async (t) => {
  // Under the deterministic scheduler: free runs of a loaded host may never interleave the two threads, and then
  // never show the outcome the fixture wrongly forbids (exit status 0 at load 12, session 15).
  const fixtures = join(REPOSITORY_ROOT, 'test', 'fixtures', 'litmus');
  const r = await runCli([CLI, 'litmus', fixtures, '--strategy', 'tlbexcl', '--runs', '100', '--sched', 'seed:1', '--no-free'], LIMIT_MS);
  t.equal(r.status, 0 + 1, 'the fixture directory runs (and fails on its wrong verdict)');
  const bad = await runCli([CLI, 'litmus', join(LITMUS_DIR, 'MP.litmus'), '--sched', 'replay:x'], LIMIT_MS);
  t.equal(bad.status, 2);
  t.match(bad.stderr, /litmus takes seed:N/);
});
