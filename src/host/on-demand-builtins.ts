// Host services whose Node modules are loaded only when a run uses them
// (cold start, docs/translator.md "Start-up"). Every thread of a run loads
// the modules its bundle imports at the top, whether or not the run calls
// them: `node:crypto` costs about 2 ms of a worker's start and `node:tty`
// (which loads `node:net`) about 0.6 ms, on the path to the guest's first
// instruction, for the 16 random bytes of AT_RANDOM, getrandom and a TTY
// ioctl. Random bytes come from the host's /dev/urandom (what getrandom
// reads too), through `node:crypto` only where that cannot be read; the TTY
// test loads `node:tty` at its first use.

import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);

/** Fills `bytes` with random bytes from the host. */
export function fillRandom(bytes: Uint8Array): void {
  let fd = -1;
  try {
    fd = openSync('/dev/urandom', 'r');
    for (let at = 0; at < bytes.length;) {
      const n = readSync(fd, bytes, at, bytes.length - at, null);
      if (n <= 0) throw new Error('/dev/urandom: end of file');
      at += n;
    }
    return;
  } catch {
    (requireBuiltin('node:crypto') as typeof import('node:crypto')).randomFillSync(bytes);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Whether the host fd is a terminal (Node's `tty.isatty`). */
export function hostIsatty(fd: number): boolean {
  return (requireBuiltin('node:tty') as typeof import('node:tty')).isatty(fd);
}
