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
 * modifying code, precise faults, interworking, exclusives), and none of
 * which compiles a region at the default threshold but the first two.
 * The others are library and syscall programs, which compile the same
 * instructions again, and slowly.
 */
export const TIER_FAST_PROGRAMS: readonly string[] = [
  'conf-arith', 'conf-addrmodes', 'conf-smc', 'conf-segv', 'conf-undef', 'conf-interwork', 'conf-threads',
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
