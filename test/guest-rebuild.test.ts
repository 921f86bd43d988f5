// The committed guest ELFs are byte-exact rebuilds of their sources
// (`make check-rebuild` in each guest folder). Needs the ARM cross compilers,
// which .ci/run installs; skipped visibly without them.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ROOT } from '../harness/guest-runner.js';

/** Soft-float A32 folders (arm-linux-gnueabi-gcc). */
const FOLDERS = ['bench/guest', 'bench/signals', 'bench/real', 'bench/process', 'torture-tests/dynamic', 'torture-tests/process'];
/** Hard-float folders (arm-linux-gnueabihf-gcc). */
const HF_FOLDERS = ['torture-tests/vfp', 'torture-tests/vfp-libc', 'bench/vfp', 'bench/thumb'];
/** Folders with A32 builds and Thumb-2 hard-float builds (torture-tests/thumb-build.mk): both compilers. */
const BOTH_FOLDERS = ['torture-tests/guest', 'torture-tests/atomics'];
const haveCc = spawnSync('arm-linux-gnueabi-gcc', ['--version']).status === 0;
const haveHfCc = spawnSync('arm-linux-gnueabihf-gcc', ['--version']).status === 0;

function checkRebuild(t: Test, folders: readonly string[]): void {
  for (const f of folders) {
    const r = spawnSync('make', ['-s', '-C', join(ROOT, f), 'check-rebuild'], { encoding: 'utf8' });
    t.equal(r.status, 0, `${f}: make check-rebuild\n${r.stdout}${r.stderr}`);
  }
}

t.test('hard-float guest ELFs are reproducible', { skip: haveHfCc ? false : 'arm-linux-gnueabihf-gcc is not installed' }, async (t) => {
  checkRebuild(t, HF_FOLDERS);
});

t.test('guest ELFs built as A32 and as Thumb-2 are reproducible', {
  skip: haveCc && haveHfCc ? false : 'arm-linux-gnueabi-gcc or arm-linux-gnueabihf-gcc is not installed',
}, async (t) => {
  checkRebuild(t, BOTH_FOLDERS);
});

t.test('guest ELFs are reproducible', { skip: haveCc ? false : 'arm-linux-gnueabi-gcc is not installed' }, async (t) => {
  checkRebuild(t, FOLDERS);
});
