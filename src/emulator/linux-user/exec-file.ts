// The bytes of a program or interpreter the guest names, found as the guest
// would open it: the sandbox and the sysroot (path-policy.ts) hold for execve
// and for the interpreter a dynamically linked program names, as they hold
// for open. Used by execve and by the loader of the first program.

import * as fs from 'node:fs';
import { EACCES, ENOENT } from './errno.js';
import { ElfError } from './elf-file.js';
import { PathChanged } from './host-at.js';
import { imagePages } from '../softmmu/image-pages.js';
import { SELF_EXE, withGuestPath, type PathContext } from './path-policy.js';

export interface ExecutableFile {
  /** The host file (what /proc/self/exe names). */
  readonly host: string;
  readonly bytes: Uint8Array;
  /** A host fd open for reading on the file that was read (the loader maps its segments from it); the caller closes it. */
  readonly fd: number;
  /** `bytes` is this worker's kept copy (the same object while the file is unchanged): the loader may keep its pages. */
  readonly kept: boolean;
}

/**
 * The last few executables read in this worker, by file identity and change
 * time: a shell loop execs the same busybox hundreds of times, and reading
 * its 1.8 MB cost 1-7 ms each time under load. Any write to the file moves
 * its ctime, so a changed file is read afresh. The bytes are only read
 * (parsed, copied into guest frames), never changed.
 */
const recent = new Map<string, Uint8Array>();
const RECENT_FILES = 4;
const RECENT_MAX_BYTES = 16 * 1024 * 1024;

function fileBytes(fd: number, st: fs.BigIntStats): { bytes: Uint8Array; kept: boolean } {
  const key = `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  const hit = recent.get(key);
  if (hit) return { bytes: hit, kept: true };
  const bytes = fs.readFileSync(fd);
  // A file that changed while it was read (its length is not the one stat saw) is not kept.
  if (BigInt(bytes.length) !== st.size || st.size > RECENT_MAX_BYTES) return { bytes, kept: false };
  recent.set(key, bytes);
  if (recent.size > RECENT_FILES) {
    const oldest = recent.keys().next().value!;
    // Its kept image pages go with it.
    imagePages.forget(recent.get(oldest)!);
    recent.delete(oldest);
  }
  return { bytes, kept: true };
}

/** The bytes of an executable file (a regular file with an x bit), or -errno. */
function readExecutable(fd: number): { bytes: Uint8Array; kept: boolean } | number {
  const st = fs.fstatSync(fd, { bigint: true });
  if (!st.isFile() || (st.mode & 0o111n) === 0n) return -EACCES;
  return fileBytes(fd, st);
}

/**
 * The host file for a guest path (relative paths start at `base`), its
 * bytes and an fd on it, read through the race-free walk (withGuestPath), or
 * -errno.
 */
export function readExecutableFile(ctx: PathContext, guestPath: string, base: string): ExecutableFile | number {
  if (guestPath === SELF_EXE) {
    const host = ctx.options.exePath;
    let fd = -1;
    try {
      fd = fs.openSync(host, 'r');
      return { host, ...fileBytes(fd, fs.fstatSync(fd, { bigint: true })), fd };
    } catch {
      if (fd >= 0) fs.closeSync(fd);
      return -ENOENT;
    }
  }
  let found: ExecutableFile | null = null;
  const r = withGuestPath(ctx, guestPath, base, { follow: true, write: false }, (v, at) => {
    if (at === null) return -EACCES;
    let fd: number;
    try {
      fd = at.open(fs.constants.O_RDONLY, 0, false);
    } catch (e) {
      if (e instanceof PathChanged) throw e;
      return (e as { code?: string }).code === 'ENOENT' ? -ENOENT : -EACCES;
    }
    let read: { bytes: Uint8Array; kept: boolean } | number = -EACCES;
    try {
      read = readExecutable(fd);
    } finally {
      if (typeof read === 'number') fs.closeSync(fd);
    }
    if (typeof read === 'number') return read;
    found = { host: v.host, ...read, fd };
    return 0;
  });
  const got = found as ExecutableFile | null; // set inside the callback
  return got ?? (r < 0 ? r : -ENOENT);
}

/** LoadOptions.readInterpreter for a process: the interpreter as the guest would open it (bytes and fd), or an ElfError. */
export function interpreterReader(ctx: PathContext): (path: string) => ExecutableFile {
  return (interp) => {
    const r = readExecutableFile(ctx, interp, '/');
    if (typeof r !== 'number') return r;
    const why = r === -ENOENT ? 'no such file' : r === -EACCES ? 'not an executable file' : `errno ${-r}`;
    const where = ctx.options.sysroot === null
      ? 'no sysroot is set: give the directory holding the ARM libraries with -L DIR or QEMU_LD_PREFIX'
      : `looked up under the sysroot ${ctx.options.sysroot} first`;
    throw new ElfError(`cannot open the interpreter ${interp} (${why}; ${where})`);
  };
}
