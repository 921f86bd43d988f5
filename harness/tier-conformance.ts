// One translator tier against the qemu-arm references: every conformance
// program run with the given --hot-threshold must exit and print as the
// reference says (test/translator-tier-*.test.ts, one file per tier so that
// each stays well inside tap's per-file limit on a loaded host).

import type { Test } from 'tap';
import { CONFORMANCE_PROGRAMS, readRef, withoutCpuLines } from './conformance.js';
import { guestElf, runMttcg } from './guest-runner.js';

export function checkTier(t: Test, tier: string, threshold: string): void {
  t.test(`conformance programs match the qemu-arm reference: ${tier}`, async (t) => {
    for (const p of CONFORMANCE_PROGRAMS) {
      const m = runMttcg(guestElf(p.name), p.args, ['--hot-threshold', threshold]);
      t.equal(m.status, p.status, `${p.name}: exit status ${m.status} is qemu-arm's ${p.status}`);
      t.equal(withoutCpuLines(m.stdout), withoutCpuLines(readRef(p.name)), `${p.name}: stdout matches ${p.name}.ref`);
    }
  });
}
