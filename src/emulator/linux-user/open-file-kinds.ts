// What an open file description is (its kind), the guest's open flags (those
// it keeps and those open(2) acts on) and the fd flag beside it (fd-table.ts
// holds them), and how a host fd's kind, flags and offset are probed.

import * as fs from 'node:fs';

/** Pipe, tty, socket or char device: host read/write at the host's own position. */
export const KIND_STREAM = 1;
/** Regular file: we keep the offset and use pread/pwrite. */
export const KIND_FILE = 2;
/** Directory: the offset is the getdents64 entry index. */
export const KIND_DIR = 3;
/** Inherited regular file (stdio redirected to a file): host offset until the guest seeks. */
export const KIND_HOSTPOS = 4;
/** /dev/null. */
export const KIND_DEVNULL = 5;
/** The read end of a guest pipe (O_PIPE names it; no host fd). */
export const KIND_PIPE_READ = 6;
/** The write end of a guest pipe. */
export const KIND_PIPE_WRITE = 7;
/** Flag in the kind word: never close the host fd (the emulator's own stdio). */
export const KIND_NOCLOSE = 0x100;

export const FD_CLOEXEC = 1;
// Guest (ARM) open flags (arch/arm/include/uapi/asm/fcntl.h over asm-generic).
/** Kept in an OFD's status word. */
export const G_O_ACCMODE = 3;
export const G_O_RDONLY = 0;
export const G_O_WRONLY = 1;
export const G_O_RDWR = 2;
export const G_O_APPEND = 0o2000;
export const G_O_NONBLOCK = 0o4000;
export const G_O_DSYNC = 0o10000;
export const G_O_DIRECT = 0o200000;
export const G_O_LARGEFILE = 0o400000;
export const G___O_SYNC = 0o4000000; // O_SYNC is __O_SYNC | O_DSYNC
export const G_O_CLOEXEC = 0o2000000;
/** Acted on while opening. */
export const G_O_CREAT = 0o100;
export const G_O_EXCL = 0o200;
export const G_O_NOCTTY = 0o400;
export const G_O_TRUNC = 0o1000;
export const G_O_DIRECTORY = 0o40000;
export const G_O_NOFOLLOW = 0o100000;
export const G_O_PATH = 0o10000000;
export const G___O_TMPFILE = 0o20000000; // O_TMPFILE is __O_TMPFILE | O_DIRECTORY

/** Reads a host fd's open flags and offset from /proc/self/fdinfo (null if unavailable). */
export function hostFdInfo(hostFd: number): { flags: number; pos: number } | null {
  try {
    const text = fs.readFileSync(`/proc/self/fdinfo/${hostFd}`, 'latin1');
    const pos = /^pos:\s*(\d+)/m.exec(text);
    const flags = /^flags:\s*([0-7]+)/m.exec(text);
    return { pos: pos ? Number(pos[1]) : 0, flags: flags ? parseInt(flags[1]!, 8) : 0 };
  } catch {
    return null;
  }
}

/** The host's current file offset of a host fd (for ftell on an inherited file), or -1. */
export function hostFdPosition(hostFd: number): number {
  return hostFdInfo(hostFd)?.pos ?? -1;
}

/** The table kind for a host fd, from fstat. */
export function kindOfHostFd(hostFd: number): number {
  const st = fs.fstatSync(hostFd);
  if (st.isFile()) return KIND_FILE;
  if (st.isDirectory()) return KIND_DIR;
  return KIND_STREAM;
}
