// Calls of the old ARM syscall table that EABI dropped but OABI programs
// (oabi.ts) make, and that qemu-arm serves to every program: time(2) and
// the old mmap taking its six arguments in a struct (mmap2's predecessor,
// with the offset in bytes). (alarm is in sys-timer.ts, the ipc(2)
// multiplexer's shared memory calls in sys-shm.ts.)

import { EINVAL } from './errno.js';
import { realtimeSeconds } from './guest-clock.js';
import { sysMmap2 } from './sys-memory.js';
import type { ThreadContext } from './thread-context.js';
import { PAGE_SIZE } from '../softmmu/page-bits.js';

export const NR_time = 13;
export const NR_old_mmap = 90;

function sysTime(ctx: ThreadContext, tloc: number): number {
  const now = realtimeSeconds();
  if (tloc !== 0) ctx.access.writeU32(tloc, now);
  return now | 0;
}

function sysOldMmap(ctx: ThreadContext, args: number): number {
  const a = [0, 1, 2, 3, 4, 5].map((k) => ctx.access.readU32(args + 4 * k));
  const offset = a[5]! >>> 0;
  if (offset & (PAGE_SIZE - 1)) return -EINVAL;
  return sysMmap2(ctx, a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, offset / PAGE_SIZE);
}

export function legacySyscalls(): Map<number, (ctx: ThreadContext, ...a: number[]) => number> {
  return new Map<number, (ctx: ThreadContext, ...a: number[]) => number>([
    [NR_time, (c, t) => sysTime(c, t!)],
    [NR_old_mmap, (c, p) => sysOldMmap(c, p!)],
  ]);
}
