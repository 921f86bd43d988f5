// 160 threads with glibc's default 8 MiB stacks alive at once, under
// --memory 64 (issue 13 item 4): 1.25 GiB of thread stacks must fit in the
// guest address space (the old 1 GiB mmap area held at most 127 of them) and
// cost only the frames the threads touch. Long (one worker per thread), so in
// the acceptance run.

import t from 'tap';
import { guestElf, qemuAvailable, runMttcg, runQemu } from '../../harness/guest-runner.js';

t.setTimeout(900_000);

t.test('160 threads x 8 MiB stacks under --memory 64', async (t) => {
  const elf = guestElf('conf-many-threads');
  const r = runMttcg(elf, ['160'], ['--memory', '64'], 870_000);
  t.equal(r.status, 0, `exit 0\n${r.stderr.slice(-2000)}`);
  t.equal(r.stdout, 'threads=160 sum=4688\n');
  if (qemuAvailable()) t.equal(r.stdout, runQemu(elf, ['160']).stdout, 'as under qemu-arm');
});
