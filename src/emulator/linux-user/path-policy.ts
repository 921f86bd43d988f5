// "The guest only sees the host files you allow." A guest path is resolved
// against the host cwd (the guest's cwd) or a directory fd, the longest
// existing prefix is realpath'd so a symlink cannot lead outside, and the
// result must lie inside one of --allow-dir (read and write) or of the
// read-only directories: the sysroot (-L) and the program's own directory.
// An absolute guest path is looked up under the sysroot first and names the
// file there when it exists, as qemu-arm's -L prefix does. The host call
// then goes through withGuestPath: a walk from the allowed root that follows
// no symlink (host-at.ts), so a rename racing with the call cannot send it
// elsewhere: the object touched is the object checked, or the call resolves
// and checks again (a few times, then the guest gets ENOENT).
//
// A few virtual files are always there: /dev/null (read/write), /dev/zero,
// /dev/urandom and /dev/random (read only); /proc/self/exe exists for
// readlink alone. Anything else looks like a missing file (ENOENT), with one
// warning on stderr for the run when the host has the file (not for the
// dynamic loader's own probes of /etc/ld.so.cache and /etc/ld.so.preload,
// which a sysroot may lack). A
// change under a read-only directory fails with EROFS. Limits
// (docs/linux-user.md): another host process that moves the allowed
// directory itself, or a hard link made by the host from inside the tree to
// a file outside, is not defended against.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { EACCES, ENOENT, ENOTDIR, EROFS } from './errno.js';
import { HostAt, PathChanged } from './host-at.js';
import { hostErrno, isHostError } from './sys-file-util.js';
import type { SyscallContext, SyscallOptions } from './syscall-context.js';

/** What path resolution needs of a syscall context (the loader has no vCPU but resolves the interpreter too). */
export type PathContext = Pick<SyscallContext, 'options' | 'warnOnce'>;

const VIRTUAL_FILES: ReadonlyMap<string, { write: boolean }> = new Map([
  ['/dev/null', { write: true }],
  ['/dev/zero', { write: false }],
  ['/dev/urandom', { write: false }],
  ['/dev/random', { write: false }],
]);

export const SELF_EXE = '/proc/self/exe';

export interface PathRequest {
  /** Follow a symlink in the last component (open, stat, access) or not (lstat, unlink, readlink). */
  readonly follow: boolean;
  /** The operation writes (open for writing, unlink, mkdir...): matters for virtual files. */
  readonly write: boolean;
}

export interface ResolvedPath {
  /** Host path to operate on: fully resolved when following, parent-resolved otherwise. */
  readonly host: string;
  /** One of the always-allowed device files. */
  readonly virtual: boolean;
  /** The allowed root the path lies in ('' for a virtual file). */
  readonly root: string;
}

const rootsCache = new WeakMap<SyscallOptions, { readonly write: readonly string[]; readonly read: readonly string[] }>();

function realDirs(dirs: readonly string[]): string[] {
  return dirs.flatMap((d) => {
    try {
      return [fs.realpathSync.native(path.resolve(d))];
    } catch {
      return [];
    }
  });
}

function roots(options: SyscallOptions): { readonly write: readonly string[]; readonly read: readonly string[] } {
  let r = rootsCache.get(options);
  if (!r) {
    r = { write: realDirs(options.allowDirs), read: realDirs(options.readOnlyDirs) };
    rootsCache.set(options, r);
  }
  return r;
}

/** The allowed (read-write) directories, realpath'd once per options object (missing ones dropped). */
export function allowedRoots(options: SyscallOptions): readonly string[] {
  return roots(options).write;
}

/** The read-only directories (sysroot, the program's directory), realpath'd once per options object. */
export function readOnlyRoots(options: SyscallOptions): readonly string[] {
  return roots(options).read;
}

export function isInside(real: string, roots: readonly string[]): boolean {
  return roots.some((r) => real === r || real.startsWith(r.endsWith('/') ? r : `${r}/`));
}

function nodeCode(e: unknown): string {
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : '';
}

/**
 * Resolves symlinks in the longest existing prefix of an absolute path and
 * appends the missing rest. null when an existing component cannot be
 * resolved (a dangling symlink, a loop, no permission): refusing is safer
 * than letting the host follow a link we could not check.
 */
export function realpathLoose(abs: string): string | null {
  let head = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      const real = fs.realpathSync.native(head);
      return rest.length ? path.join(real, ...rest.reverse()) : real;
    } catch (e) {
      const code = nodeCode(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return null;
    }
    try {
      fs.lstatSync(head);
      return null; // it exists, yet does not resolve: a dangling symlink
    } catch {
      // missing: try the parent
    }
    const up = path.dirname(head);
    if (up === head) return null;
    rest.push(path.basename(head));
    head = up;
  }
}

/** Absolute, lexically normalised form of a guest path relative to baseDir. */
export function absoluteGuestPath(guestPath: string, baseDir: string): string {
  return path.resolve(baseDir, guestPath);
}

/** Whether a guest path names /proc/self/exe (for readlink). */
export function isSelfExe(guestPath: string, baseDir: string): boolean {
  return absoluteGuestPath(guestPath, baseDir) === SELF_EXE;
}

function virtualCheck(p: string, req: PathRequest): ResolvedPath | number | null {
  const v = VIRTUAL_FILES.get(p);
  if (!v) return null;
  if (req.write && !v.write) return -EACCES;
  return { host: p, virtual: true, root: '' };
}

/** Files the dynamic loader looks for in every run; their absence is no news. */
const LOADER_PROBES: ReadonlySet<string> = new Set(['/etc/ld.so.cache', '/etc/ld.so.preload']);

function deny(ctx: PathContext, guestPath: string, abs: string): number {
  // Refusing a file the host does not have either changes nothing: no warning (the loader's search paths).
  if (!LOADER_PROBES.has(abs) && fs.existsSync(abs)) {
    ctx.warnOnce('path-denied', `mttcg: guest tried to open ${guestPath} outside --allow-dir and the sysroot; denied (ENOENT)`);
  }
  return -ENOENT;
}

/**
 * qemu-arm's path(): an absolute guest path names sysroot + path when that
 * exists on the host (following symlinks), else the path itself.
 */
export function sysrootPath(options: SyscallOptions, guestPath: string, abs: string): string {
  if (options.sysroot === null || !guestPath.startsWith('/')) return abs;
  const candidate = path.join(options.sysroot, abs);
  return fs.existsSync(candidate) ? candidate : abs;
}

/**
 * Decides whether the guest may touch guestPath (relative paths start at
 * baseDir, a host directory). Returns the host path to use, or -errno.
 */
export function resolveGuestPath(
  ctx: PathContext, guestPath: string, baseDir: string, req: PathRequest,
): ResolvedPath | number {
  if (guestPath === '') return -ENOENT;
  const guestAbs = absoluteGuestPath(guestPath, baseDir);
  const direct = virtualCheck(guestAbs, req);
  if (direct !== null) return direct;
  const abs = sysrootPath(ctx.options, guestPath, guestAbs);
  // A trailing slash means "a directory": the kernel follows the link and checks.
  const slash = guestPath.endsWith('/') && abs !== '/';
  if (slash) req = { ...req, follow: true };
  let real: string | null;
  if (req.follow || abs === '/') {
    real = realpathLoose(abs);
  } else {
    const parent = realpathLoose(path.dirname(abs));
    real = parent === null ? null : path.join(parent, path.basename(abs));
  }
  if (real === null) return deny(ctx, guestPath, guestAbs);
  if (req.follow) {
    // A symlink inside an allowed dir that points at /dev/null is fine too.
    const viaLink = virtualCheck(real, req);
    if (viaLink !== null) return viaLink;
  }
  const host = slash && real !== '/' ? `${real}/` : real;
  const root = allowedRoots(ctx.options).find((r) => isInside(real!, [r]));
  if (root !== undefined) return { host, virtual: false, root };
  const readRoot = readOnlyRoots(ctx.options).find((r) => isInside(real!, [r]));
  if (readRoot === undefined) return deny(ctx, guestPath, guestAbs);
  if (req.write) return -EROFS;
  return { host, virtual: false, root: readRoot };
}

/** How often a path is resolved and checked again when it changed under a call (then ENOENT). */
const CHANGE_RETRIES = 8;

/**
 * Resolves and checks guestPath, then runs `use` on it: with the object
 * reached by a walk that follows no symlink (HostAt), or with null for a
 * virtual device file (use r.host). A change of the tree during the walk or
 * the call (PathChanged) resolves and checks again. Returns use's result or -errno.
 */
export function withGuestPath(
  ctx: PathContext, guestPath: string, baseDir: string, req: PathRequest,
  use: (r: ResolvedPath, at: HostAt | null) => number,
): number {
  for (let attempt = 0; attempt < CHANGE_RETRIES; attempt++) {
    const r = resolveGuestPath(ctx, guestPath, baseDir, req);
    if (typeof r === 'number') return r;
    if (r.virtual) return use(r, null);
    const slash = r.host.endsWith('/') && r.host !== '/';
    let at: HostAt;
    try {
      at = HostAt.walk(r.root, slash ? r.host.slice(0, -1) : r.host);
    } catch (e) {
      if (e instanceof PathChanged) continue;
      if (isHostError(e)) return -hostErrno(e);
      throw e;
    }
    try {
      // "name/" must be a directory; the calls themselves never see the slash (it would follow a symlink).
      if (slash && !at.isDirectoryOrMissing()) return -ENOTDIR;
      return use(r, at);
    } catch (e) {
      if (!(e instanceof PathChanged)) throw e;
    } finally {
      at.close();
    }
  }
  ctx.warnOnce('path-changed', `mttcg: ${guestPath} kept changing while the guest used it (a rename race); denied (ENOENT)`);
  return -ENOENT;
}
