// The committed guest ELFs are byte-exact rebuilds of their sources
// (`make check-rebuild` in each guest folder). Needs the ARM cross compiler,
// which .ci/run installs; skipped visibly without it.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../harness/guest-runner.js';

const FOLDERS = ['torture-tests/guest', 'torture-tests/atomics', 'bench/guest'];
/** Hard-float folders (arm-linux-gnueabihf-gcc). */
const HF_FOLDERS = ['torture-tests/vfp', 'torture-tests/vfp-libc', 'bench/vfp'];
const haveCc = spawnSync('arm-linux-gnueabi-gcc', ['--version']).status === 0;
const haveHfCc = spawnSync('arm-linux-gnueabihf-gcc', ['--version']).status === 0;

t.test('hard-float guest ELFs are reproducible', { skip: haveHfCc ? false : 'arm-linux-gnueabihf-gcc is not installed' }, async (t) => {
  for (const f of HF_FOLDERS) {
    const r = spawnSync('make', ['-s', '-C', join(ROOT, f), 'check-rebuild'], { encoding: 'utf8' });
    t.equal(r.status, 0, `${f}: make check-rebuild\n${r.stdout}${r.stderr}`);
  }
});

t.test('guest ELFs are reproducible', { skip: haveCc ? false : 'arm-linux-gnueabi-gcc is not installed' }, async (t) => {
  for (const f of FOLDERS) {
    const r = spawnSync('make', ['-s', '-C', join(ROOT, f), 'check-rebuild'], { encoding: 'utf8' });
    t.equal(r.status, 0, `${f}: make check-rebuild\n${r.stdout}${r.stderr}`);
  }
});
