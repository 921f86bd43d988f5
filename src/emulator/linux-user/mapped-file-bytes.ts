// The bytes mmap copies from a guest file into a new mapping (every file
// mapping is a copy: sys-memory.ts), read through the fd's open file
// description without moving its offset.

import * as fs from 'node:fs';
import { EACCES, EBADF, ENODEV, errnoFromNode } from './errno.js';
import type { FdTable } from './fd-table.js';
import { G_O_ACCMODE, G_O_WRONLY, KIND_DEVNULL, KIND_FILE, KIND_HOSTPOS } from './open-file-kinds.js';

/** The most one host read asks for. */
const READ_CHUNK = 1 << 20;

/**
 * Up to len bytes of the file behind guest fd `fd` at offset (fewer at end of
 * file; the mapping's tail stays zero). -EBADF, -EACCES (write-only),
 * -ENODEV (not a file), or the host error's -errno.
 */
export function mappedFileBytes(fds: FdTable, fd: number, len: number, offset: number): Uint8Array | number {
  const f = fds.get(fd);
  if (!f) return -EBADF;
  try {
    if ((fds.status(f) & G_O_ACCMODE) === G_O_WRONLY) return -EACCES;
    const kind = fds.kind(f);
    if (kind === KIND_DEVNULL) return new Uint8Array(0);
    if (kind !== KIND_FILE && kind !== KIND_HOSTPOS) return -ENODEV;
    const want = Math.max(0, Math.min(len, fs.fstatSync(f.hostFd).size - offset));
    const out = Buffer.alloc(want);
    let done = 0;
    while (done < want) {
      const n = fs.readSync(f.hostFd, out, done, Math.min(want - done, READ_CHUNK), offset + done);
      if (n === 0) break;
      done += n;
    }
    return new Uint8Array(out.buffer, out.byteOffset, done);
  } catch (e) {
    return -errnoFromNode(e);
  } finally {
    fds.put(f);
  }
}
