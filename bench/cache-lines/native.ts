// The cache-lines microbench's native reference (cache-lines.c): built at
// run time with the host's C compiler into a temporary directory (no binary
// is kept in the repository), then run once per measurement. Without a
// compiler the reference is skipped with the reason, and the JavaScript
// figures stand alone.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../../src/host/repository-root.js';
import type { MetaPlace } from './layout.js';
import type { Mode, SequenceName } from './sequences.js';
import type { ThreadFigures } from './run-figures.js';

const SOURCE = join(REPOSITORY_ROOT, 'bench', 'cache-lines', 'cache-lines.c');

export interface NativeReference {
  /** One measurement: every thread's figures. */
  run(sequence: SequenceName, place: MetaPlace, threads: number, mode: Mode, ops: number, warmup: number): ThreadFigures[];
  /** Removes the temporary directory. */
  dispose(): void;
}

/** Builds the reference, or returns why it cannot (no compiler, or the build failed). */
export function buildNative(): NativeReference | string {
  const cc = process.env.CC ?? 'cc';
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-cache-lines-'));
  const exe = join(dir, 'cache-lines');
  const b = spawnSync(cc, ['-O2', '-pthread', '-o', exe, SOURCE], { encoding: 'utf8' });
  if (b.error || b.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const why = (b.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' ? `no C compiler (${cc})` : `${cc} failed: ${b.error?.message ?? b.stderr.trim()}`;
    return `native reference skipped: ${why}`;
  }
  return {
    run(sequence, place, threads, mode, ops, warmup) {
      const r = spawnSync(exe, [sequence, place, String(threads), mode, String(ops), String(warmup)], {
        encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL',
      });
      if (r.error || r.status !== 0) throw new Error(`cache-lines native ${sequence} ${place} ${threads} ${mode}: ${r.error?.message ?? r.stderr.trim()}`);
      return r.stdout.trim().split('\n').map((line) => {
        const [ops, fails, waits, cpuNs, wallNs, startNs, endNs] = line.split(' ').map(Number);
        return { ops: ops!, fails: fails!, waits: waits!, cpuNs: cpuNs!, wallNs: wallNs!, startNs: startNs!, endNs: endNs! };
      });
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
