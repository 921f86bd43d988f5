// pipe and pipe2, reads and writes on pipe ends (called by sys-io for
// pipe kinds), and SIGPIPE: a write with no reader left raises SIGPIPE in
// the writing thread (default action: the process ends with 128+13) and
// fails with EPIPE, on guest pipes and on host ones (`mttcg run prog | head`).

import { EAGAIN, EFAULT, EINVAL, EPIPE, ERESTARTSYS } from './errno.js';
import { FdTable, type OpenFile } from './fd-table.js';
import { G_O_CLOEXEC, G_O_DIRECT, G_O_NONBLOCK } from './open-file-kinds.js';
import { ProcessExit } from './guest-exit.js';
import { waitForChange, WaitEnd } from './guest-wait.js';
import { HOST_UID } from './loader.js';
import { PIPE_BUF } from './pipe-table.js';
import { userInfo } from './siginfo.js';
import { SIGPIPE } from './signal-numbers.js';
import { PostOutcome } from './signal-state.js';
import type { SyscallContext, SyscallHandler } from './syscall-context.js';
import type { ThreadContext } from './thread-context.js';
import { BadGuestAddress } from '../softmmu/kernel-access.js';
import { accessiblePrefix, gather, scatter, totalOf, type Segment } from './sys-io.js';

export const NR_pipe = 42;
export const NR_pipe2 = 359;

/**
 * A write found no reader: SIGPIPE to the writing thread. If its default
 * action ends the process, it ends now, silently, as a shell sees a process
 * killed by SIGPIPE (status 141); otherwise the write returns EPIPE.
 */
export function raiseSigpipe(ctx: SyscallContext): void {
  const t = ctx as Partial<ThreadContext>;
  if (!t.signals || t.tid === undefined || !t.kernel) return;
  const r = t.signals.postToThread(t.tid, SIGPIPE, userInfo(SIGPIPE, t.kernel.pid, HOST_UID));
  if (r === PostOutcome.FATAL) throw new ProcessExit(128 + SIGPIPE, '', SIGPIPE);
}

function sysPipe2(ctx: SyscallContext, fds: FdTable, addr: number, flags: number): number {
  if (flags & ~(G_O_CLOEXEC | G_O_NONBLOCK | G_O_DIRECT)) return -EINVAL;
  ctx.access.check(addr >>> 0, 8, true);
  const r = fds.installPipe(flags & G_O_NONBLOCK, (flags & G_O_CLOEXEC) !== 0);
  if (typeof r === 'number') return r;
  try {
    ctx.access.writeU32(addr >>> 0, r[0]);
    ctx.access.writeU32((addr + 4) >>> 0, r[1]);
  } catch (e) {
    fds.close(r[0]);
    fds.close(r[1]);
    if (e instanceof BadGuestAddress) return -EFAULT;
    throw e;
  }
  return 0;
}

/** read/readv on a pipe's read end: waits for data or end of file unless O_NONBLOCK. */
export function pipeRead(ctx: SyscallContext, fds: FdTable, f: OpenFile, segs: readonly Segment[]): number {
  const total = totalOf(segs);
  if (total === 0) return 0;
  const first = segs.find((s) => s.len > 0)!;
  ctx.access.check(first.addr >>> 0, 1, true); // fail before taking bytes out of the pipe
  const pipes = fds.pipes;
  const p = fds.pipeOf(f);
  for (;;) {
    const seen = pipes.seq(p);
    const r = pipes.read(p, total);
    if (typeof r !== 'number') {
      try {
        scatter(ctx.access, segs, 0, r);
      } catch (e) {
        if (!(e instanceof BadGuestAddress)) throw e;
        const ok = accessiblePrefix(ctx.access, segs, 0, r.length, true);
        return ok > 0 ? ok : -EFAULT;
      }
      return r.length;
    }
    if (r === 0) return 0;
    if (fds.status(f) & G_O_NONBLOCK) return -EAGAIN;
    // A signal: EINTR, or the read again under SA_RESTART (the kernel's -ERESTARTSYS).
    if (waitForChange(ctx, pipes.pipes, pipes.seqIndex(p), seen, Infinity, true) === WaitEnd.SIGNAL) return -ERESTARTSYS;
  }
}

/** write/writev on a pipe's write end: PIPE_BUF-sized writes are atomic; EPIPE and SIGPIPE without a reader. */
export function pipeWrite(ctx: SyscallContext, fds: FdTable, f: OpenFile, segs: readonly Segment[]): number {
  const total = totalOf(segs);
  if (total === 0) return 0;
  let data: Uint8Array;
  try {
    data = gather(ctx.access, segs, 0, total);
  } catch (e) {
    if (!(e instanceof BadGuestAddress)) throw e;
    const ok = accessiblePrefix(ctx.access, segs, 0, total, false);
    if (ok === 0) return -EFAULT;
    data = gather(ctx.access, segs, 0, ok);
  }
  const pipes = fds.pipes;
  const p = fds.pipeOf(f);
  const atomic = data.length <= PIPE_BUF;
  let done = 0;
  while (done < data.length) {
    const seen = pipes.seq(p);
    const n = pipes.write(p, data, done, atomic);
    if (n > 0) {
      done += n;
      continue;
    }
    if (n === -EPIPE) {
      raiseSigpipe(ctx);
      return done > 0 ? done : -EPIPE;
    }
    if (fds.status(f) & G_O_NONBLOCK) return done > 0 ? done : -EAGAIN;
    if (waitForChange(ctx, pipes.pipes, pipes.seqIndex(p), seen, Infinity, true) === WaitEnd.SIGNAL) {
      return done > 0 ? done : -ERESTARTSYS;
    }
  }
  return done;
}

export function pipeSyscalls(fds: FdTable): [number, SyscallHandler][] {
  return [
    [NR_pipe, (ctx, addr) => sysPipe2(ctx, fds, addr, 0)],
    [NR_pipe2, (ctx, addr, flags) => sysPipe2(ctx, fds, addr, flags)],
  ];
}
