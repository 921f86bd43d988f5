// Runs guest ELFs under mttcg (the built CLI) and under real qemu-arm, for
// differential tests. qemu-arm is the oracle; tests skip visibly without it.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../src/host/repository-root.js';

export const ROOT = REPOSITORY_ROOT;
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const GUEST_DIR = join(ROOT, 'torture-tests', 'guest');

export interface GuestRun {
  readonly stdout: string;
  readonly stderr: string;
  /** Exit status as a shell reports it (128 + signal for a signal death). */
  readonly status: number;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGKILL: 9, SIGSEGV: 11 };

function toRun(r: ReturnType<typeof spawnSync>): GuestRun {
  const status = r.status ?? 128 + (SIGNAL_NUMBERS[r.signal ?? ''] ?? 0);
  return { stdout: String(r.stdout), stderr: String(r.stderr), status };
}

export function guestElf(name: string): string {
  return join(GUEST_DIR, `${name}.elf`);
}

/** A fixed, small environment so that both emulators see the same one. */
export const GUEST_ENV = { PATH: '/usr/bin:/bin', LANG: 'C', CONF_ARGS_VAR: 'from-the-test' };

/** `cwd`: the directory the emulator runs in (the guest's working directory). */
export function runMttcg(
  elf: string, args: readonly string[] = [], options: readonly string[] = [], timeoutMs = 120000, cwd?: string,
): GuestRun {
  const envArgs = Object.entries(GUEST_ENV).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
  return toRun(spawnSync(process.execPath, [CLI, 'run', '--clean-env', ...envArgs, ...options, elf, ...args], {
    encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, cwd,
  }));
}

export function qemuAvailable(): boolean {
  return spawnSync('qemu-arm', ['--version'], { encoding: 'utf8' }).status === 0;
}

export function runQemu(
  elf: string, args: readonly string[] = [], extra: readonly string[] = [], timeoutMs = 120000, cwd?: string,
): GuestRun {
  return toRun(spawnSync('qemu-arm', [...extra, elf, ...args], {
    encoding: 'utf8', timeout: timeoutMs, env: GUEST_ENV, maxBuffer: 64 << 20, cwd,
  }));
}

export const QEMU_MISSING = 'qemu-arm is not installed (apt-get install qemu-user); the differential oracle is unavailable';

/** Debian's static busybox (armel, or armhf: Thumb-2, hard-float), fetched by scripts/fetch-busybox.sh (.ci/run runs it), or null. */
export function busyboxPath(arch: 'armel' | 'armhf' = 'armel'): string | null {
  const p = join(process.env.MTTCG_CACHE ?? join(homedir(), '.cache', 'mttcg-lab'), `busybox-static-${arch}`, 'bin', 'busybox');
  return existsSync(p) ? p : null;
}
