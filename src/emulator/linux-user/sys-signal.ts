// Signal syscalls on the shared signal state (signal-state.ts): actions,
// masks, pending sets, the alternate stack, and sending (kill, tkill,
// tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo).

import { EFAULT, EINVAL, EPERM, ESRCH } from './errno.js';
import { ProcessExit } from './guest-exit.js';
import { HOST_UID } from './loader.js';
import { checkNewAltStack, reportAltStack } from './signal-altstack.js';
import { NSIG, SI_TKILL, SIGKILL, SIGSTOP, signalName } from './signal-numbers.js';
import type { SigAction } from './signal-actions.js';
import { PostOutcome } from './signal-state.js';
import { infoCode, readSigInfo, tkillInfo, userInfo, type SigInfo } from './siginfo.js';
import { NR_rt_sigreturn, NR_sigreturn } from './signal-trampoline.js';
import { signalWaitSyscalls } from './sys-signal-wait.js';
import type { ThreadContext } from './thread-context.js';

export const NR_kill = 37;
export const NR_sigaction = 67;
export const NR_sigpending = 73;
export const NR_sigprocmask = 126;
export const NR_rt_sigaction = 174;
export const NR_rt_sigprocmask = 175;
export const NR_rt_sigpending = 176;
export const NR_rt_sigqueueinfo = 178;
export const NR_sigaltstack = 186;
export const NR_tkill = 238;
export const NR_tgkill = 268;
export const NR_rt_tgsigqueueinfo = 363;

const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
const SIG_SETMASK = 2;
const SIGSET_BYTES = 8;

function validSignal(sig: number): boolean {
  return sig >= 1 && sig <= NSIG;
}

function readAction(ctx: ThreadContext, addr: number): SigAction {
  const r = (o: number): number => ctx.access.readU32(addr + o);
  // struct sigaction on ARM: handler, flags, restorer, mask[2]
  return { handler: r(0), flags: r(4), restorer: r(8), maskLo: r(12), maskHi: r(16) };
}

function writeAction(ctx: ThreadContext, addr: number, a: SigAction): void {
  [a.handler, a.flags, a.restorer, a.maskLo, a.maskHi].forEach((v, i) => ctx.access.writeU32(addr + 4 * i, v));
}

function sysRtSigaction(ctx: ThreadContext, sig: number, act: number, oldact: number, setsize: number): number {
  if (!validSignal(sig) || setsize !== SIGSET_BYTES) return -EINVAL;
  if (act !== 0 && (sig === SIGKILL || sig === SIGSTOP)) return -EINVAL;
  const fresh = act !== 0 ? readAction(ctx, act) : null;
  const old = ctx.signals.setAction(sig, fresh);
  if (oldact !== 0) writeAction(ctx, oldact, old);
  return 0;
}

/** The pre-rt sigaction(2): struct old_sigaction { handler, mask (one word), flags, restorer }. */
function sysSigaction(ctx: ThreadContext, sig: number, act: number, oldact: number): number {
  if (!validSignal(sig)) return -EINVAL;
  if (act !== 0 && (sig === SIGKILL || sig === SIGSTOP)) return -EINVAL;
  let fresh: SigAction | null = null;
  if (act !== 0) {
    const r = (o: number): number => ctx.access.readU32(act + o);
    fresh = { handler: r(0), maskLo: r(4), flags: r(8), restorer: r(12), maskHi: 0 };
  }
  const old = ctx.signals.setAction(sig, fresh);
  if (oldact !== 0) [old.handler, old.maskLo, old.flags, old.restorer].forEach((v, i) => ctx.access.writeU32(oldact + 4 * i, v));
  return 0;
}

/** Applies how (SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK) to the thread's mask; the old mask, or null for a bad how. */
function changeMask(ctx: ThreadContext, how: number, set: [number, number] | null): [number, number] | null {
  const s = ctx.signals;
  const slot = ctx.vcpuIndex;
  const old: [number, number] = [s.blockedLo(slot), s.blockedHi(slot)];
  if (set === null) return old; // no new set: how is not even looked at
  let lo: number;
  let hi: number;
  if (how === SIG_BLOCK) [lo, hi] = [old[0] | set[0], old[1] | set[1]];
  else if (how === SIG_UNBLOCK) [lo, hi] = [old[0] & ~set[0], old[1] & ~set[1]];
  else if (how === SIG_SETMASK) [lo, hi] = set;
  else return null;
  s.setBlocked(slot, lo, hi);
  return old;
}

function sysRtSigprocmask(ctx: ThreadContext, how: number, set: number, oldset: number, setsize: number): number {
  if (setsize !== SIGSET_BYTES) return -EINVAL;
  const fresh: [number, number] | null = set !== 0 ? [ctx.access.readU32(set), ctx.access.readU32(set + 4)] : null;
  const old = changeMask(ctx, how, fresh);
  if (old === null) return -EINVAL;
  if (oldset !== 0) {
    ctx.access.writeU32(oldset, old[0]);
    ctx.access.writeU32(oldset + 4, old[1]);
  }
  return 0;
}

/** The pre-rt sigprocmask(2): one-word sets (signals 1..32). */
function sysSigprocmask(ctx: ThreadContext, how: number, set: number, oldset: number): number {
  const hi = ctx.signals.blockedHi(ctx.vcpuIndex);
  const fresh: [number, number] | null = set !== 0 ? [ctx.access.readU32(set), how === SIG_SETMASK ? hi : 0] : null;
  const old = changeMask(ctx, how, fresh);
  if (old === null) return -EINVAL;
  if (oldset !== 0) ctx.access.writeU32(oldset, old[0]);
  return 0;
}

/** Signals pending for this thread or its process that this thread blocks. */
function blockedPending(ctx: ThreadContext): [number, number] {
  const s = ctx.signals;
  const [lo, hi] = s.pending(ctx.vcpuIndex);
  return [lo & s.blockedLo(ctx.vcpuIndex), hi & s.blockedHi(ctx.vcpuIndex)];
}

function sysRtSigpending(ctx: ThreadContext, set: number, setsize: number): number {
  if (setsize > SIGSET_BYTES) return -EINVAL;
  const [lo, hi] = blockedPending(ctx);
  const b = new Uint8Array(setsize);
  const v = new DataView(new ArrayBuffer(SIGSET_BYTES));
  v.setInt32(0, lo, true);
  v.setInt32(4, hi, true);
  b.set(new Uint8Array(v.buffer, 0, setsize));
  ctx.access.write(set, b);
  return 0;
}

function sysSigpending(ctx: ThreadContext, set: number): number {
  ctx.access.writeU32(set, blockedPending(ctx)[0]);
  return 0;
}

function sysSigaltstack(ctx: ThreadContext, uss: number, uoss: number): number {
  const s = ctx.signals;
  const slot = ctx.vcpuIndex;
  const sp = ctx.env[13]!;
  const cur = s.altStack(slot);
  const old = reportAltStack(cur, sp);
  if (uss !== 0) {
    const r = (o: number): number => ctx.access.readU32(uss + o);
    const next = checkNewAltStack(cur, sp, { sp: r(0), flags: r(4), size: r(8) });
    if (typeof next === 'number') return next;
    s.setAltStack(slot, next.sp, next.flags, next.size);
  }
  if (uoss !== 0) old.forEach((v, i) => ctx.access.writeU32(uoss + 4 * i, v));
  return 0;
}

/** What a post's outcome means for the sender: a fatal default action ends the process now. */
function settle(ctx: ThreadContext, r: PostOutcome | number, sig: number, sender: string): number {
  if (r === PostOutcome.FATAL) throw new ProcessExit(128 + sig, `thread ${ctx.tid} received ${signalName(sig)} (${sender})`, sig);
  return r < 0 ? r : 0;
}

/** Sends sig to this process (kill, host signals); 0 or -errno. */
export function sendToProcess(ctx: ThreadContext, sig: number, info: SigInfo, sender: string): number {
  return settle(ctx, ctx.signals.postToProcess(sig, info), sig, sender);
}

/** True if pid names this process (its pid, one of its thread ids, or a group it leads). */
function isOwnProcess(ctx: ThreadContext, pid: number): boolean {
  return pid === ctx.kernel.pid || ctx.signals.slotOfTid(pid) >= 0;
}

/** The processes a kill(2) pid names: one pid, a process group (0: the caller's), or every one (-1). */
function killTargets(ctx: ThreadContext, pid: number): number[] {
  if (pid > 0) return isOwnProcess(ctx, pid) ? [ctx.kernel.pid] : ctx.procs.slotOf(pid) >= 0 ? [pid] : [];
  const me = ctx.procs.slotOf(ctx.kernel.pid);
  const pgid = pid === 0 ? ctx.procs.info(me).pgid : -pid;
  return ctx.procs.list().filter((p) => pid === -1 || p.pgid === pgid).map((p) => p.pid);
}

function sysKill(ctx: ThreadContext, pid: number, sig: number): number {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const targets = killTargets(ctx, pid);
  if (targets.length === 0) return -ESRCH;
  if (sig === 0) return 0;
  // Other processes through the supervisor (it holds their signal state); this one last, as it may end here.
  for (const t of targets) if (t !== ctx.kernel.pid) ctx.signalProcess(t, sig, userInfo(sig, ctx.kernel.pid, HOST_UID));
  return targets.includes(ctx.kernel.pid) ? sendToProcess(ctx, sig, userInfo(sig, ctx.kernel.pid, HOST_UID), 'kill') : 0;
}

function sendToThread(ctx: ThreadContext, tid: number, sig: number, info: SigInfo, sender: string): number {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  if (sig === 0) return ctx.signals.slotOfTid(tid) >= 0 ? 0 : -ESRCH;
  return settle(ctx, ctx.signals.postToThread(tid, sig, info), sig, sender);
}

/**
 * tkill/tgkill to a thread of another process (tgid: the process it must
 * belong to, 0 for tkill): ESRCH unless such a thread lives; delivered by the
 * supervisor, which holds the other process's signal state.
 */
function sendToOtherThread(ctx: ThreadContext, tgid: number, tid: number, sig: number): number {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  let pid = ctx.pidOfThread(tid);
  // A reaped process is gone even while its last thread's vCPU slot is being released.
  if (pid >= 0 && ctx.procs.slotOf(pid) < 0) pid = -1;
  // A zombie's main thread still answers (the signal is discarded), as on Linux until the parent reaps it.
  if (pid < 0 && ctx.procs.slotOf(tid) >= 0) pid = tid;
  if (pid < 0 || (tgid !== 0 && pid !== tgid)) return -ESRCH;
  if (sig !== 0) ctx.signalProcess(pid, sig, tkillInfo(sig, ctx.kernel.pid, HOST_UID), tid);
  return 0;
}

function sysTgkill(ctx: ThreadContext, tgid: number, tid: number, sig: number): number {
  if (tgid <= 0 || tid <= 0) return -EINVAL;
  if (tgid !== ctx.kernel.pid) return sendToOtherThread(ctx, tgid, tid, sig);
  return sendToThread(ctx, tid, sig, tkillInfo(sig, ctx.kernel.pid, HOST_UID), 'tgkill');
}

function sysTkill(ctx: ThreadContext, tid: number, sig: number): number {
  if (tid <= 0) return -EINVAL;
  if (ctx.signals.slotOfTid(tid) < 0) return sendToOtherThread(ctx, 0, tid, sig);
  return sendToThread(ctx, tid, sig, tkillInfo(sig, ctx.kernel.pid, HOST_UID), 'tkill');
}

/** A caller-made siginfo; the kernel refuses ones that pose as the kernel or as kill/tgkill from elsewhere. */
function queuedInfo(ctx: ThreadContext, sig: number, uinfo: number, targetPid: number): SigInfo | number {
  let info: SigInfo;
  try {
    info = readSigInfo(ctx.access, uinfo);
  } catch {
    return -EFAULT;
  }
  if ((infoCode(info) >= 0 || infoCode(info) === SI_TKILL) && targetPid !== ctx.kernel.pid) return -EPERM;
  info[0] = sig;
  return info;
}

function sysRtSigqueueinfo(ctx: ThreadContext, pid: number, sig: number, uinfo: number): number {
  if (!validSignal(sig)) return -EINVAL;
  const info = queuedInfo(ctx, sig, uinfo, pid);
  if (typeof info === 'number') return info;
  if (!isOwnProcess(ctx, pid)) return -ESRCH;
  return sendToProcess(ctx, sig, info, 'rt_sigqueueinfo');
}

function sysRtTgsigqueueinfo(ctx: ThreadContext, tgid: number, tid: number, sig: number, uinfo: number): number {
  if (tgid <= 0 || tid <= 0 || !validSignal(sig)) return -EINVAL;
  const info = queuedInfo(ctx, sig, uinfo, tgid);
  if (typeof info === 'number') return info;
  if (tgid !== ctx.kernel.pid) return -ESRCH;
  return sendToThread(ctx, tid, sig, info, 'rt_tgsigqueueinfo');
}

export function signalSyscalls(): Map<number, (ctx: ThreadContext, ...a: number[]) => number> {
  return new Map<number, (ctx: ThreadContext, ...a: number[]) => number>([
    ...signalWaitSyscalls(),
    [NR_sigreturn, (c) => c.delivery.sigreturn(false)],
    [NR_rt_sigreturn, (c) => c.delivery.sigreturn(true)],
    [NR_rt_sigaction, (c, a, b, d, e) => sysRtSigaction(c, a!, b!, d!, e!)],
    [NR_sigaction, (c, a, b, d) => sysSigaction(c, a!, b!, d!)],
    [NR_rt_sigprocmask, (c, a, b, d, e) => sysRtSigprocmask(c, a!, b!, d!, e!)],
    [NR_sigprocmask, (c, a, b, d) => sysSigprocmask(c, a!, b!, d!)],
    [NR_rt_sigpending, (c, a, b) => sysRtSigpending(c, a!, b!)],
    [NR_sigpending, (c, a) => sysSigpending(c, a!)],
    [NR_sigaltstack, (c, a, b) => sysSigaltstack(c, a!, b!)],
    [NR_kill, (c, pid, sig) => sysKill(c, pid!, sig!)],
    [NR_tkill, (c, tid, sig) => sysTkill(c, tid!, sig!)],
    [NR_tgkill, (c, tgid, tid, sig) => sysTgkill(c, tgid!, tid!, sig!)],
    [NR_rt_sigqueueinfo, (c, pid, sig, info) => sysRtSigqueueinfo(c, pid!, sig!, info!)],
    [NR_rt_tgsigqueueinfo, (c, tgid, tid, sig, info) => sysRtTgsigqueueinfo(c, tgid!, tid!, sig!, info!)],
  ]);
}
