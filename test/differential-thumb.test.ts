// The conformance and signal programs built as Thumb-2 hard-float (Debian
// armhf's defaults, torture-tests/thumb-build.mk) print what their A32
// builds print under qemu-arm (the committed references; for the signal
// programs apart from the same listed kernel/qemu-arm differences) and exit
// alike; where qemu-arm is installed, it agrees on the Thumb builds too.
// conf-arith and conf-addrmodes have ARM-only inline assembly and no Thumb
// build. The signal programs run their handlers in Thumb state and return
// through the Thumb sigreturn trampoline.

import { existsSync } from 'node:fs';
import t from 'tap';
import { readRef, THUMB_PROGRAMS, thumbElf, withoutCpuLines } from '../harness/conformance.js';
import { qemuAvailable, QEMU_MISSING, runMttcg, runQemu } from '../harness/guest-runner.js';
import { LINUX_USER_PROGRAMS, runAgainstRef } from '../harness/linux-user-programs.js';

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
  // The signal programs that have a Thumb build (torture-tests/guest/Makefile's THUMB_SRCS).
  const signalPrograms = LINUX_USER_PROGRAMS.filter((p) => existsSync(thumbElf(p.name)));
  t.ok(signalPrograms.length >= 8, `${signalPrograms.length} signal programs have a Thumb build`);
  for (const p of signalPrograms) {
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
});
