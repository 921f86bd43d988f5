// What the last run of the same program did in the solo phase (cold start,
// docs/translator.md "Start-up"), so that this run makes slot 0's worker
// before the thread needs it. With no worker at the phase's start (session
// 13) a program that moves early (a clone, a wait, a sleep: the "early
// movers") waits for the worker's whole start at its move; one made at the
// phase's start costs a program that ends in the phase its start and its
// teardown. No syscall of a glibc program's start tells the two apart, but
// the program's previous run does, as the code cache keeps what an earlier
// run compiled.
//
// A hint is a small file per program, keyed by the ELF's path, size and
// modification time and the guest's argv (busybox `true` and busybox `sh`
// are one ELF): "the thread moved at a syscall after M ms of the phase's
// CPU time". A run that finds one makes the worker LEAD_MS of CPU before
// that, or at once. A run whose thread moves at a syscall and found none
// writes one; a run that ends in the phase with one removes it; a move at
// the time budget leaves things as they are (the watch's own rule makes that
// worker). So a program's runs write at most when its behaviour changes.
// The early worker pays only where a core is idle for its start: on a busy
// host (a load average at or above the host's cores) it takes the main
// thread's core, and a hinted run makes its worker at the move as before
// (MTTCG_SOLO_HINTS_LOAD sets that load).
// Files go to solo-hints/ in the code cache's directory (dist/bundle/v8-cache/,
// or $MTTCG_CODE_CACHE); MTTCG_CODE_CACHE=off or MTTCG_SOLO_HINTS=off runs
// without them, MTTCG_SOLO_HINTS=DIR keeps them in DIR. A hint that cannot
// be read or written only costs the speed; one that is wrong costs a
// worker's start once and is then removed.

import { readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunConfig } from '../emulator/process/run-config.js';
import { cacheDir, shortHash, writeWhole } from '../host/code-cache.js';

export const SOLO_HINTS_ENV = 'MTTCG_SOLO_HINTS';
/** Changes when what a move means changes (solo-syscalls.ts's local set), so older hints are not read. */
const HINT_VERSION = 1;
/**
 * How much earlier than the last run's move the worker is made, in ms of
 * the phase's CPU time: a worker's start (an isolate, Node's worker
 * bootstrap, its bundle from the code cache) takes 25-40 ms of wall time,
 * and the phase's CPU advances no faster than the wall clock.
 */
export const LEAD_MS = 50;

/** What the last run of a program did. */
export interface SoloHint {
  /** The phase's CPU time, in ms, when the thread moved at a syscall. */
  readonly moveCpuMs: number;
  /** The syscall it moved at (`syscall N`), for the cold trace. */
  readonly why: string;
}

/** The directory of the hints, or null when they are off. */
export function hintsDir(): string | null {
  const own = process.env[SOLO_HINTS_ENV];
  if (own === 'off' || own === '0') return null;
  if (own) return own;
  // Beside the run command's code cache. This module runs from dist/bundle/*.cjs, or (MTTCG_NO_BUNDLE=1) from
  // dist/src/machine/.
  const here = dirname(fileURLToPath(import.meta.url));
  const bundle = basename(here) === 'bundle' ? here : join(here, '..', '..', 'bundle');
  const cache = cacheDir(join(bundle, 'run-main.cjs'));
  return cache === null ? null : join(cache, 'solo-hints');
}

/** The program's identity for its hint: null if its ELF cannot be stat'ed. */
export function programKey(config: Pick<RunConfig, 'exePath' | 'argv'>): string | null {
  try {
    const s = statSync(config.exePath);
    return JSON.stringify([HINT_VERSION, config.exePath, s.size, s.mtimeMs, config.argv]);
  } catch {
    return null;
  }
}

interface HintFile {
  readonly key: string;
  readonly moveCpuMs: number;
  readonly why: string;
}

/** Where one program's hint lives, and its key; null when hints are off or the program has no key. */
export class HintSlot {
  private constructor(private readonly file: string, private readonly key: string) {}

  static of(config: Pick<RunConfig, 'exePath' | 'argv'>): HintSlot | null {
    const dir = hintsDir();
    const key = dir === null ? null : programKey(config);
    // The file's name is a short hash of the key; the file holds the whole key.
    return dir === null || key === null ? null : new HintSlot(join(dir, `${shortHash(key)}.json`), key);
  }

  /** The last run's hint, or null (none, unreadable, or another program's under the same hash). */
  read(): SoloHint | null {
    try {
      const h = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<HintFile>;
      if (h.key !== this.key || typeof h.moveCpuMs !== 'number' || !Number.isFinite(h.moveCpuMs)) return null;
      return { moveCpuMs: h.moveCpuMs, why: String(h.why ?? '') };
    } catch {
      return null;
    }
  }

  /** Records a move at a syscall (through a temporary file: a concurrent run never reads half a hint). */
  write(hint: SoloHint): void {
    try {
      const body: HintFile = { key: this.key, moveCpuMs: Math.round(hint.moveCpuMs * 10) / 10, why: hint.why };
      writeWhole(this.file, JSON.stringify(body));
    } catch {
      // a read-only installation: runs go without hints
    }
  }

  remove(): void {
    try {
      rmSync(this.file, { force: true });
    } catch {
      // as write
    }
  }
}

/** The highest load average at which a hint is used (default: the host's cores). */
export const SOLO_HINTS_LOAD_ENV = 'MTTCG_SOLO_HINTS_LOAD';

/**
 * Whether the host has a core to spare for a worker's start beside the main
 * thread: the last minute's load average below MTTCG_SOLO_HINTS_LOAD, by
 * default the number of cores. `load` and `cores` are for the tests.
 */
export function spareCore(load = loadavg()[0], cores = availableParallelism()): boolean {
  const text = process.env[SOLO_HINTS_LOAD_ENV];
  const limit = text === undefined || text === '' || !Number.isFinite(Number(text)) ? cores : Number(text);
  return load < limit;
}

/** When a hinted run makes its worker, in ms of the phase's CPU time. */
export function hintedWorkerCpuMs(hint: SoloHint): number {
  return Math.max(0, hint.moveCpuMs - LEAD_MS);
}
