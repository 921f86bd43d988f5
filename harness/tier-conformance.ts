// One translator tier against the qemu-arm references: the conformance
// programs run with the given --hot-threshold must exit and print as the
// references say. test/translator-tier-compiled.test.ts runs the compiled
// tier on TIER_FAST_PROGRAMS in npm test; test/acceptance/translator-tiers.test.ts
// runs both tiers on every program.

import type { Test } from 'tap';
import { CONFORMANCE_PROGRAMS, readRef, withoutCpuLines, type ConformanceProgram } from './conformance.js';
import { guestElf, runMttcg } from './guest-runner.js';

/**
 * The programs the fast suite runs with every TB compiled at once: those
 * whose translation is the point (every ALU and addressing form, self-
 * modifying code, precise faults, interworking). At the default threshold
 * the first two compile only their hot loop and the others nothing. The
 * rest are library, syscall and thread programs, which compile the same
 * instructions again, slowly; the default threshold compiles their hot code
 * (conf-threads' exclusives among it) in test/differential.test.ts.
 */
export const TIER_FAST_PROGRAMS: readonly string[] = [
  'conf-arith', 'conf-addrmodes', 'conf-smc', 'conf-segv', 'conf-undef', 'conf-interwork',
];

/** Runs `programs` (default: every conformance program) with --hot-threshold `threshold`. */
export function checkTier(t: Test, tier: string, threshold: string, names?: readonly string[]): void {
  const programs: readonly ConformanceProgram[] = names
    ? names.map((n) => {
      const p = CONFORMANCE_PROGRAMS.find((c) => c.name === n);
      if (!p) throw new Error(`tier-conformance: no conformance program ${n}`);
      return p;
    })
    : CONFORMANCE_PROGRAMS;
  t.test(`${programs.length} conformance programs match the qemu-arm reference: ${tier}`, async (t) => {
    for (const p of programs) {
      const m = runMttcg(guestElf(p.name), p.args, ['--hot-threshold', threshold]);
      t.equal(m.status, p.status, `${p.name}: exit status ${m.status} is qemu-arm's ${p.status}`);
      t.equal(withoutCpuLines(m.stdout), withoutCpuLines(readRef(p.name)), `${p.name}: stdout matches ${p.name}.ref`);
    }
  });
}
