// ARM semihosting in user mode, as qemu-arm serves it (the ARM
// "Semihosting for AArch32 and AArch64" operations; qemu's
// semihosting/arm-compat-semi.c): `svc 0x123456` in ARM state or `svc 0xab`
// in Thumb state, r0 the operation, r1 its argument or the address of its
// argument block, the result in r0.
//
// Files go through the guest's own syscalls (openat, read, write, lseek,
// close, unlink, rename), so the sandbox (--allow-dir) decides what a
// semihosting program may open exactly as for any other program; a handle
// is the guest fd ("console" handles from ":tt" are duplicates of 0, 1, 2).
// SYS_SYSTEM (a host shell command) and SYS_TMPNAM (a host temporary name)
// are refused (-1): the guest sees only the host files it is allowed.

import * as fs from 'node:fs';
import { EBADF, ENOSYS } from './errno.js';
import { realtimeSeconds } from './guest-clock.js';
import { G_O_APPEND, G_O_CREAT, G_O_RDONLY, G_O_RDWR, G_O_TRUNC, G_O_WRONLY } from './open-file-kinds.js';
import { AT_FDCWD } from './sys-file-util.js';
import { NR_close, NR_dup, NR_lseek, NR_read, NR_write } from './sys-files.js';
import { NR_openat, NR_rename, NR_unlink } from './sys-paths.js';
import { NR_exit_group } from './sys-process.js';
import { NR_brk } from './sys-memory.js';
import type { ThreadContext } from './thread-context.js';
import { hostIsatty } from '../../host/on-demand-builtins.js';

/** Runs a guest syscall from the kernel side (result or -errno). */
export type SyscallCall = (nr: number, ...args: number[]) => number;

const SYS_OPEN = 0x01;
const SYS_CLOSE = 0x02;
const SYS_WRITEC = 0x03;
const SYS_WRITE0 = 0x04;
const SYS_WRITE = 0x05;
const SYS_READ = 0x06;
const SYS_READC = 0x07;
const SYS_ISERROR = 0x08;
const SYS_ISTTY = 0x09;
const SYS_SEEK = 0x0a;
const SYS_FLEN = 0x0c;
const SYS_TMPNAM = 0x0d;
const SYS_REMOVE = 0x0e;
const SYS_RENAME = 0x0f;
const SYS_CLOCK = 0x10;
const SYS_TIME = 0x11;
const SYS_SYSTEM = 0x12;
const SYS_ERRNO = 0x13;
const SYS_GET_CMDLINE = 0x15;
const SYS_HEAPINFO = 0x16;
const SYS_EXIT = 0x18;
const SYS_EXIT_EXTENDED = 0x20;
const SYS_ELAPSED = 0x30;
const SYS_TICKFREQ = 0x31;

/** SYS_EXIT's reason for a normal end (ADP_Stopped_ApplicationExit). */
const ADP_STOPPED_APPLICATION_EXIT = 0x20026;
/** The heap SYS_HEAPINFO claims with brk, halved towards the base until brk grants it (qemu's COMMON_SEMI_HEAP_SIZE). */
const HEAP_SIZE = 128 << 20;

/** fopen modes r, rb, r+, r+b, w, wb, w+, w+b, a, ab, a+, a+b as open flags. */
const OPEN_FLAGS = [
  G_O_RDONLY, G_O_RDONLY, G_O_RDWR, G_O_RDWR,
  G_O_WRONLY | G_O_CREAT | G_O_TRUNC, G_O_WRONLY | G_O_CREAT | G_O_TRUNC, G_O_RDWR | G_O_CREAT | G_O_TRUNC, G_O_RDWR | G_O_CREAT | G_O_TRUNC,
  G_O_WRONLY | G_O_CREAT | G_O_APPEND, G_O_WRONLY | G_O_CREAT | G_O_APPEND, G_O_RDWR | G_O_CREAT | G_O_APPEND, G_O_RDWR | G_O_CREAT | G_O_APPEND,
];

const startNs = process.hrtime.bigint();

/** Runs the semihosting operation in r0 and writes its result to r0. */
export function semihostCall(ctx: ThreadContext, sys: SyscallCall): void {
  const env = ctx.env;
  env[0] = semihostOp(ctx, sys, env[0]! >>> 0, env[1]! >>> 0) | 0;
}

function semihostOp(ctx: ThreadContext, sys: SyscallCall, op: number, param: number): number {
  const arg = (k: number): number => ctx.access.readU32(param + 4 * k) >>> 0;
  const k = ctx.kernel;
  /** A syscall's result as semihosting wants it: errno kept for SYS_ERRNO, -1 for a failure. */
  const checked = (r: number): number => {
    if (r < 0 && r > -4096) {
      k.semihostErrno = -r;
      return -1;
    }
    return r;
  };
  switch (op) {
    case SYS_OPEN: {
      const mode = arg(1);
      if (mode >= OPEN_FLAGS.length) return checked(-22);
      const name = ctx.access.readCString(arg(0));
      if (name === ':tt') return checked(sys(NR_dup, mode < 4 ? 0 : mode < 8 ? 1 : 2));
      return checked(sys(NR_openat, AT_FDCWD, arg(0), OPEN_FLAGS[mode]!, 0o644));
    }
    case SYS_CLOSE:
      return checked(sys(NR_close, arg(0))) < 0 ? -1 : 0;
    // The debug console is stderr, as qemu-arm's user mode has it.
    case SYS_WRITEC:
      sys(NR_write, 2, param, 1);
      return 0;
    case SYS_WRITE0: {
      const len = cStringBytes(ctx, param).length;
      if (len > 0) sys(NR_write, 2, param, len);
      return 0;
    }
    case SYS_WRITE:
    case SYS_READ: {
      // The bytes not transferred (all of them after an error).
      const len = arg(2);
      const r = checked(sys(op === SYS_WRITE ? NR_write : NR_read, arg(0), arg(1), len));
      return r < 0 ? len : len - r;
    }
    case SYS_READC: {
      const host = ctx.fds.hostFdOf(0);
      const b = Buffer.alloc(1);
      try {
        return host >= 0 && fs.readSync(host, b, 0, 1, null) === 1 ? b[0]! : -1;
      } catch {
        return -1;
      }
    }
    case SYS_ISERROR:
      return (arg(0) | 0) < 0 ? 1 : 0;
    case SYS_ISTTY: {
      const host = ctx.fds.hostFdOf(arg(0));
      if (host < 0) return checked(-EBADF);
      return hostIsatty(host) ? 1 : 0;
    }
    case SYS_SEEK:
      return checked(sys(NR_lseek, arg(0), arg(1), 0)) < 0 ? -1 : 0;
    case SYS_FLEN: {
      const host = ctx.fds.hostFdOf(arg(0));
      if (host < 0) return checked(-EBADF);
      try {
        return fs.fstatSync(host).size;
      } catch {
        return checked(-EBADF);
      }
    }
    case SYS_REMOVE:
      return checked(sys(NR_unlink, arg(0))) < 0 ? -1 : 0;
    case SYS_RENAME:
      return checked(sys(NR_rename, arg(0), arg(2))) < 0 ? -1 : 0;
    case SYS_CLOCK: {
      // Centiseconds of the emulator's CPU time, as qemu-arm's clock().
      const u = process.cpuUsage();
      return Math.floor((u.user + u.system) / 10000);
    }
    case SYS_TIME:
      return realtimeSeconds();
    case SYS_ERRNO:
      return k.semihostErrno;
    case SYS_GET_CMDLINE:
      return commandLine(ctx, param);
    case SYS_HEAPINFO:
      return heapInfo(ctx, sys, param);
    case SYS_EXIT:
      return sys(NR_exit_group, param === ADP_STOPPED_APPLICATION_EXIT ? 0 : 1);
    case SYS_EXIT_EXTENDED:
      return sys(NR_exit_group, arg(0) === ADP_STOPPED_APPLICATION_EXIT ? arg(1) : 1);
    case SYS_ELAPSED: {
      const ns = process.hrtime.bigint() - startNs;
      ctx.access.writeU32(param, Number(ns & 0xffffffffn));
      ctx.access.writeU32(param + 4, Number(ns >> 32n));
      return 0;
    }
    case SYS_TICKFREQ:
      return 1_000_000_000;
    case SYS_SYSTEM:
    case SYS_TMPNAM:
      ctx.warnOnce(`semihost-${op}`, `mttcg: semihosting operation 0x${op.toString(16)} (${op === SYS_SYSTEM ? 'SYS_SYSTEM' : 'SYS_TMPNAM'}) reaches outside the sandbox; refused`);
      return -1;
    default:
      ctx.warnOnce(`semihost-${op}`, `mttcg: unsupported semihosting operation 0x${op.toString(16)}; returning -1`);
      return checked(-ENOSYS);
  }
}

/** The bytes of the NUL-terminated string at addr (without the NUL; at most 1 MiB). */
function cStringBytes(ctx: ThreadContext, addr: number): Uint8Array {
  const out: number[] = [];
  for (let at = addr >>> 0; out.length < 1 << 20; at += 256) {
    const chunk = ctx.access.read(at, 256 - (at & 255));
    const end = chunk.indexOf(0);
    if (end >= 0) return Uint8Array.from([...out, ...chunk.subarray(0, end)]);
    out.push(...chunk);
    at -= at & 255;
  }
  return Uint8Array.from(out);
}

/** SYS_GET_CMDLINE: [buffer, size] gets the arguments joined by spaces; size becomes the length. */
function commandLine(ctx: ThreadContext, param: number): number {
  const { argStart, argc } = ctx.kernel.args;
  const parts: Buffer[] = [];
  for (let i = 0, at = argStart; i < argc; i++) {
    const s = cStringBytes(ctx, at);
    parts.push(Buffer.from(s));
    at += s.length + 1;
  }
  const bytes = Buffer.concat([...parts.flatMap((p, i) => (i ? [Buffer.from(' '), p] : [p])), Buffer.alloc(1)]);
  const buf = ctx.access.readU32(param) >>> 0;
  const size = ctx.access.readU32(param + 4) >>> 0;
  if (bytes.length > size) return -1;
  ctx.access.write(buf, new Uint8Array(bytes));
  ctx.access.writeU32(param + 4, bytes.length - 1);
  return 0;
}

/**
 * SYS_HEAPINFO: param points to the address of a block [heap base, heap
 * limit, stack base, stack limit]. As qemu-arm, the heap follows .bss: the
 * first call grows the break by up to 128 MiB (less if brk refuses).
 */
function heapInfo(ctx: ThreadContext, sys: SyscallCall, param: number): number {
  const k = ctx.kernel;
  let heap = k.semihostHeap;
  if (heap === null) {
    const base = sys(NR_brk, 0) >>> 0;
    let limit = base + HEAP_SIZE;
    while (limit > base && sys(NR_brk, limit) >>> 0 < limit) limit = Math.floor((base + limit) / 2);
    heap = { base, limit };
    k.semihostHeap = heap;
  }
  const block = ctx.access.readU32(param) >>> 0;
  [heap.base, heap.limit, k.args.stackBase, 0].forEach((v, i) => ctx.access.writeU32(block + 4 * i, v));
  return 0;
}
