// execve and execveat: the file is found under the sandbox and the sysroot
// (exec-file.ts: --allow-dir and -L hold for exec, and for the ELF
// interpreter, as for open), `#!` scripts run their interpreter (up to 4 levels),
// anything that is not a loadable ARM ELF is ENOEXEC. The new image is loaded
// into a new address space over the same frames before anything of the old
// one is touched, so a failed execve returns to the caller unharmed; then the
// thread's context replaces the process image (ThreadContext.replaceImage).

import { closeSync } from 'node:fs';
import { E2BIG, EFAULT, EINVAL, ELOOP, ENOENT, ENOEXEC, ENOMEM } from './errno.js';
import { ElfError } from './elf-file.js';
import { interpreterReader, readExecutableFile } from './exec-file.js';
import { loadProgram } from './loader.js';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, dirBase, readGuestPath } from './sys-file-util.js';
import type { ThreadContext } from './thread-context.js';
import { OutOfGuestMemory } from '../softmmu/frame-pool.js';
import { GuestMemory } from '../softmmu/guest-memory.js';
import { BadGuestAddress, KernelAccess } from '../softmmu/kernel-access.js';

export const NR_execve = 11;
export const NR_execveat = 387;

/** Linux's limits: 128 KiB per string, and (with an 8 MiB stack) 2 MiB of arguments and environment. */
const MAX_ARG_STRLEN = 128 * 1024;
const ARG_MAX = 2 * 1024 * 1024;
const MAX_SCRIPT_DEPTH = 4;
const SHEBANG_MAX = 256;

/** A NULL-terminated guest array of strings (argv, envp); -E2BIG or -EFAULT. */
function readStrings(ctx: ThreadContext, addr: number, total: { bytes: number }): string[] | number {
  const out: string[] = [];
  if (addr === 0) return out;
  for (let i = 0; ; i++) {
    const p = ctx.access.readU32((addr + 4 * i) >>> 0);
    if (p === 0) return out;
    let s: string;
    try {
      s = ctx.access.readCString(p >>> 0, MAX_ARG_STRLEN);
    } catch (e) {
      if (!(e instanceof BadGuestAddress)) throw e;
      try {
        ctx.access.check(p >>> 0, 1, false);
      } catch {
        return -EFAULT;
      }
      return -E2BIG; // readable but longer than MAX_ARG_STRLEN
    }
    total.bytes += Buffer.byteLength(s) + 5;
    if (total.bytes > ARG_MAX) return -E2BIG;
    out.push(s);
  }
}

/** `#!interpreter [one argument]` from a script's first line, or null. */
function shebang(bytes: Uint8Array): { interp: string; arg: string | null } | null {
  if (bytes[0] !== 0x23 || bytes[1] !== 0x21) return null;
  let end = 2;
  while (end < bytes.length && end < SHEBANG_MAX && bytes[end] !== 0x0a) end++;
  const line = Buffer.from(bytes.subarray(2, end)).toString('latin1').replace(/^[ \t]+/, '').replace(/[ \t]+$/, '');
  if (line === '') return null;
  const m = /^(\S+)(?:[ \t]+(.*))?$/.exec(line)!;
  return { interp: m[1]!, arg: m[2] ?? null };
}

function exec(ctx: ThreadContext, guestPath: string, base: string, argv: string[], envp: string[], depth: number): number {
  if (depth > MAX_SCRIPT_DEPTH) return -ELOOP;
  const file = readExecutableFile(ctx, guestPath, base);
  if (typeof file === 'number') return file;
  const { host, bytes, fd, kept } = file;
  const script = shebang(bytes);
  if (script) {
    closeSync(fd);
    const args = [script.interp, ...(script.arg !== null ? [script.arg] : []), guestPath, ...argv.slice(1)];
    return exec(ctx, script.interp, base, args, envp, depth + 1);
  }
  const memory = ctx.mem.newSpace();
  const mem = new GuestMemory(memory);
  let loaded;
  try {
    const random16 = ctx.sched ? new Uint8Array(16) : null;
    if (random16) ctx.sched!.randomFill(random16);
    loaded = loadProgram(mem, new KernelAccess(mem), bytes, {
      argv, envp, execfn: guestPath, random16, programFd: fd, readInterpreter: interpreterReader(ctx), keptProgram: kept,
    });
  } catch (e) {
    mem.retire();
    if (e instanceof ElfError) return -ENOEXEC; // a shell then runs it as a script itself
    if (e instanceof OutOfGuestMemory) return -ENOMEM;
    throw e;
  } finally {
    closeSync(fd);
  }
  return ctx.replaceImage({ memory, regs: loaded.regs, layout: loaded.layout, exePath: host, guestExePath: guestPath });
}

function sysExecveat(ctx: ThreadContext, dirfd: number, pathAddr: number, argvAddr: number, envpAddr: number, flags: number): number {
  if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) return -EINVAL;
  const path = readGuestPath(ctx.access, pathAddr);
  if (typeof path === 'number') return path;
  if (path === '') return -ENOENT; // AT_EMPTY_PATH (fexecve) is not supported
  const total = { bytes: 0 };
  const argv = readStrings(ctx, argvAddr, total);
  if (typeof argv === 'number') return argv;
  const envp = readStrings(ctx, envpAddr, total);
  if (typeof envp === 'number') return envp;
  const base = path.startsWith('/') ? '/' : dirBase(ctx.fds, dirfd);
  if (typeof base === 'number') return base;
  return exec(ctx, path, base, argv, envp, 0);
}

export function execSyscalls(): Map<number, (ctx: ThreadContext, ...a: number[]) => number> {
  return new Map<number, (ctx: ThreadContext, ...a: number[]) => number>([
    [NR_execve, (c, p, a, e) => sysExecveat(c, AT_FDCWD, p!, a!, e!, 0)],
    [NR_execveat, (c, d, p, a, e, f) => sysExecveat(c, d!, p!, a!, e!, f!)],
  ]);
}
