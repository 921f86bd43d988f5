// The two translator tiers each run every conformance program to the
// qemu-arm reference on their own: `--hot-threshold 0` interprets every TB
// (no JavaScript is compiled), `--hot-threshold 1` compiles every TB into a
// region at its first run (regions formed again as their exits get frequent).
// test/differential.test.ts covers the default mix; docs/translator.md has
// the tiers.

import t from 'tap';
import { CONFORMANCE_PROGRAMS, readRef, withoutCpuLines } from '../harness/conformance.js';
import { guestElf, runMttcg } from '../harness/guest-runner.js';

for (const [tier, threshold] of [['interpreter only', '0'], ['compiled at once', '1']] as const) {
  t.test(`conformance programs match the qemu-arm reference: ${tier}`, async (t) => {
    for (const p of CONFORMANCE_PROGRAMS) {
      const m = runMttcg(guestElf(p.name), p.args, ['--hot-threshold', threshold]);
      t.equal(m.status, p.status, `${p.name}: exit status ${m.status} is qemu-arm's ${p.status}`);
      t.equal(withoutCpuLines(m.stdout), withoutCpuLines(readRef(p.name)), `${p.name}: stdout matches ${p.name}.ref`);
    }
  });
}
