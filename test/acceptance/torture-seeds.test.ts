// mttcg torture --seeds end to end on the ABA case the handshake forces
// (treiber-aba): cmpxchg's value-comparing STREX fails on every seed with the
// first failing seed printed, which `mttcg run --sched` reproduces; tlbexcl
// (real LL/SC) fails on none; two runs of the command print the same cells.
// And --strex-fail: every STREX may fail spuriously, correct programs stay
// correct under every strategy.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { CLI, runMttcg } from '../../harness/guest-runner.js';
import { TORTURE_DIR } from '../../src/torture/cases.js';

const torture = (args: readonly string[]) =>
  spawnSync(process.execPath, [CLI, 'torture', ...args], { encoding: 'utf8', timeout: 600_000 });

const ARGS = ['--seeds', '1..2', '--cases', 'treiber-aba', '--strategy', 'cmpxchg,tlbexcl', '--scale', '0.05', '--no-qemu'];

t.test('seeds: cmpxchg fails every seed, tlbexcl none, the same cells on a second run', async (t) => {
  const a = torture(ARGS);
  t.equal(a.status, 0, a.stderr);
  const row = (out: string) => out.split('\n').find((l) => l.startsWith('treiber-aba  '))?.trim() ?? '';
  t.match(row(a.stdout), /^treiber-aba\s+xfail 2\/2 s1\s+pass 0\/2$/, `the row: ${row(a.stdout)}`);
  const b = torture(ARGS);
  t.equal(row(b.stdout), row(a.stdout), 'identical from run to run');
  // The printed seed reproduces the failure (the torture runs use these --sched fields).
  const r = runMttcg(join(TORTURE_DIR, 'treiber-aba.elf'), ['2', '20'], ['--strategy', 'cmpxchg', '--sched', 'seed:1,steps=200000,events=memory']);
  t.match(r.stdout, /RESULT case=treiber-aba status=fail/);
});

t.test('--strex-fail 0.5: correct programs stay correct, and the failures happen', async (t) => {
  for (const strategy of ['stop-the-world', 'cmpxchg', 'aie', 'tlbexcl']) {
    const r = runMttcg(join(TORTURE_DIR, 'atomic-add.elf'), ['2', '3000'], ['--strategy', strategy, '--strex-fail', '0.5', '--stats']);
    t.match(r.stdout, /status=pass/, `${strategy}: atomic-add passes`);
    const injected = Number(/"atomic\.strexFailInjected": (\d+)/.exec(r.stderr)?.[1] ?? 0);
    t.ok(injected > 1000, `${strategy}: ${injected} STREXes failed on purpose`);
  }
});
