// poll, ppoll, select and pselect6. Guest pipes report their real state
// (data or end of file, room or no reader); regular files, directories and
// /dev/null are always ready, as on Linux. Host streams (a terminal, a host
// pipe on stdin) cannot be polled from Node.js without reading them: they are
// reported ready, and a read then blocks as it would have. A caller with
// nothing ready sleeps on the pipes' run-wide event word until any pipe
// changes, the timeout passes, or a signal arrives (EINTR).
// ppoll's and pselect6's signal mask is not applied (no handler runs yet).
// select, pselect6 and ppoll write the time left back into their timeout, as
// Linux does (whatever the result, unless the timeout was zero); poll does not.

import { EBADF, EINVAL, ERESTARTNOHAND } from './errno.js';
import type { FdTable } from './fd-table.js';
import { KIND_PIPE_READ, KIND_PIPE_WRITE } from './open-file-kinds.js';
import { readTimespec, writeTimespec } from './guest-clock.js';
import { waitForChange, WaitEnd } from './guest-wait.js';
import { PipeTable } from './pipe-table.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';

export const NR_newselect = 142;
export const NR_poll = 168;
export const NR_pselect6 = 335;
export const NR_ppoll = 336;
export const NR_pselect6_time64 = 413;
export const NR_ppoll_time64 = 414;

const POLLIN = 0x1;
const POLLPRI = 0x2;
const POLLOUT = 0x4;
const POLLERR = 0x8;
const POLLHUP = 0x10;
const POLLNVAL = 0x20;
const POLLRDNORM = 0x40;
const POLLWRNORM = 0x100;
const IN_EVENTS = POLLIN | POLLRDNORM;
const OUT_EVENTS = POLLOUT | POLLWRNORM;
const MAX_POLL_FDS = 1024;

/** The poll events of one fd right now (POLLNVAL if it is not open). */
function readiness(fds: FdTable, fd: number, events: number): number {
  const f = fds.get(fd);
  if (!f) return POLLNVAL;
  try {
    const kind = fds.kind(f);
    if (kind === KIND_PIPE_READ) {
      const r = fds.pipes.readiness(fds.pipeOf(f));
      return (r.readable ? events & IN_EVENTS : 0) | (r.hangup ? POLLHUP : 0);
    }
    if (kind === KIND_PIPE_WRITE) {
      const r = fds.pipes.readiness(fds.pipeOf(f));
      return (r.writable ? events & OUT_EVENTS : 0) | (r.broken ? POLLERR : 0);
    }
    return events & (IN_EVENTS | OUT_EVENTS);
  } finally {
    fds.put(f);
  }
}

/** Checks until something is ready, the timeout passes (ms, Infinity) or a signal comes. Returns the ready count or -EINTR. */
function pollLoop(ctx: SyscallContext, fds: FdTable, check: () => number, timeoutMs: number): number {
  const deadline = timeoutMs === Infinity ? Infinity : Date.now() + timeoutMs;
  for (;;) {
    const seen = fds.pipes.events;
    const n = check();
    if (n !== 0) return n;
    const left = deadline - Date.now();
    if (left <= 0) return 0;
    const end = waitForChange(ctx, fds.pipes.global, PipeTable.EVENTS_INDEX, seen, left, true);
    // A signal: EINTR if a handler runs, never a restart after one (the kernel's -ERESTARTNOHAND).
    if (end === WaitEnd.SIGNAL) return -ERESTARTNOHAND;
  }
}

function sysPoll(ctx: SyscallContext, fds: FdTable, addr: number, nfds: number, timeoutMs: number): number {
  if (nfds >>> 0 > MAX_POLL_FDS) return -EINVAL;
  const n = nfds >>> 0;
  const raw = Buffer.from(ctx.access.read(addr >>> 0, n * 8));
  ctx.access.check(addr >>> 0, n * 8, true);
  const revents = new Array<number>(n).fill(0);
  const check = (): number => {
    let ready = 0;
    for (let i = 0; i < n; i++) {
      const fd = raw.readInt32LE(i * 8);
      const events = raw.readUInt16LE(i * 8 + 4) | POLLERR | POLLHUP;
      revents[i] = fd < 0 ? 0 : readiness(fds, fd, events & ~POLLPRI);
      if (revents[i] !== 0) ready++;
    }
    return ready;
  };
  const r = pollLoop(ctx, fds, check, timeoutMs);
  if (r < 0) return r;
  for (let i = 0; i < n; i++) raw.writeUInt16LE(revents[i]!, i * 8 + 6);
  ctx.access.write(addr >>> 0, raw);
  return r;
}

/** A timeout in ms from a guest timespec pointer (0: none = Infinity); -EINVAL for a bad one. */
function timespecMs(ctx: SyscallContext, ptr: number, time64: boolean): number {
  if (ptr === 0) return Infinity;
  const ns = readTimespec(ctx.access, ptr >>> 0, time64);
  return ns === null ? -EINVAL : Number(ns) / 1e6;
}

/**
 * Runs a wait with a finite timeout of `ms` and then writes the time left
 * (never below zero) back through `write`, as the kernel's
 * poll_select_finish does. A zero or absent timeout is not written.
 */
function withTimeLeft(ms: number, wait: () => number, write: (leftNs: bigint) => void): number {
  if (!(ms > 0) || ms === Infinity) return wait();
  const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
  const r = wait();
  const left = end - process.hrtime.bigint();
  try {
    // A wait that found nothing ran to its timeout: nothing is left, whatever the
    // clocks say (pollLoop's deadline is Date.now()'s, which may pass a little
    // before hrtime's end).
    write(r === 0 || left <= 0n ? 0n : left);
  } catch {
    // An unwritable timeout is ignored, as the kernel ignores its failed copy-out.
  }
  return r;
}

function readFdSet(ctx: SyscallContext, addr: number, n: number): Uint32Array | null {
  if (addr === 0) return null;
  const words = Math.ceil(n / 32);
  const bytes = ctx.access.read(addr >>> 0, words * 4);
  return new Uint32Array(bytes.buffer, bytes.byteOffset, words).slice();
}

function writeFdSet(ctx: SyscallContext, addr: number, set: Uint32Array | null): void {
  if (addr === 0 || !set) return;
  ctx.access.write(addr >>> 0, new Uint8Array(set.buffer, set.byteOffset, set.length * 4));
}

function sysSelect(ctx: SyscallContext, fds: FdTable, nfds: number, rAddr: number, wAddr: number, eAddr: number, timeoutMs: number): number {
  if (nfds < 0 || nfds > MAX_POLL_FDS) return -EINVAL;
  const inR = readFdSet(ctx, rAddr, nfds);
  const inW = readFdSet(ctx, wAddr, nfds);
  const inE = readFdSet(ctx, eAddr, nfds);
  const words = Math.ceil(nfds / 32);
  const outR = new Uint32Array(words);
  const outW = new Uint32Array(words);
  let bad = false;
  const check = (): number => {
    outR.fill(0);
    outW.fill(0);
    let ready = 0;
    for (let fd = 0; fd < nfds; fd++) {
      const bit = 1 << (fd & 31);
      const w = fd >>> 5;
      const wantR = inR !== null && (inR[w]! & bit) !== 0;
      const wantW = inW !== null && (inW[w]! & bit) !== 0;
      const wantE = inE !== null && (inE[w]! & bit) !== 0;
      if (!wantR && !wantW && !wantE) continue;
      const ev = readiness(fds, fd, IN_EVENTS | OUT_EVENTS);
      if (ev & POLLNVAL) {
        bad = true;
        return 1;
      }
      if (wantR && ev & (IN_EVENTS | POLLHUP | POLLERR)) {
        outR[w] = outR[w]! | bit;
        ready++;
      }
      if (wantW && ev & (OUT_EVENTS | POLLERR)) {
        outW[w] = outW[w]! | bit;
        ready++;
      }
    }
    return ready;
  };
  const r = pollLoop(ctx, fds, check, timeoutMs);
  if (bad) return -EBADF;
  if (r < 0) return r;
  writeFdSet(ctx, rAddr, inR ? outR : null);
  writeFdSet(ctx, wAddr, inW ? outW : null);
  writeFdSet(ctx, eAddr, inE ? new Uint32Array(words) : null);
  return r;
}

export function pollSyscalls(fds: FdTable): [number, SyscallHandler][] {
  const leftInTimespec = (ctx: SyscallContext, tsp: number, time64: boolean) => (ns: bigint): void =>
    writeTimespec(ctx.access, tsp >>> 0, ns, time64);
  const ppoll = (time64: boolean): SyscallHandler => (ctx, addr, nfds, tsp) => {
    const ms = timespecMs(ctx, tsp, time64);
    if (ms < 0) return ms;
    return withTimeLeft(ms, () => sysPoll(ctx, fds, addr, nfds, ms), leftInTimespec(ctx, tsp, time64));
  };
  const pselect = (time64: boolean): SyscallHandler => (ctx, n, r, w, e, tsp) => {
    const ms = timespecMs(ctx, tsp, time64);
    if (ms < 0) return ms;
    return withTimeLeft(ms, () => sysSelect(ctx, fds, n, r, w, e, ms), leftInTimespec(ctx, tsp, time64));
  };
  return [
    [NR_poll, (ctx, addr, nfds, timeout) => sysPoll(ctx, fds, addr, nfds, timeout < 0 ? Infinity : timeout)],
    [NR_ppoll, ppoll(false)],
    [NR_ppoll_time64, ppoll(true)],
    [NR_newselect, (ctx, n, r, w, e, tv) => {
      let ms = Infinity;
      if (tv !== 0) {
        const sec = ctx.access.readU32(tv >>> 0);
        const usec = ctx.access.readU32((tv + 4) >>> 0);
        if (sec < 0 || usec < 0 || usec >= 1e6) return -EINVAL;
        ms = sec * 1000 + usec / 1000;
      }
      return withTimeLeft(ms, () => sysSelect(ctx, fds, n, r, w, e, ms), (ns) => {
        ctx.access.writeU32(tv >>> 0, Number(ns / 1_000_000_000n));
        ctx.access.writeU32((tv + 4) >>> 0, Number((ns % 1_000_000_000n) / 1000n));
      });
    }],
    [NR_pselect6, pselect(false)],
    [NR_pselect6_time64, pselect(true)],
  ];
}
