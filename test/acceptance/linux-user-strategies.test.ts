// The linux-user guest programs under every strategy that claims
// correctness (its torture guarantees predict pthread-stress and atomic-add
// to pass), each compared with its qemu-arm reference as in
// test/linux-user.test.ts.

import t from 'tap';
import { LINUX_USER_PROGRAMS, runAgainstRef } from '../../harness/linux-user-programs.js';
import { findStrategy, strategyNames } from '../../src/machine/strategy-registry.js';

const CORRECT = strategyNames().filter((n) => {
  const g = findStrategy(n).guarantees({});
  return g['pthread-stress'] === 'pass' && g['atomic-add'] === 'pass';
});

t.test('linux-user programs match qemu-arm under every correct strategy', async (t) => {
  t.ok(CORRECT.length >= 4, `strategies claiming correctness: ${CORRECT.join(', ')}`);
  for (const strategy of CORRECT) {
    for (const p of LINUX_USER_PROGRAMS) {
      const c = runAgainstRef(p, ['--strategy', strategy]);
      t.equal(c.mttcg.status, p.status, `${strategy} ${p.name}: exit status ${c.mttcg.status} is qemu-arm's`);
      t.same(c.unexplained, [], `${strategy} ${p.name}: stdout matches ${p.name}.ref`);
    }
  }
});
