// wait4 and waitid on child processes, and process identity: getppid,
// setpgid/getpgid/getpgrp, setsid/getsid (the process table is run-wide:
// linux-user/process-table.ts). A waiting parent sleeps on its own
// child-events word, bumped by every child that ends.

import { ECHILD, EINVAL, EPERM, ERESTARTSYS, ESRCH } from './errno.js';
import { waitForChange, WaitEnd } from './guest-wait.js';
import { HOST_UID } from './loader.js';
import type { ProcessInfo } from './process-table.js';
import type { ThreadContext } from './thread-context.js';

export const NR_getppid = 64;
export const NR_wait4 = 114;
export const NR_setpgid = 57;
export const NR_getpgrp = 65;
export const NR_setsid = 66;
export const NR_getpgid = 132;
export const NR_getsid = 147;
export const NR_waitid = 280;

const WNOHANG = 1;
const WEXITED = 4;
const WNOWAIT = 0x01000000;
const WALL = 0x40000000;
const WCLONE = 0x80000000;
const P_ALL = 0;
const P_PID = 1;
const P_PGID = 2;
const SIGCHLD = 17;
const CLD_EXITED = 1;
const CLD_KILLED = 2;

function mySlot(ctx: ThreadContext): number {
  return ctx.procs.slotOf(ctx.kernel.pid);
}

/**
 * Waits for a child matching `match`: the reaped child's pid and wait status,
 * 0 with WNOHANG when none has ended, or -errno.
 */
function waitChild(ctx: ThreadContext, match: (c: ProcessInfo) => boolean, options: number): { pid: number; status: number } | number {
  const procs = ctx.procs;
  const slot = mySlot(ctx);
  const word = procs.childEventsIndex(slot);
  for (;;) {
    const seen = Atomics.load(procs.entries, word);
    const r = procs.reapChild(ctx.kernel.pid, match, (options & WNOWAIT) !== 0);
    if (r === 'none') return -ECHILD;
    if (r !== 'running') return r;
    if (options & WNOHANG) return 0;
    // A signal: EINTR, or the wait again under SA_RESTART (the kernel's -ERESTARTSYS).
    if (waitForChange(ctx, procs.entries, word, seen, Infinity, true) === WaitEnd.SIGNAL) return -ERESTARTSYS;
  }
}

/** Which children a wait4 pid argument names. */
function matcher(ctx: ThreadContext, pid: number): (c: ProcessInfo) => boolean {
  if (pid > 0) return (c) => c.pid === pid;
  if (pid === -1) return () => true;
  const pgid = pid === 0 ? ctx.procs.info(mySlot(ctx)).pgid : -pid;
  return (c) => c.pgid === pgid;
}

function sysWait4(ctx: ThreadContext, pid: number, statusAddr: number, options: number, rusage: number): number {
  if (options & ~(WNOHANG | 2 /* WUNTRACED */ | 8 /* WCONTINUED */ | WALL | WCLONE | 0x20000000 /* WNOTHREAD */)) return -EINVAL;
  const r = waitChild(ctx, matcher(ctx, pid), options & ~WNOWAIT);
  if (typeof r === 'number') return r;
  if (statusAddr !== 0) ctx.access.writeU32(statusAddr >>> 0, r.status);
  if (rusage !== 0) ctx.access.write(rusage >>> 0, new Uint8Array(72));
  return r.pid;
}

function sysWaitid(ctx: ThreadContext, idtype: number, id: number, infop: number, options: number, rusage: number): number {
  if (!(options & WEXITED) || options & ~(WNOHANG | WEXITED | 2 | 8 | WNOWAIT | WALL | WCLONE | 0x20000000)) return -EINVAL;
  let match: (c: ProcessInfo) => boolean;
  if (idtype === P_ALL) match = () => true;
  else if (idtype === P_PID) match = (c) => c.pid === id;
  else if (idtype === P_PGID) match = matcher(ctx, id === 0 ? 0 : -id);
  else return -EINVAL;
  const r = waitChild(ctx, match, options);
  if (typeof r === 'number' && r < 0) return r;
  if (infop !== 0) {
    const info = new Int32Array(32); // siginfo_t, 128 bytes; all zero when WNOHANG found nothing
    if (typeof r !== 'number') {
      const killed = (r.status & 0x7f) !== 0;
      info.set([SIGCHLD, 0, killed ? CLD_KILLED : CLD_EXITED, r.pid, HOST_UID, killed ? r.status & 0x7f : (r.status >> 8) & 0xff]);
    }
    ctx.access.write(infop >>> 0, new Uint8Array(info.buffer));
  }
  if (rusage !== 0) ctx.access.write(rusage >>> 0, new Uint8Array(72));
  return 0;
}

function sysSetpgid(ctx: ThreadContext, pid: number, pgid: number): number {
  if (pgid < 0) return -EINVAL;
  const procs = ctx.procs;
  const me = procs.info(mySlot(ctx));
  const target = pid === 0 ? me.pid : pid;
  const slot = procs.slotOf(target);
  if (slot < 0) return -ESRCH;
  const info = procs.info(slot);
  if (info.pid !== me.pid && info.ppid !== me.pid) return -ESRCH;
  if (info.sid !== me.sid) return -EPERM;
  if (info.pid === info.sid) return -EPERM; // a session leader keeps its group
  const group = pgid === 0 ? info.pid : pgid;
  if (group !== info.pid && !procs.list().some((p) => p.pgid === group && p.sid === me.sid)) return -EPERM;
  procs.setPgid(slot, group);
  return 0;
}

function infoOf(ctx: ThreadContext, pid: number): ProcessInfo | number {
  const slot = ctx.procs.slotOf(pid === 0 ? ctx.kernel.pid : pid);
  return slot < 0 ? -ESRCH : ctx.procs.info(slot);
}

function sysSetsid(ctx: ThreadContext): number {
  const procs = ctx.procs;
  const me = ctx.kernel.pid;
  if (procs.list().some((p) => p.pgid === me)) return -EPERM; // already leads a group
  procs.setSession(mySlot(ctx), me);
  return me;
}

export function waitSyscalls(): Map<number, (ctx: ThreadContext, ...a: number[]) => number> {
  const field = (f: 'pgid' | 'sid' | 'ppid') => (c: ThreadContext, pid = 0): number => {
    const i = infoOf(c, pid);
    return typeof i === 'number' ? i : i[f];
  };
  return new Map<number, (ctx: ThreadContext, ...a: number[]) => number>([
    [NR_wait4, (c, pid, st, opt, ru) => sysWait4(c, pid!, st!, opt!, ru!)],
    [NR_waitid, (c, t, id, ip, opt, ru) => sysWaitid(c, t!, id!, ip!, opt!, ru!)],
    [NR_getppid, (c) => field('ppid')(c)],
    [NR_getpgid, (c, pid) => field('pgid')(c, pid)],
    [NR_getpgrp, (c) => field('pgid')(c)],
    [NR_getsid, (c, pid) => field('sid')(c, pid)],
    [NR_setpgid, (c, pid, pgid) => sysSetpgid(c, pid!, pgid!)],
    [NR_setsid, (c) => sysSetsid(c)],
  ]);
}
