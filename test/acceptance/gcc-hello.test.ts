// Issue 22's stretch: Debian's armel gcc-12 compiles and links hello.c
// inside mttcg (-L: the sysroot scripts/fetch-gcc.sh unpacks). The driver,
// cc1, as, collect2 and ld are guest processes of the one run (fork, execve,
// wait, temporary files); the program it links prints its line under
// qemu-arm -L (or mttcg when qemu-arm is missing). Skipped when the sysroot
// is not fetched (about 42 MB; CI does not fetch it). Half a minute to a
// minute on a loaded 2-core host.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { qemuAvailable, runMttcg, runQemu } from '../../harness/guest-runner.js';

const SYSROOT = join(process.env.MTTCG_CACHE ?? join(homedir(), '.cache', 'mttcg-lab'), 'gcc-armel');
const GCC = join(SYSROOT, 'usr', 'bin', 'arm-linux-gnueabi-gcc-12');
const LINE = 'hello from gcc inside mttcg';

t.test('armel gcc compiles and links hello.c inside mttcg', {
  skip: existsSync(GCC) ? false : 'the armel gcc sysroot is not fetched (sh scripts/fetch-gcc.sh)',
}, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-gcc-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'hello.c'), `#include <stdio.h>\nint main(void) { printf("${LINE}\\n"); return 3; }\n`);
  const stats = join(dir, 'stats.json');
  // gcc writes its temporary files into the working directory when /tmp is outside the sandbox.
  const r = runMttcg(GCC, ['-O2', '-o', 'hello', 'hello.c'], ['-L', SYSROOT, '--allow-dir', dir, '--stats-json', stats], 600000, dir);
  t.equal(r.status, 0, `gcc exits 0 under mttcg${r.status !== 0 ? `: ${r.stderr.slice(0, 600)}` : ''}`);
  const pids = new Set((JSON.parse(readFileSync(stats, 'utf8')) as { threads: { pid: number }[] }).threads.map((x) => x.pid));
  t.ok(pids.size >= 4, `the driver, cc1, as and the linker ran as guest processes (${pids.size} pids)`);
  const run = qemuAvailable()
    ? runQemu(join(dir, 'hello'), [], ['-L', SYSROOT])
    : runMttcg(join(dir, 'hello'), [], ['-L', SYSROOT, '--allow-dir', dir]);
  t.equal(run.stdout, `${LINE}\n`, 'the program it built prints its line');
  t.equal(run.status, 3, 'and exits with its status');
});
