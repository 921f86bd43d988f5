// Benchmark processes under SCHED_FIFO (`--realtime`): the emulator's
// threads (mttcg's vCPU workers and V8's threads, qemu-arm's vCPU threads)
// run before every normal process of the host. On a host busy with other
// work, two vCPU threads otherwise take turns on the two cores far more than
// they run side by side, and a contended point measures turn-taking (the
// BENCH line's overlap says so); with the real-time class they get the
// cores for the seconds a run takes. Linux's real-time throttling
// (/proc/sys/kernel/sched_rt_runtime_us, 95% by default) still leaves the
// rest of the host a share. It needs `chrt` and the right to use the class
// (root, or CAP_SYS_NICE); a bench asked for it fails with a clear error
// where it cannot have it. Set by a bench's `--realtime` flag, or by
// MTTCG_BENCH_REALTIME=1 for every bench that spawns through this module.

import { spawnSync } from 'node:child_process';

export const REALTIME_ENV = 'MTTCG_BENCH_REALTIME';
/** A low real-time priority: above every normal process, below the kernel's own real-time threads. */
const PRIORITY = '10';

/** True if runs go under SCHED_FIFO: `--realtime` in argv (which sets the variable for child benches too) or the variable. */
export function realtimeRequested(argv: readonly string[]): boolean {
  if (argv.includes('--realtime')) process.env[REALTIME_ENV] = '1';
  return process.env[REALTIME_ENV] === '1';
}

/** Fails with the reason if processes cannot be started under SCHED_FIFO here. */
export function checkRealtime(): void {
  const r = spawnSync('chrt', ['-f', PRIORITY, 'true'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`--realtime: cannot run under SCHED_FIFO (chrt -f ${PRIORITY}): ${r.error?.message ?? r.stderr.trim()}; it needs chrt (util-linux) and root or CAP_SYS_NICE`);
  }
}

/**
 * Puts the calling thread (a sampler that must keep sampling while the
 * real-time emulator holds every core) one real-time priority above the
 * emulator's processes.
 */
export function realtimeAboveEmulator(): void {
  const r = spawnSync('chrt', ['-f', '-p', String(Number(PRIORITY) + 1), String(process.pid)], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`--realtime: cannot raise the sampler (chrt -p): ${r.error?.message ?? r.stderr.trim()}`);
}

/** The command and arguments that run `cmd args` under SCHED_FIFO when requested, else unchanged. */
export function realtimeCommand(cmd: string, args: readonly string[]): [string, string[]] {
  return process.env[REALTIME_ENV] === '1' ? ['chrt', ['-f', PRIORITY, cmd, ...args]] : [cmd, [...args]];
}

/**
 * How long a cold-start run may take under SCHED_FIFO before it is killed:
 * a guest thread that spins waiting for another guest thread can hold the
 * cores for ever when the process has more runnable real-time threads
 * (vCPUs and V8's own) than the host has cores, and the host with them.
 */
export const REALTIME_RUN_LIMIT_MS = 20_000;

/** For a bench's header: how its runs are scheduled. */
export function schedulingLine(): string {
  return process.env[REALTIME_ENV] === '1'
    ? `scheduling: emulator processes under SCHED_FIFO priority ${PRIORITY} (--realtime)`
    : 'scheduling: normal (SCHED_OTHER)';
}
