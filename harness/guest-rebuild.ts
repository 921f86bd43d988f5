// The committed guest ELFs are byte-exact rebuilds of their sources: `make
// check-rebuild` in each guest folder (torture-tests/guest-build.mk and
// thumb-build.mk). test/guest-rebuild.test.ts checks REBUILD_FAST_FOLDERS in
// npm test, test/acceptance/guest-rebuild.test.ts every folder. Needs the
// ARM cross compilers, which .ci/run installs; skipped visibly without them.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Test } from 'tap';
import { ROOT } from './guest-runner.js';

/** Soft-float A32 folders (arm-linux-gnueabi-gcc). */
const A32_FOLDERS = ['bench/guest', 'bench/signals', 'bench/real', 'bench/process', 'torture-tests/dynamic', 'torture-tests/process'];
/** Hard-float folders (arm-linux-gnueabihf-gcc). */
const HF_FOLDERS = ['torture-tests/vfp', 'torture-tests/vfp-libc', 'bench/vfp', 'bench/thumb'];
/** Folders with A32 builds and Thumb-2 hard-float builds (thumb-build.mk): both compilers. */
const BOTH_FOLDERS = ['torture-tests/guest', 'torture-tests/atomics'];

/**
 * npm test's share: one folder per kind of build, the smallest of each
 * (bench/thumb runs both check loops, guest-build.mk's and thumb-build.mk's).
 */
export const REBUILD_FAST_FOLDERS: readonly string[] = ['torture-tests/dynamic', 'bench/vfp', 'bench/thumb'];

const haveCc = spawnSync('arm-linux-gnueabi-gcc', ['--version']).status === 0;
const haveHfCc = spawnSync('arm-linux-gnueabihf-gcc', ['--version']).status === 0;

function checkFolders(t: Test, folders: readonly string[]): void {
  for (const f of folders) {
    const r = spawnSync('make', ['-s', '-C', join(ROOT, f), 'check-rebuild'], { encoding: 'utf8' });
    t.equal(r.status, 0, `${f}: make check-rebuild\n${r.stdout}${r.stderr}`);
  }
}

/** `make check-rebuild` in the given folders (default: every guest folder), grouped by the compilers they need. */
export function checkGuestRebuilds(t: Test, only?: readonly string[]): void {
  const pick = (folders: readonly string[]): string[] => folders.filter((f) => !only || only.includes(f));
  const hf = pick(HF_FOLDERS);
  if (hf.length > 0) {
    t.test('hard-float guest ELFs are reproducible', { skip: haveHfCc ? false : 'arm-linux-gnueabihf-gcc is not installed' }, async (t) => {
      checkFolders(t, hf);
    });
  }
  const both = pick(BOTH_FOLDERS);
  if (both.length > 0) {
    t.test('guest ELFs built as A32 and as Thumb-2 are reproducible', {
      skip: haveCc && haveHfCc ? false : 'arm-linux-gnueabi-gcc or arm-linux-gnueabihf-gcc is not installed',
    }, async (t) => {
      checkFolders(t, both);
    });
  }
  const a32 = pick(A32_FOLDERS);
  if (a32.length > 0) {
    t.test('guest ELFs are reproducible', { skip: haveCc ? false : 'arm-linux-gnueabi-gcc is not installed' }, async (t) => {
      checkFolders(t, a32);
    });
  }
}
