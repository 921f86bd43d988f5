// Differential tests: every conformance program gives the same stdout and
// exit status under mttcg as under real qemu-arm (the oracle).

import t from 'tap';
import { guestElf, qemuAvailable, QEMU_MISSING, runMttcg, runQemu } from '../harness/guest-runner.js';

const PROGRAMS: { name: string; args?: string[]; status: number }[] = [
  { name: 'conf-arith', status: 0 },
  { name: 'conf-addrmodes', status: 0 },
  { name: 'conf-libc', status: 0 },
  { name: 'conf-compute', status: 0 },
  { name: 'conf-smc', status: 0 },
  { name: 'conf-syscalls', status: 3 },
  { name: 'conf-threads', status: 0 },
  { name: 'conf-threads-mem', args: ['100'], status: 0 },
  { name: 'conf-segv', status: 139 },
  { name: 'conf-undef', status: 132 },
  { name: 'err-syscall', status: 0 },
  { name: 'conf-mmap-layout', status: 0 },
];

/**
 * conf-args prints what the CPU advertises. qemu-arm's default CPU has VFP and
 * NEON and calls itself v8l; mttcg emulates no VFP and says v7l (docs/testing.md).
 */
const CPU_DEPENDENT = /^(AT_HWCAP|AT_PLATFORM) /;

t.test('conformance programs match qemu-arm', { skip: qemuAvailable() ? false : QEMU_MISSING }, async (t) => {
  for (const p of PROGRAMS) {
    const elf = guestElf(p.name);
    const args = p.args ?? ['alpha', 'beta gamma'];
    const q = runQemu(elf, args);
    const m = runMttcg(elf, args);
    t.equal(q.status, p.status, `${p.name}: qemu-arm exit status is the expected ${p.status}`);
    t.equal(m.status, q.status, `${p.name}: exit status ${m.status} matches qemu-arm`);
    t.equal(m.stdout, q.stdout, `${p.name}: stdout matches qemu-arm`);
  }
  const q = runQemu(guestElf('conf-args'), ['one', 'two three']);
  const m = runMttcg(guestElf('conf-args'), ['one', 'two three']);
  const strip = (s: string): string => s.split('\n').filter((l) => !CPU_DEPENDENT.test(l)).join('\n');
  t.equal(m.status, q.status, 'conf-args: exit status matches');
  t.equal(strip(m.stdout), strip(q.stdout), 'conf-args: argv, envp and auxv match (CPU lines aside)');
  t.match(m.stdout, /AT_HWCAP vfp 0 neon 0/, 'conf-args: mttcg advertises no VFP/NEON');
  t.match(m.stdout, /AT_PLATFORM v7l/, 'conf-args: AT_PLATFORM is v7l');
});
