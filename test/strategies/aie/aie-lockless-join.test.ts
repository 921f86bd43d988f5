// aie's LDREX joins the reservation set without the entry lock (session 10,
// docs/strategy-aie.md "LDREX joins without the entry lock"): the inline
// STREX stores, then releases the lock and empties the set in one
// read-modify-write of the lock word, so a LDREX that joins after the release
// reads the stored value, and one that joined before it is removed (its STREX
// fails). Two vCPUs hand a LDREX/STREX spinlock back and forth through the CLI
// (bench/guest/spinlock: each acquisition adds to a count and a 64-bit sum
// under the lock; the guest checks both at the end): with the STREX's store
// moved after its release, a joiner loads the old lock word, both STREXes
// succeed and updates are lost (check=fail in every run tried, 4 of 4).

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ROOT, runMttcg } from '../../../harness/guest-runner.js';

const SPINLOCK = join(ROOT, 'bench', 'guest', 'spinlock.elf');
const dir = mkdtempSync(join(tmpdir(), 'aie-lockless-join-'));

t.test('a 2-vCPU LDREX/STREX spinlock under aie stores=always loses no update', (t) => {
  for (let run = 0; run < 2; run++) {
    const stats = join(dir, `stats-${run}.json`);
    const r = runMttcg(SPINLOCK, ['2', '200000', 'ldrex'],
      ['--strategy', 'aie', '--aie-monitor', 'set', '--aie-stores', 'always', '--stats-json', stats, '--timeout', '120']);
    t.equal(r.status, 0, `run ${run}: exit 0 (${r.stderr.trim().slice(0, 300)})`);
    const line = r.stdout.split('\n').find((l) => l.startsWith('BENCH ')) ?? 'no BENCH line';
    t.match(line, /check=pass/, `run ${run}: count and sum exact`);
    const totals = (JSON.parse(readFileSync(stats, 'utf8')) as { totals: Record<string, number> }).totals;
    const ldrex = totals['atomic.ldrex'] ?? 0;
    t.ok(ldrex >= 2 * 200000, `run ${run}: ${ldrex} LDREXes`);
    // The pairs ran inline (the helpers take the lock for every LDREX): so the inline join and release were tested.
    t.ok((totals['atomic.exclusiveHelperCalls'] ?? ldrex) < ldrex / 10, `run ${run}: LDREX and STREX mostly inline`);
    t.ok((totals['atomic.lockAcquisitions'] ?? 0) < 1.5 * ldrex, `run ${run}: LDREXes took no lock`);
  }
  t.end();
});
