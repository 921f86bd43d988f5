// Child processes that die with their parent (issue 13 item 10). The
// commands that run other processes (torture, bench, report, trace-diff)
// spawn them through spawnTied:
// - when the parent gets SIGINT, SIGTERM or SIGHUP, it sends the same signal
//   to every live child, gives them a moment, kills what is left (SIGKILL),
//   runs its cleanups (temporary files) and exits with 128 + the signal;
// - a child `mttcg run` is told the parent's pid (MTTCG_PARENT_PID) and, if
//   that parent disappears without a word (SIGKILL), notices within a
//   quarter of a second and ends itself (watchParent).
// A qemu-arm child has no such watch: if the parent is SIGKILLed it runs on
// until its own deadline (documented in docs/testing.md).

import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';

export const PARENT_PID_ENV = 'MTTCG_PARENT_PID';

const live = new Set<ChildProcess>();
const cleanups = new Set<() => void>();
let handlersInstalled = false;

/** Milliseconds between the forwarded signal and SIGKILL for the children that are left. */
const GRACE_MS = 1500;

function onSignal(signal: NodeJS.Signals): void {
  for (const c of live) c.kill(signal);
  const finish = (): void => {
    for (const c of live) c.kill('SIGKILL');
    for (const fn of cleanups) {
      try {
        fn();
      } catch {
        // best effort: the process is ending
      }
    }
    process.exit(128 + (constants.signals[signal] ?? 0));
  };
  if (live.size === 0) finish();
  setTimeout(finish, GRACE_MS);
  // Exit as soon as the children are gone, not after the whole grace period
  // (these timers keep the process alive: it ends here, with 128 + signal).
  setInterval(() => {
    if ([...live].every((c) => c.exitCode !== null || c.signalCode !== null)) finish();
  }, 20);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, () => onSignal(s));
  // Whatever ends this process (another handler's process.exit too) ends its children.
  process.once('exit', () => {
    for (const c of live) c.kill('SIGKILL');
  });
}

/**
 * spawn() with stdin ignored and stdout/stderr piped, but the child is killed
 * when this process is interrupted or terminated, and knows our pid.
 */
export function spawnTied(
  file: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): ChildProcessByStdio<null, Readable, Readable> {
  installHandlers();
  const env = { ...(options.env ?? process.env), [PARENT_PID_ENV]: String(process.pid) };
  const child = spawn(file, [...args], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** Runs fn if this process ends by SIGINT/SIGTERM/SIGHUP (after its children are killed); returns a remover. */
export function onInterrupt(fn: () => void): () => void {
  installHandlers();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** The parent pid as the kernel knows it now (Node's process.ppid is read once at start-up). */
function currentParentPid(): number {
  const stat = readFileSync('/proc/self/stat', 'latin1');
  // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/**
 * In a child started by spawnTied: calls `orphaned` once the parent that
 * started us has gone (we were re-parented). No-op when not started so.
 */
export function watchParent(orphaned: () => void): void {
  const parent = Number(process.env[PARENT_PID_ENV]);
  if (!Number.isInteger(parent) || parent <= 1) return;
  if (currentParentPid() !== parent) return; // started by someone else who passed the variable on
  const timer = setInterval(() => {
    if (currentParentPid() !== parent) {
      clearInterval(timer);
      orphaned();
    }
  }, 250);
  timer.unref();
}
