// Host file operations on a path the path policy has checked, done so that a
// concurrent rename cannot redirect them (the guest racing `rename` on a
// symlink inside --allow-dir, issue 13 item 1).
//
// Node has no openat(2), but Linux gives the same thing through /proc: a path
// `/proc/self/fd/N/name` is looked up in the directory open as fd N (the
// magic link jumps to the open directory itself, whatever its name is now),
// so `open("/proc/self/fd/N/name", O_NOFOLLOW)` is `openat(N, "name",
// O_NOFOLLOW)`. The walk opens each directory of the checked real path,
// starting from the allowed root (opened once, O_PATH), one component at a
// time with O_PATH | O_DIRECTORY | O_NOFOLLOW. A component that has become a
// symlink since the check fails that open, and the caller resolves and checks
// the path again (PathChanged). The last component is handled by the
// operation without following it (lstat, unlink, mkdir, rename, readlink), or
// with O_NOFOLLOW (open, truncate, access through an O_PATH fd): the checked
// real path has no symlink left in it, so one found there is also a change.
// What was checked is therefore what is touched: every object reached lies in
// the allowed tree, with no window between the check and the use.

import * as fs from 'node:fs';
import * as path from 'node:path';

/** Linux's O_PATH (the same value on every Linux architecture). */
export const HOST_O_PATH = 0o10000000;
const C = fs.constants;
const WALK_FLAGS = HOST_O_PATH | C.O_DIRECTORY | C.O_NOFOLLOW;

/** A component of a checked path turned into a symlink meanwhile: resolve and check the path again. */
export class PathChanged extends Error {
  constructor(what: string) {
    super(`${what} changed while it was being used`);
    this.name = 'PathChanged';
  }
}

function code(e: unknown): string {
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : '';
}

/** Root directories, opened once per worker (O_PATH: no permission needed, never closed). */
const rootFds = new Map<string, number>();

function rootFd(root: string): number {
  let fd = rootFds.get(root);
  if (fd === undefined) {
    fd = fs.openSync(root, WALK_FLAGS);
    rootFds.set(root, fd);
  }
  return fd;
}

/** Throws PathChanged if `at` names a symlink now, else rethrows the host error e. */
function symlinkMeansChange(atPath: string, e: unknown): never {
  let link = false;
  try {
    link = fs.lstatSync(atPath).isSymbolicLink();
  } catch {
    // gone altogether: report the original error
  }
  if (link) throw new PathChanged(atPath);
  throw e;
}

/** A checked object: its parent directory held open (reached without following any symlink) and its name. */
export class HostAt {
  private constructor(
    /** The parent directory's fd, or the root's own fd when the object is the root. */
    private readonly dirFd: number,
    /** The last component; null when the object is the allowed root itself. */
    readonly name: string | null,
    private readonly ownsDir: boolean,
  ) {}

  /**
   * Walks from `root` to the parent of `real` (a path inside root with no
   * symlink and no '..' in it) one directory at a time, following nothing.
   * Throws PathChanged, or the host error of a missing or non-directory component.
   */
  static walk(root: string, real: string): HostAt {
    const rel = path.relative(root, real);
    const top = rootFd(root);
    if (rel === '') return new HostAt(top, null, false);
    const parts = rel.split('/');
    const name = parts.pop()!;
    let dir = top;
    try {
      for (const part of parts) {
        const at = `/proc/self/fd/${dir}/${part}`;
        let next: number;
        try {
          next = fs.openSync(at, WALK_FLAGS);
        } catch (e) {
          if (code(e) === 'ENOTDIR' || code(e) === 'ELOOP') symlinkMeansChange(at, e);
          throw e;
        }
        if (dir !== top) fs.closeSync(dir);
        dir = next;
      }
    } catch (e) {
      if (dir !== top) fs.closeSync(dir);
      throw e;
    }
    return new HostAt(dir, name, dir !== top);
  }

  /** Releases the parent directory's fd. */
  close(): void {
    if (this.ownsDir) fs.closeSync(this.dirFd);
  }

  /** For calls that never follow the last component: lstat, unlink, rmdir, mkdir, rename, readlink. */
  get path(): string {
    return this.name === null ? `/proc/self/fd/${this.dirFd}` : `/proc/self/fd/${this.dirFd}/${this.name}`;
  }

  /** For a path written with a trailing slash: false if the object exists and is not a directory. */
  isDirectoryOrMissing(): boolean {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(this.path);
    } catch (e) {
      if (code(e) === 'ENOENT') return true;
      throw e;
    }
    // The checked path followed any link here: a link now is a change.
    if (st.isSymbolicLink()) throw new PathChanged(this.path);
    return st.isDirectory();
  }

  /**
   * open(2) with host flags. The last component is never followed (O_NOFOLLOW
   * is added): the guest asked for that (guestNoFollow: ELOOP is its answer),
   * or the checked path has no symlink there and one now is a change.
   */
  open(hostFlags: number, mode: number, guestNoFollow: boolean): number {
    // The root itself: the magic link is the open directory, O_NOFOLLOW would refuse it.
    if (this.name === null) return fs.openSync(this.path, hostFlags & ~C.O_NOFOLLOW, mode);
    try {
      return fs.openSync(this.path, hostFlags | C.O_NOFOLLOW, mode);
    } catch (e) {
      if (code(e) === 'ELOOP' && !guestNoFollow) symlinkMeansChange(this.path, e);
      throw e;
    }
  }

  /** stat (follow) or lstat of the object. */
  stat(follow: boolean): fs.BigIntStats {
    if (this.name === null) return fs.fstatSync(this.dirFd, { bigint: true });
    const st = fs.lstatSync(this.path, { bigint: true });
    if (follow && st.isSymbolicLink()) throw new PathChanged(this.path);
    return st;
  }

  /** access(2) on the object (not on a symlink's target: a symlink found when following is a change). */
  access(mode: number, follow: boolean): void {
    if (this.name === null) {
      fs.accessSync(this.path, mode);
      return;
    }
    const fd = fs.openSync(this.path, HOST_O_PATH | C.O_NOFOLLOW);
    try {
      if (fs.fstatSync(fd).isSymbolicLink()) {
        if (follow) throw new PathChanged(this.path);
        return; // AT_SYMLINK_NOFOLLOW on a link: its permissions are rwx for everyone
      }
      // Through the fd: the object is fixed, however it is named by now.
      fs.accessSync(`/proc/self/fd/${fd}`, mode);
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Runs `use` on a path that names the object itself (its O_PATH handle
   * under /proc/self/fd), for calls that follow the path: chmod, utimes,
   * chown. A symlink there is a change when following; without following,
   * `use` gets null and the caller decides (lutimes, or EOPNOTSUPP for chmod).
   */
  onObject<T>(follow: boolean, use: (objectPath: string | null) => T): T {
    if (this.name === null) return use(this.path);
    const fd = fs.openSync(this.path, HOST_O_PATH | C.O_NOFOLLOW);
    try {
      if (fs.fstatSync(fd).isSymbolicLink()) {
        if (follow) throw new PathChanged(this.path);
        return use(null);
      }
      return use(`/proc/self/fd/${fd}`);
    } finally {
      fs.closeSync(fd);
    }
  }

  /** truncate(2) through an fd opened without following the last component. */
  truncate(length: number): void {
    const fd = this.open(C.O_WRONLY, 0, false);
    try {
      fs.ftruncateSync(fd, length);
    } finally {
      fs.closeSync(fd);
    }
  }
}
