// "The guest only sees the host files you allow." A guest path is resolved
// against the host cwd (the guest's cwd) or a directory fd, the longest
// existing prefix is realpath'd so a symlink cannot lead outside, and the
// result must lie inside one of --allow-dir. The host call then goes through
// withGuestPath: a walk from the allowed root that follows no symlink
// (host-at.ts), so a rename racing with the call cannot send it elsewhere:
// the object touched is the object checked, or the call resolves and checks
// again (a few times, then the guest gets ENOENT).
//
// A few virtual files are always there: /dev/null (read/write), /dev/zero,
// /dev/urandom and /dev/random (read only); /proc/self/exe exists for
// readlink alone. Anything else looks like a missing file (ENOENT), with one
// warning on stderr for the run. Limits (docs/linux-user.md): another host
// process that moves the allowed directory itself, or a hard link made by
// the host from inside the tree to a file outside, is not defended against.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { EACCES, ENOENT, ENOTDIR } from './errno.js';
import { HostAt, PathChanged } from './host-at.js';
import { hostErrno, isHostError } from './sys-file-util.js';
import type { SyscallContext, SyscallOptions } from './syscall-context.js';

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

const rootsCache = new WeakMap<SyscallOptions, readonly string[]>();

/** The allowed directories, realpath'd once per options object (missing ones dropped). */
export function allowedRoots(options: SyscallOptions): readonly string[] {
  let roots = rootsCache.get(options);
  if (!roots) {
    roots = options.allowDirs.flatMap((d) => {
      try {
        return [fs.realpathSync.native(path.resolve(d))];
      } catch {
        return [];
      }
    });
    rootsCache.set(options, roots);
  }
  return roots;
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

function deny(ctx: SyscallContext, guestPath: string): number {
  ctx.warnOnce('path-denied', `mttcg: guest tried to open ${guestPath} outside --allow-dir; denied (ENOENT)`);
  return -ENOENT;
}

/**
 * Decides whether the guest may touch guestPath (relative paths start at
 * baseDir, a host directory). Returns the host path to use, or -errno.
 */
export function resolveGuestPath(
  ctx: SyscallContext, guestPath: string, baseDir: string, req: PathRequest,
): ResolvedPath | number {
  if (guestPath === '') return -ENOENT;
  const abs = absoluteGuestPath(guestPath, baseDir);
  const direct = virtualCheck(abs, req);
  if (direct !== null) return direct;
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
  if (real === null) return deny(ctx, guestPath);
  if (req.follow) {
    // A symlink inside an allowed dir that points at /dev/null is fine too.
    const viaLink = virtualCheck(real, req);
    if (viaLink !== null) return viaLink;
  }
  const root = allowedRoots(ctx.options).find((r) => isInside(real!, [r]));
  if (root === undefined) return deny(ctx, guestPath);
  return { host: slash && real !== '/' ? `${real}/` : real, virtual: false, root };
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
  ctx: SyscallContext, guestPath: string, baseDir: string, req: PathRequest,
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
