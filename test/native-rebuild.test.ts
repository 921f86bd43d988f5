// The committed native binaries (bench/guest/native/) are byte-exact rebuilds
// of the benchmark sources, checked only with the compiler they were built
// with (native/TOOLCHAIN): another gcc legitimately produces other bytes.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { ROOT } from '../bench/lib/peers.js';

const dir = join(ROOT, 'bench', 'guest');
const recorded = readFileSync(join(dir, 'native', 'TOOLCHAIN'), 'utf8').trim();
const cc = spawnSync('cc', ['--version'], { encoding: 'utf8' });
const here = cc.status === 0 ? (cc.stdout.split('\n')[0] ?? '').trim() : null;
const skip = here === null ? 'no cc on this host' : here !== recorded ? `built with '${recorded}', this host has '${here}'` : false;

t.test('native benchmark binaries are reproducible', { skip }, async (t) => {
  const r = spawnSync('make', ['-s', '-C', dir, 'native-check-rebuild'], { encoding: 'utf8' });
  t.equal(r.status, 0, `make native-check-rebuild\n${r.stdout}${r.stderr}`);
});
