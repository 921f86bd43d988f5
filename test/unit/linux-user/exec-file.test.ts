// execve's file bytes (linux-user/exec-file.ts): the same unchanged file is
// read once per worker and its bytes reused (a shell loop execs busybox
// hundreds of times); a file rewritten in place, even to the same length,
// is read afresh. Fails without the cache (a second read gives other bytes
// objects) and with one that ignores a change (stale bytes after the rewrite).

import { closeSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { readExecutableFile, type ExecutableFile } from '../../../src/emulator/linux-user/exec-file.js';
import { SELF_EXE, type PathContext } from '../../../src/emulator/linux-user/path-policy.js';

function read(ctx: PathContext): ExecutableFile {
  const r = readExecutableFile(ctx, SELF_EXE, '/');
  if (typeof r === 'number') throw new Error(`errno ${-r}`);
  closeSync(r.fd);
  return r;
}

t.test('an unchanged executable is read once; a rewritten one afresh', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-exec-file-'));
  const file = join(dir, 'prog');
  writeFileSync(file, Buffer.alloc(4096, 1), { mode: 0o755 });
  utimesSync(file, new Date(0), new Date(0));
  const ctx = { options: { exePath: file }, warnOnce: () => {} } as unknown as PathContext;
  const a = read(ctx);
  const b = read(ctx);
  t.equal(b.bytes, a.bytes, 'the second exec reuses the bytes read by the first');
  writeFileSync(file, Buffer.alloc(4096, 2));
  // The same length and mtime as before: only the change time tells.
  utimesSync(file, new Date(0), new Date(0));
  const c = read(ctx);
  t.equal(c.bytes[0], 2, 'a file rewritten to the same length is read again');
  rmSync(dir, { recursive: true, force: true });
});
