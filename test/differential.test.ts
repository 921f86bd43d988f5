// Differential tests: every conformance program gives the same stdout and
// exit status under mttcg as under real qemu-arm (the oracle). The oracle's
// output is committed (torture-tests/guest/<name>.ref, `npm run golden:refs`),
// so mttcg is tested against it without qemu-arm; where qemu-arm is installed
// each reference is also checked against a fresh qemu-arm run, so a stale
// reference cannot hide a difference.

import t from 'tap';
import { CONFORMANCE_PROGRAMS, readRef, withoutCpuLines } from '../harness/conformance.js';
import { guestElf, qemuAvailable, QEMU_MISSING, runMttcg, runQemu } from '../harness/guest-runner.js';

const haveQemu = qemuAvailable();

t.test('conformance programs match the qemu-arm reference', async (t) => {
  for (const p of CONFORMANCE_PROGRAMS) {
    const m = runMttcg(guestElf(p.name), p.args);
    t.equal(m.status, p.status, `${p.name}: exit status ${m.status} is qemu-arm's ${p.status}`);
    t.equal(withoutCpuLines(m.stdout), withoutCpuLines(readRef(p.name)), `${p.name}: stdout matches ${p.name}.ref`);
  }
  const args = runMttcg(guestElf('conf-args'), CONFORMANCE_PROGRAMS.find((p) => p.name === 'conf-args')!.args);
  t.match(args.stdout, /AT_HWCAP vfp 1 neon 0/, 'conf-args: mttcg advertises VFP and no NEON');
  // Exactly what is emulated (docs/vfp.md, linux-user/address-map.ts): VFPv3-D16, TLS, the divide
  // instructions in both sets, and the ARMv7 basics; no NEON, VFPD32, VFPv4, ThumbEE, LPAE.
  t.match(
    args.stdout,
    /^AT_HWCAP names swp half thumb fastmult vfp edsp vfpv3 vfpv3d16 tls idiva idivt; AT_HWCAP2 0$/m,
    'conf-args: AT_HWCAP is exactly the emulated set, AT_HWCAP2 is 0',
  );
  t.match(args.stdout, /AT_PLATFORM v7l/, 'conf-args: AT_PLATFORM is v7l');
});

t.test('the references are what qemu-arm prints today', { skip: haveQemu ? false : QEMU_MISSING }, async (t) => {
  for (const p of CONFORMANCE_PROGRAMS) {
    const q = runQemu(guestElf(p.name), p.args);
    t.equal(q.status, p.status, `${p.name}: qemu-arm exit status is the expected ${p.status}`);
    t.equal(q.stdout, readRef(p.name), `${p.name}: qemu-arm's stdout is ${p.name}.ref (else: npm run golden:refs)`);
  }
});
