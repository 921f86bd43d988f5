// The whole litmus catalogue (torture-tests/litmus, docs/litmus.md): every
// strategy and variant in free runs, the five strategies under --sched seeds
// 1-3 (the interleavings, independent of the host's load), and qemu-arm. No
// forbidden outcome may show outside a strategy's declared weakness and no
// program may fail; under --sched the ABA tests must show the value-comparing
// STREX's weakness (cmpxchg, stop-the-world) on some seed, so that the
// catalogue demonstrably reaches the exclusive windows. Each summary is
// printed as a comment (the allowed relaxations an x86 host shows).

import t from 'tap';
import { runCli } from '../../harness/cli-child.js';
import { CLI } from '../../harness/guest-runner.js';
import { LITMUS_DIR } from '../../src/litmus/litmus-catalogue.js';
import { qemuInstalled } from '../../src/torture/qemu-peer.js';
import { strategyNames } from '../../src/machine/strategy-registry.js';
import { defaultSpecTexts } from '../../src/torture/strategy-spec.js';

const RUNS = process.env.MTTCG_LITMUS_RUNS ?? '200';
const SCHED_RUNS = process.env.MTTCG_LITMUS_SCHED_RUNS ?? '100';
const LIMIT_MS = 3_000_000;

/** The summary table's rows: test -> cells. */
function summaryRows(stdout: string): Map<string, string[]> {
  const lines = stdout.split('\n');
  const head = lines.findIndex((l) => l.startsWith('test '));
  const rows = new Map<string, string[]>();
  for (const l of lines.slice(head + 1)) {
    const cells = l.trim().split(/\s{2,}/);
    if (cells.length < 3) break;
    rows.set(cells[0]!, cells.slice(2));
  }
  return rows;
}

t.test('free runs: every strategy and variant, and qemu-arm', async (t) => {
  const qemu = qemuInstalled() ? ['--qemu'] : [];
  const r = await runCli([CLI, 'litmus', LITMUS_DIR, '--strategy', defaultSpecTexts().join(','), '--runs', RUNS, '--quiet', ...qemu], LIMIT_MS);
  t.comment(r.stdout);
  t.equal(r.status, 0, r.stderr.slice(-2000));
  const rows = summaryRows(r.stdout);
  t.ok(rows.size >= 30, `${rows.size} tests in the summary`);
  for (const [test, cells] of rows) {
    t.notOk(cells.some((c) => c.endsWith('!') || c === 'ERR'), `${test}: ${cells.join(' ')}`);
  }
});

t.test('--sched seeds 1-3: no forbidden outcome outside declared weaknesses; the ABA windows are reached', async (t) => {
  const scheds = ['seed:1', 'seed:2', 'seed:3'].flatMap((s) => ['--sched', s]);
  const r = await runCli([CLI, 'litmus', LITMUS_DIR, '--strategy', strategyNames().join(','), '--runs', SCHED_RUNS, '--no-free', '--quiet', ...scheds], LIMIT_MS);
  t.comment(r.stdout);
  t.equal(r.status, 0, r.stderr.slice(-2000));
  const rows = summaryRows(r.stdout);
  for (const [test, cells] of rows) {
    t.notOk(cells.some((c) => c.endsWith('!') || c === 'ERR'), `${test}: ${cells.join(' ')}`);
  }
  const header = r.stdout.split('\n').find((l) => l.startsWith('test '))!.trim().split(/\s{2,}/).slice(2);
  for (const strategy of ['cmpxchg', 'stop-the-world']) {
    const seen = header.flatMap((label, i) => (label.startsWith(`${strategy}/`) ? [rows.get('EX+aba')![i]!] : []));
    t.ok(seen.some((c) => c.endsWith('~')), `${strategy}: EX+aba's ABA shows on some seed (${seen.join(' ')})`);
  }
  const tlbexcl = header.flatMap((label, i) => (label.startsWith('tlbexcl/') ? [rows.get('EX+aba')![i]!] : []));
  t.ok(tlbexcl.every((c) => /^0\//.test(c)), `tlbexcl never (${tlbexcl.join(' ')})`);
});
