// Process and thread identity syscalls, limits, uname, sysinfo, getrandom and
// the ARM private syscalls (set_tls, cacheflush).

import { availableParallelism, hostname, release } from 'node:os';
import { Env } from '../arm/cpu-state.js';
import { EINVAL, ENOSYS, EPERM } from './errno.js';
import { ProcessExit, ThreadExit } from './guest-exit.js';
import { HOST_GID, HOST_UID } from './loader.js';
import { NR_sysinfo, sysSysinfo } from './sys-sysinfo.js';
import type { ThreadContext } from './thread-context.js';
import { sleepMs } from '../shared/host-sleep.js';
import { fillRandom } from '../../host/on-demand-builtins.js';

export const NR_exit = 1;
export const NR_getpid = 20;
export const NR_uname = 122;
export const NR_prctl = 172;
export const NR_ugetrlimit = 191;
export const NR_getuid32 = 199;
export const NR_getgid32 = 200;
export const NR_geteuid32 = 201;
export const NR_getegid32 = 202;
export const NR_gettid = 224;
export const NR_sched_getaffinity = 242;
export const NR_exit_group = 248;
export const NR_set_tid_address = 256;
export const NR_set_robust_list = 338;
export const NR_getcpu = 345;
export const NR_prlimit64 = 369;
export const NR_getrandom = 384;
export const NR_rseq = 398;
export const NR_sched_yield = 158;
export const NR_umask = 60;
export const NR_setresuid32 = 208;
export const NR_setresgid32 = 210;
export const ARM_NR_cacheflush = 0xf0002;
export const ARM_NR_set_tls = 0xf0005;

const RLIMIT_STACK = 3;
const RLIM_INFINITY = 0xffffffff;
const STACK_LIMIT = 8 * 1024 * 1024;

export function sysExit(_ctx: ThreadContext, code: number): number {
  throw new ThreadExit(code & 0xff);
}

export function sysExitGroup(_ctx: ThreadContext, code: number): number {
  throw new ProcessExit(code & 0xff, '');
}

export function sysSetTidAddress(ctx: ThreadContext, ptr: number): number {
  ctx.clearChildTid = ptr;
  return ctx.tid;
}

export function sysUname(ctx: ThreadContext, buf: number): number {
  const fields = ['Linux', hostname(), release(), '#1 SMP mttcg-lab', 'armv7l', '(none)'];
  const out = new Uint8Array(65 * 6);
  fields.forEach((f, i) => out.set(Buffer.from(f.slice(0, 64), 'utf8'), i * 65));
  ctx.access.write(buf, out);
  return 0;
}

function rlimitFor(resource: number): [number, number] {
  return resource === RLIMIT_STACK ? [STACK_LIMIT, RLIM_INFINITY] : [RLIM_INFINITY, RLIM_INFINITY];
}

export function sysUgetrlimit(ctx: ThreadContext, resource: number, ptr: number): number {
  if (resource < 0 || resource > 15) return -EINVAL;
  const [cur, max] = rlimitFor(resource);
  ctx.access.writeU32(ptr, cur);
  ctx.access.writeU32(ptr + 4, max);
  return 0;
}

export function sysPrlimit64(ctx: ThreadContext, _pid: number, resource: number, _newPtr: number, oldPtr: number): number {
  if (resource < 0 || resource > 15) return -EINVAL;
  if (oldPtr !== 0) {
    const [cur, max] = rlimitFor(resource);
    const b = Buffer.alloc(16);
    b.writeBigUInt64LE(cur === RLIM_INFINITY ? 0xffffffffffffffffn : BigInt(cur), 0);
    b.writeBigUInt64LE(max === RLIM_INFINITY ? 0xffffffffffffffffn : BigInt(max), 8);
    ctx.access.write(oldPtr, b);
  }
  return 0;
}

export function sysSchedGetaffinity(ctx: ThreadContext, _pid: number, len: number, ptr: number): number {
  if (len < 4) return -EINVAL;
  // One bit per host CPU the guest may run on (at most 32 reported).
  const cpus = Math.min(32, Math.max(1, availableParallelism()));
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, cpus >= 32 ? 0xffffffff : (1 << cpus) - 1, true);
  ctx.access.write(ptr, bytes);
  return 4;
}

export function sysGetrandom(ctx: ThreadContext, buf: number, len: number): number {
  const n = Math.min(len >>> 0, 1 << 20);
  const bytes = new Uint8Array(n);
  if (ctx.sched) ctx.sched.randomFill(bytes);
  else fillRandom(bytes);
  ctx.access.write(buf, bytes);
  return n;
}

/**
 * A JavaScript worker cannot give up its core, so sched_yield sleeps for a
 * few microseconds instead (a futex wait with a timeout): a spinning vCPU on
 * an oversubscribed host then lets the vCPU it waits for run, as the guest
 * intended. Returning at once would leave the spinner on the core for the rest
 * of its time slice.
 */
export const SCHED_YIELD_SLEEP_MS = 0.02;

function sysSchedYield(ctx: ThreadContext): number {
  if (ctx.sched) ctx.sched.yield();
  else sleepMs(SCHED_YIELD_SLEEP_MS);
  return 0;
}

export function sysSetTls(ctx: ThreadContext, value: number): number {
  ctx.env[Env.TPIDRURO] = value;
  return 0;
}

export function sysCacheflush(ctx: ThreadContext, start: number, end: number): number {
  const s = start >>> 0;
  const e = end >>> 0;
  if (e < s) return -EINVAL;
  ctx.mem.invalidateCodeRange(s, e - s);
  return 0;
}

/**
 * setresuid32/setresgid32: the guest has the host's ids and cannot change
 * them; asking for the ids it already has (-1 keeps one) succeeds, as
 * posix_spawn's POSIX_SPAWN_RESETIDS does, anything else is EPERM.
 */
function sysSetresId(current: number, ...ids: number[]): number {
  return ids.every((id) => id === -1 || id >>> 0 === current) ? 0 : -EPERM;
}

/** Syscalls that are simple values. */
export function processSyscalls(): Map<number, (ctx: ThreadContext, ...a: number[]) => number> {
  return new Map<number, (ctx: ThreadContext, ...a: number[]) => number>([
    [NR_exit, (c, a) => sysExit(c, a!)],
    [NR_exit_group, (c, a) => sysExitGroup(c, a!)],
    [NR_getpid, (c) => c.kernel.pid],
    [NR_gettid, (c) => c.tid],
    [NR_getuid32, () => HOST_UID],
    [NR_geteuid32, () => HOST_UID],
    [NR_getgid32, () => HOST_GID],
    [NR_getegid32, () => HOST_GID],
    [NR_umask, () => 0o022],
    [NR_setresuid32, (_c, r, e, s) => sysSetresId(HOST_UID, r!, e!, s!)],
    [NR_setresgid32, (_c, r, e, s) => sysSetresId(HOST_GID, r!, e!, s!)],
    [NR_sysinfo, (c, a) => sysSysinfo(c, a!)],
    [NR_set_tid_address, (c, a) => sysSetTidAddress(c, a!)],
    // qemu-arm 7.2 answers ENOSYS to both; glibc copes, and traces stay aligned.
    [NR_set_robust_list, () => -ENOSYS],
    [NR_rseq, () => -ENOSYS],
    [NR_uname, (c, a) => sysUname(c, a!)],
    [NR_ugetrlimit, (c, a, b) => sysUgetrlimit(c, a!, b!)],
    [NR_prlimit64, (c, a, b, d, e) => sysPrlimit64(c, a!, b!, d!, e!)],
    [NR_sched_getaffinity, (c, a, b, d) => sysSchedGetaffinity(c, a!, b!, d!)],
    [NR_sched_yield, (c) => sysSchedYield(c)],
    [NR_getrandom, (c, a, b) => sysGetrandom(c, a!, b!)],
    [NR_prctl, () => -EINVAL],
    [ARM_NR_set_tls, (c, a) => sysSetTls(c, a!)],
    [ARM_NR_cacheflush, (c, a, b) => sysCacheflush(c, a!, b!)],
  ]);
}
