// One translator tier against the qemu-arm references: every conformance
// program run with the given --hot-threshold must exit and print as the
// reference says (test/translator-tier-*.test.ts: the interpreter in one
// file, the compiled tier, which compiles every TB, in two halves, so that
// each file stays inside tap's per-file limit on a loaded host).

import type { Test } from 'tap';
import { CONFORMANCE_PROGRAMS, readRef, withoutCpuLines } from './conformance.js';
import { guestElf, runMttcg } from './guest-runner.js';

/** Part `part` (0-based) of `parts` equal slices of the conformance programs. */
export function checkTier(t: Test, tier: string, threshold: string, part = 0, parts = 1): void {
  const per = Math.ceil(CONFORMANCE_PROGRAMS.length / parts);
  const programs = CONFORMANCE_PROGRAMS.slice(part * per, (part + 1) * per);
  t.test(`conformance programs ${part + 1}/${parts} match the qemu-arm reference: ${tier}`, async (t) => {
    for (const p of programs) {
      const m = runMttcg(guestElf(p.name), p.args, ['--hot-threshold', threshold]);
      t.equal(m.status, p.status, `${p.name}: exit status ${m.status} is qemu-arm's ${p.status}`);
      t.equal(withoutCpuLines(m.stdout), withoutCpuLines(readRef(p.name)), `${p.name}: stdout matches ${p.name}.ref`);
    }
  });
}
