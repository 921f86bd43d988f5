// Signals, as far as glibc needs them: rt_sigaction records actions in the
// shared kernel state, rt_sigprocmask keeps a per-thread mask, and kill,
// tkill and tgkill of a signal whose action is not "ignore" end the process
// with status 128+sig (no handler is ever run: mttcg delivers no signals).

import { EINVAL, ESRCH } from './errno.js';
import { ProcessExit } from './guest-exit.js';
import { NSIG, SIGACTION_WORDS } from './kernel-state.js';
import type { ThreadContext } from './thread-context.js';

export const NR_kill = 37;
export const NR_sigaltstack = 186;
export const NR_rt_sigaction = 174;
export const NR_rt_sigprocmask = 175;
export const NR_tkill = 238;
export const NR_tgkill = 268;

const SIG_DFL = 0;
const SIG_IGN = 1;
const SIGKILL = 9;
const SIGSTOP = 19;
/** Signals whose default action is to be ignored. */
const DEFAULT_IGNORED = new Set([17 /* CHLD */, 23 /* URG */, 28 /* WINCH */]);

export const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 5: 'SIGTRAP', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE',
  9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 12: 'SIGUSR2', 13: 'SIGPIPE', 14: 'SIGALRM', 15: 'SIGTERM',
};

export function signalName(sig: number): string {
  return SIGNAL_NAMES[sig] ?? `signal ${sig}`;
}

/** Per-thread blocked mask (two words), local to the worker running the thread. */
const threadMask = new Int32Array(2);

function sysRtSigaction(ctx: ThreadContext, sig: number, act: number, oldact: number, setsize: number): number {
  if (sig < 1 || sig > NSIG || setsize !== 8) return -EINVAL;
  if (act !== 0 && (sig === SIGKILL || sig === SIGSTOP)) return -EINVAL;
  const table = ctx.kernel.sigactions;
  const base = sig * SIGACTION_WORDS;
  // struct sigaction on ARM: handler, flags, restorer, mask[2]
  const fresh = act !== 0 ? [0, 4, 8, 12, 16].map((o) => ctx.access.readU32(act + o)) : null;
  const old = ctx.kernel.withLock(() => {
    const prev = Array.from(table.subarray(base, base + SIGACTION_WORDS));
    if (fresh) table.set(fresh, base);
    return prev;
  });
  if (oldact !== 0) old.forEach((w, i) => ctx.access.writeU32(oldact + 4 * i, w));
  return 0;
}

function sysRtSigprocmask(ctx: ThreadContext, how: number, set: number, oldset: number, setsize: number): number {
  if (setsize !== 8) return -EINVAL;
  const prev = [threadMask[0]!, threadMask[1]!];
  if (set !== 0) {
    const w = [ctx.access.readU32(set), ctx.access.readU32(set + 4)];
    for (let i = 0; i < 2; i++) {
      if (how === 0) threadMask[i] = threadMask[i]! | w[i]!; // SIG_BLOCK
      else if (how === 1) threadMask[i] = threadMask[i]! & ~w[i]!; // SIG_UNBLOCK
      else if (how === 2) threadMask[i] = w[i]!; // SIG_SETMASK
      else return -EINVAL;
    }
  }
  if (oldset !== 0) {
    ctx.access.writeU32(oldset, prev[0]!);
    ctx.access.writeU32(oldset + 4, prev[1]!);
  }
  return 0;
}

function sysSigaltstack(ctx: ThreadContext, _ss: number, oss: number): number {
  if (oss !== 0) {
    ctx.access.writeU32(oss, 0);
    ctx.access.writeU32(oss + 4, 2); // SS_DISABLE
    ctx.access.writeU32(oss + 8, 0);
  }
  return 0;
}

/** Sends sig to the process: ignored, or fatal with status 128+sig. */
export function raiseSignal(ctx: ThreadContext, sig: number, sender: string): number {
  if (sig === 0) return 0;
  if (sig < 1 || sig > NSIG) return -EINVAL;
  const handler = ctx.kernel.sigactions[sig * SIGACTION_WORDS]!;
  if (handler === SIG_IGN || (handler === SIG_DFL && DEFAULT_IGNORED.has(sig))) return 0;
  if (handler !== SIG_DFL) {
    ctx.warnOnce(`signal-handler-${sig}`,
      `mttcg: ${signalName(sig)} has a guest handler, but mttcg does not deliver signals; ending the process`);
  }
  throw new ProcessExit(128 + sig, `thread ${ctx.tid} received ${signalName(sig)} (${sender})`);
}

export function signalSyscalls(): Map<number, (ctx: ThreadContext, ...a: number[]) => number> {
  return new Map<number, (ctx: ThreadContext, ...a: number[]) => number>([
    [NR_rt_sigaction, (c, a, b, d, e) => sysRtSigaction(c, a!, b!, d!, e!)],
    [NR_rt_sigprocmask, (c, a, b, d, e) => sysRtSigprocmask(c, a!, b!, d!, e!)],
    [NR_sigaltstack, (c, a, b) => sysSigaltstack(c, a!, b!)],
    [NR_kill, (c, pid, sig) => (pid === c.kernel.pid || pid === 0 || pid === -1 ? raiseSignal(c, sig!, 'kill') : -ESRCH)],
    [NR_tkill, (c, _tid, sig) => raiseSignal(c, sig!, 'tkill')],
    [NR_tgkill, (c, tgid, _tid, sig) => (tgid === c.kernel.pid ? raiseSignal(c, sig!, 'tgkill') : -ESRCH)],
  ]);
}
