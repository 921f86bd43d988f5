// The conformance and signal programs built as Thumb-2 hard-float (Debian
// armhf's defaults, torture-tests/thumb-build.mk) print what their A32
// builds print under qemu-arm (the committed references; for the signal
// programs apart from the same listed kernel/qemu-arm differences) and exit
// alike; where qemu-arm is installed, it agrees on the Thumb builds too.
// conf-arith and conf-addrmodes have ARM-only inline assembly and no Thumb
// build. The signal programs run their handlers in Thumb state and return
// through the Thumb sigreturn trampoline; conf-semihost's Thumb build makes
// its semihosting calls with svc 0xab; conf-oabi has no Thumb build (OABI
// calls exist only in ARM state).

import { existsSync } from 'node:fs';
import t from 'tap';
import { readRef, THUMB_PROGRAMS, thumbElf, withoutCpuLines } from '../harness/conformance.js';
import { qemuAvailable, QEMU_MISSING, runMttcg, runQemu } from '../harness/guest-runner.js';
import { LINUX_USER_PROGRAMS, runAgainstRef, runQemuLike } from '../harness/linux-user-programs.js';

/** The linux-user programs with a Thumb build (torture-tests/guest/Makefile's THUMB_SRCS). */
const THUMB_LINUX_USER_PROGRAMS = LINUX_USER_PROGRAMS.filter((p) => existsSync(thumbElf(p.name)));

/** stdout as the A32 build would print it: conf-args names its own file. */
function asA32(name: string, stdout: string): string {
  return withoutCpuLines(stdout.replaceAll(`${name}.thumb.elf`, `${name}.elf`));
}

t.test('Thumb builds of the conformance programs match the A32 references', async (t) => {
  for (const p of THUMB_PROGRAMS) {
    const m = runMttcg(thumbElf(p.name), p.args);
    t.equal(m.status, p.status, `${p.name} (Thumb): exit status ${m.status} is ${p.status}`);
    t.equal(asA32(p.name, m.stdout), withoutCpuLines(readRef(p.name)), `${p.name} (Thumb): stdout matches ${p.name}.ref`);
  }
  // The signal, shm, memory-error and semihosting programs (conf-oabi is ARM-only).
  t.ok(THUMB_LINUX_USER_PROGRAMS.length >= 11, `${THUMB_LINUX_USER_PROGRAMS.length} linux-user programs have a Thumb build`);
  for (const p of THUMB_LINUX_USER_PROGRAMS) {
    const c = runAgainstRef(p, [], thumbElf(p.name));
    t.equal(c.mttcg.status, p.status, `${p.name} (Thumb): exit status ${c.mttcg.status} is ${p.status}`);
    t.same(c.unexplained, [], `${p.name} (Thumb): stdout matches ${p.name}.ref but for the listed differences`);
    t.same(c.stale, [], `${p.name} (Thumb): the listed differences show as in the A32 build`);
  }
  const undef = runMttcg(thumbElf('conf-undef'));
  t.match(undef.stderr, /SIGILL: undefined instruction 0xde00 at pc 0x[0-9a-f]{8} in Thumb state/, 'a Thumb UDF is reported with its halfword and the state');
});

t.test('qemu-arm agrees on the Thumb builds', { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
  for (const p of THUMB_PROGRAMS) {
    const q = runQemu(thumbElf(p.name), p.args);
    t.equal(q.status, p.status, `${p.name} (Thumb): qemu-arm exit status`);
    t.equal(asA32(p.name, q.stdout), withoutCpuLines(readRef(p.name)), `${p.name} (Thumb): qemu-arm prints the A32 reference`);
  }
  for (const p of THUMB_LINUX_USER_PROGRAMS) {
    const q = runQemuLike(p, thumbElf(p.name));
    t.equal(q.status, p.status, `${p.name} (Thumb): qemu-arm exit status`);
    t.equal(q.stdout, readRef(p.name), `${p.name} (Thumb): qemu-arm prints the A32 reference`);
  }
});
