// The repository's root folder (the one holding package.json), found by
// walking up from this module, so that the built dist/ tree, tests, benchmarks
// and the CLI agree on it whatever the working directory.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepositoryRoot(): string {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error('mttcg-lab repository root (package.json) not found');
    d = up;
  }
  return d;
}

export const REPOSITORY_ROOT = findRepositoryRoot();
