// The race-free walk under the path policy (linux-user/host-at.ts): a path
// checked inside --allow-dir whose directory has become a symlink to the
// outside by the time of the call is never followed (the walk reports a
// change instead), and a directory fd keeps listing the directory it opened
// after that directory's name has been given to a symlink to the outside.
import t from 'tap';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HostAt, PathChanged } from '../../../src/emulator/linux-user/host-at.js';
import { GuestMemory } from '../../../src/emulator/softmmu/guest-memory.js';
import { KernelAccess } from '../../../src/emulator/softmmu/kernel-access.js';
import { PTE_READ, PTE_WRITE } from '../../../src/emulator/softmmu/page-bits.js';
import { FdTable } from '../../../src/emulator/linux-user/fd-table.js';
import { fileSyscalls } from '../../../src/emulator/linux-user/sys-files.js';
import type { SyscallContext } from '../../../src/emulator/linux-user/syscall-context.js';

function tree(t: { teardown(fn: () => void): void }) {
  const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mttcg-hostat-')));
  t.teardown(() => fs.rmSync(top, { recursive: true, force: true }));
  const inside = path.join(top, 'inside');
  const outside = path.join(top, 'outside');
  fs.mkdirSync(path.join(inside, 'd'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret'), 'TOP-SECRET');
  fs.writeFileSync(path.join(inside, 'd', 'mine'), 'mine');
  return { inside, outside };
}

t.test('a checked directory that turned into a symlink is not followed', async (t) => {
  const { inside, outside } = tree(t);
  const checked = path.join(inside, 'd', 'secret'); // checked while d was a real directory
  fs.renameSync(path.join(inside, 'd'), path.join(inside, 'gone'));
  fs.symlinkSync(outside, path.join(inside, 'd'));
  t.throws(() => HostAt.walk(inside, checked), PathChanged, 'the walk sees the symlink and reports a change');
  t.ok(fs.existsSync(checked), '(a plain host open of the checked string would have reached the outside file)');
});

t.test('the last component turned into a symlink: open, stat, access and truncate refuse to follow it', async (t) => {
  const { inside, outside } = tree(t);
  const checked = path.join(inside, 'd', 'mine');
  const at = HostAt.walk(inside, checked);
  t.teardown(() => at.close());
  fs.unlinkSync(checked);
  fs.symlinkSync(path.join(outside, 'secret'), checked);
  t.throws(() => at.open(fs.constants.O_RDONLY, 0, false), PathChanged, 'open');
  t.throws(() => at.stat(true), PathChanged, 'stat');
  t.throws(() => at.access(fs.constants.R_OK, true), PathChanged, 'access');
  t.throws(() => at.truncate(0), PathChanged, 'truncate');
  t.equal(fs.readFileSync(path.join(outside, 'secret'), 'utf8'), 'TOP-SECRET', 'the outside file is untouched');
  t.ok(at.stat(false).isSymbolicLink(), 'lstat sees the link itself');
  t.throws(() => at.open(fs.constants.O_RDONLY, 0, true), { code: 'ELOOP' }, 'a guest O_NOFOLLOW gets ELOOP');
});

t.test('the root itself and a missing parent', async (t) => {
  const { inside } = tree(t);
  const root = HostAt.walk(inside, inside);
  t.equal(root.name, null, 'the allowed directory itself has no parent to hold');
  t.ok(root.stat(true).isDirectory());
  t.throws(() => HostAt.walk(inside, path.join(inside, 'nope', 'x')), { code: 'ENOENT' });
});

t.test('getdents64 lists the directory the fd opened, not whatever has its name now', async (t) => {
  const { inside, outside } = tree(t);
  const mem = new GuestMemory(GuestMemory.create(16));
  const BUF = 0x10000;
  mem.map(BUF, 0x10000, PTE_READ | PTE_WRITE);
  const access = new KernelAccess(mem);
  const ctx: SyscallContext = {
    env: new Int32Array(32), access,
    options: { sysroot: null, readOnlyDirs: [], allowDirs: [inside], exePath: '/x', guestExePath: 'x' },
    warnOnce: () => {},
  };
  const fds = new FdTable(FdTable.create());
  const table = fileSyscalls(fds);
  const sys = (nr: number, ...a: number[]): number => table.get(nr)!(ctx, a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, a[3] ?? 0, 0, 0);
  access.write(BUF + 0x8000, Buffer.from(`${path.join(inside, 'd')}\0`));
  const fd = sys(5, BUF + 0x8000, 0o40000, 0); // open(d, O_DIRECTORY)
  t.ok(fd >= 0, 'opened d');
  fs.renameSync(path.join(inside, 'd'), path.join(inside, 'moved'));
  fs.symlinkSync(outside, path.join(inside, 'd'));
  const n = sys(217, fd, BUF, 4096); // getdents64
  t.ok(n > 0, 'listed');
  const listing = Buffer.from(access.read(BUF, n)).toString('latin1');
  t.match(listing, /mine/, 'the entries of the directory that was opened');
  t.notMatch(listing, /secret/, 'not the outside directory now named d');
});
