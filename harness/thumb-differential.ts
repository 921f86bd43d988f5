// The conformance and signal programs built as Thumb-2 hard-float (Debian
// armhf's defaults, torture-tests/thumb-build.mk) print what their A32
// builds print under qemu-arm (the committed references; for the signal
// programs apart from the same listed kernel/qemu-arm differences) and exit
// alike; where qemu-arm is installed, it agrees on the Thumb builds too.
// conf-arith and conf-addrmodes have ARM-only inline assembly and no Thumb
// build. The signal programs run their handlers in Thumb state and return
// through the Thumb sigreturn trampoline; conf-semihost's Thumb build makes
// its semihosting calls with svc 0xab; conf-oabi has no Thumb build (OABI
// calls exist only in ARM state). test/differential-thumb.test.ts runs
// THUMB_FAST_PROGRAMS in npm test, test/acceptance/differential-thumb.test.ts
// every program with a Thumb build.

import { existsSync } from 'node:fs';
import type { Test } from 'tap';
import { readRef, THUMB_PROGRAMS, thumbElf, withoutCpuLines } from './conformance.js';
import { qemuAvailable, QEMU_MISSING, runMttcg, runQemu } from './guest-runner.js';
import { LINUX_USER_PROGRAMS, runAgainstRef, runQemuLike } from './linux-user-programs.js';

/** The linux-user programs with a Thumb build (torture-tests/guest/Makefile's THUMB_SRCS). */
const THUMB_LINUX_USER_PROGRAMS = LINUX_USER_PROGRAMS.filter((p) => existsSync(thumbElf(p.name)));

/**
 * npm test's share: the Thumb builds where Thumb state is the point (Thumb-2
 * libc and compute code, exclusives, interworking, faults and UDF reported
 * in Thumb state; handlers entered and left in Thumb state, on the
 * alternate stack and asynchronously; semihosting's svc 0xab). The others
 * make the same syscalls from Thumb code.
 */
export const THUMB_FAST_PROGRAMS: readonly string[] = [
  'conf-libc', 'conf-compute', 'conf-threads', 'conf-interwork', 'conf-segv', 'conf-undef',
  'sig-context', 'sig-altstack', 'sig-async', 'conf-semihost',
];

/** stdout as the A32 build would print it: conf-args names its own file. */
function asA32(name: string, stdout: string): string {
  return withoutCpuLines(stdout.replaceAll(`${name}.thumb.elf`, `${name}.elf`));
}

/** The Thumb builds of the named programs (default: every program with one) against the A32 references. */
export function checkThumbBuilds(t: Test, names?: readonly string[]): void {
  const pick = <P extends { name: string }>(list: readonly P[]): P[] => list.filter((p) => !names || names.includes(p.name));
  const conf = pick(THUMB_PROGRAMS);
  const lu = pick(THUMB_LINUX_USER_PROGRAMS);
  if (names) {
    const known = [...conf, ...lu].map((p) => p.name);
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length > 0) throw new Error(`thumb-differential: no Thumb build of ${unknown.join(', ')}`);
  }
  t.test(`Thumb builds of ${conf.length} conformance and ${lu.length} linux-user programs match the A32 references`, async (t) => {
    for (const p of conf) {
      const m = runMttcg(thumbElf(p.name), p.args);
      t.equal(m.status, p.status, `${p.name} (Thumb): exit status ${m.status} is ${p.status}`);
      t.equal(asA32(p.name, m.stdout), withoutCpuLines(readRef(p.name)), `${p.name} (Thumb): stdout matches ${p.name}.ref`);
    }
    // The signal, shm, memory-error and semihosting programs (conf-oabi is ARM-only).
    t.ok(THUMB_LINUX_USER_PROGRAMS.length >= 11, `${THUMB_LINUX_USER_PROGRAMS.length} linux-user programs have a Thumb build`);
    for (const p of lu) {
      const c = runAgainstRef(p, [], thumbElf(p.name));
      t.equal(c.mttcg.status, p.status, `${p.name} (Thumb): exit status ${c.mttcg.status} is ${p.status}`);
      t.same(c.unexplained, [], `${p.name} (Thumb): stdout matches ${p.name}.ref but for the listed differences`);
      t.same(c.stale, [], `${p.name} (Thumb): the listed differences show as in the A32 build`);
    }
    const undef = runMttcg(thumbElf('conf-undef'));
    t.match(undef.stderr, /SIGILL: undefined instruction 0xde00 at pc 0x[0-9a-f]{8} in Thumb state/, 'a Thumb UDF is reported with its halfword and the state');
  });

  t.test('qemu-arm agrees on the Thumb builds', { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
    for (const p of conf) {
      const q = runQemu(thumbElf(p.name), p.args);
      t.equal(q.status, p.status, `${p.name} (Thumb): qemu-arm exit status`);
      t.equal(asA32(p.name, q.stdout), withoutCpuLines(readRef(p.name)), `${p.name} (Thumb): qemu-arm prints the A32 reference`);
    }
    for (const p of lu) {
      const q = runQemuLike(p, thumbElf(p.name));
      t.equal(q.status, p.status, `${p.name} (Thumb): qemu-arm exit status`);
      t.equal(q.stdout, readRef(p.name), `${p.name} (Thumb): qemu-arm prints the A32 reference`);
    }
  });
}
