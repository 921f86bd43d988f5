// --strex-fail P (src/emulator/atomics/strex-fail.ts): every STREX may fail
// spuriously before the strategy sees it. The guest sees the failures (its
// own retry counter, which stays 0 without them in a single thread) and stays
// correct; under --sched the failures repeat with the seed.
// test/acceptance/torture-seeds.test.ts runs every correct strategy at P = 0.5.

import { join } from 'node:path';
import t from 'tap';
import { runMttcg } from '../harness/guest-runner.js';
import { TORTURE_DIR } from '../src/torture/cases.js';

const ADD = join(TORTURE_DIR, 'atomic-add.elf');
const retries = (stdout: string): number => Number(/strex_retries=(\d+)/.exec(stdout)?.[1] ?? -1);

t.test('one thread: no STREX fails without injection; about half do at P = 0.5, and the count is right', async (t) => {
  const none = runMttcg(ADD, ['1', '2000'], ['--strategy', 'cmpxchg']);
  t.match(none.stdout, /status=pass/);
  t.equal(retries(none.stdout), 0, 'alone, a STREX never fails (so the guest\'s retry path is untested)');
  const half = runMttcg(ADD, ['1', '2000'], ['--strategy', 'cmpxchg', '--strex-fail', '0.5']);
  t.match(half.stdout, /total=2000,expected=2000/, 'every add lands once');
  t.ok(retries(half.stdout) > 1500 && retries(half.stdout) < 2500, `retries ${retries(half.stdout)} (about one per add)`);
});

t.test('two threads under tlbexcl and stop-the-world at P = 0.5; seeded runs repeat', async (t) => {
  for (const strategy of ['tlbexcl', 'stop-the-world']) {
    const r = runMttcg(ADD, ['2', '1500'], ['--strategy', strategy, '--strex-fail', '0.5']);
    t.match(r.stdout, /total=3000,expected=3000/, `${strategy}: exact total`);
  }
  const a = runMttcg(ADD, ['2', '300'], ['--sched', 'seed:4', '--strex-fail', '0.5']);
  const b = runMttcg(ADD, ['2', '300'], ['--sched', 'seed:4', '--strex-fail', '0.5']);
  t.equal(a.stdout, b.stdout, 'the same seed fails the same STREXes');
  t.ok(retries(a.stdout) > 0);
});
