// Rewrites torture-tests/guest/<name>.ref, the qemu-arm reference output of
// every conformance program, the VFP programs and the linux-user programs
// (`npm run golden:refs`; needs qemu-arm). A run
// whose exit status differs from the expected one is refused, so that a
// broken oracle never becomes the reference.

import { writeFileSync } from 'node:fs';
import { CONFORMANCE_PROGRAMS, refPath, VFP_CONFORMANCE, VFP_LIBC_PROGRAMS } from './conformance.js';
import { LINUX_USER_PROGRAMS, runQemuLike } from './linux-user-programs.js';
import { guestElf, qemuAvailable, QEMU_MISSING, runQemu } from './guest-runner.js';

if (!qemuAvailable()) {
  process.stderr.write(`golden:refs: ${QEMU_MISSING}\n`);
  process.exit(1);
}
let failed = 0;
for (const p of [...CONFORMANCE_PROGRAMS, ...LINUX_USER_PROGRAMS]) {
  const r = 'scratch' in p ? runQemuLike(p) : runQemu(guestElf(p.name), p.args ?? []);
  if (r.status !== p.status) {
    process.stderr.write(`golden:refs: ${p.name}: qemu-arm exited ${r.status}, expected ${p.status}; reference not written\n`);
    failed++;
    continue;
  }
  writeFileSync(refPath(p.name), r.stdout);
  process.stdout.write(`${refPath(p.name)}: ${r.stdout.length} bytes\n`);
}
for (const prog of [VFP_CONFORMANCE, ...VFP_LIBC_PROGRAMS]) {
  const r = runQemu(prog.elf, [], prog.qemuOptions);
  if (r.status === 0) {
    writeFileSync(prog.ref, r.stdout);
    process.stdout.write(`${prog.ref}: ${r.stdout.length} bytes\n`);
  } else {
    process.stderr.write(`golden:refs: ${prog.elf}: qemu-arm exited ${r.status}; reference not written\n`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
