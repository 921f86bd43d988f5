// The conformance programs built as Thumb-2 hard-float (Debian armhf's
// defaults, torture-tests/thumb-build.mk) print what their A32 builds print
// under qemu-arm (the committed references) and exit alike; where qemu-arm is
// installed, it agrees on the Thumb builds too. conf-arith and conf-addrmodes
// have ARM-only inline assembly and no Thumb build.

import t from 'tap';
import { readRef, THUMB_PROGRAMS, thumbElf, withoutCpuLines } from '../harness/conformance.js';
import { qemuAvailable, QEMU_MISSING, runMttcg, runQemu } from '../harness/guest-runner.js';

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
