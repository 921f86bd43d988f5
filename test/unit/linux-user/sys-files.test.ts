// Tests for the file syscalls (sys-files, sys-io, sys-paths, sys-stat, fd-table,
// path-policy): real guest memory, a real KernelAccess and a temporary allowed
// directory; the handlers are called as the dispatcher would call them.
import t from 'tap';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GuestMemory } from '../../../src/emulator/softmmu/guest-memory.js';
import { KernelAccess } from '../../../src/emulator/softmmu/kernel-access.js';
import { PTE_READ, PTE_WRITE } from '../../../src/emulator/softmmu/page-bits.js';
import { EACCES, EBADF, EFAULT, EINVAL, ENOENT, ENOTTY, ERANGE, ESPIPE } from '../../../src/emulator/linux-user/errno.js';
import { FdTable } from '../../../src/emulator/linux-user/fd-table.js';
import { mappedFileBytes } from '../../../src/emulator/linux-user/mapped-file-bytes.js';
import { fileSyscalls } from '../../../src/emulator/linux-user/sys-files.js';
import type { SyscallContext } from '../../../src/emulator/linux-user/syscall-context.js';

const BUF = 0x10000; // 64 KiB of read/write guest memory
const PATH = BUF + 0x8000; // where tests put path strings
const BAD = 0x5000000; // never mapped
const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const O_APPEND = 0o2000;
const O_NONBLOCK = 0o4000;
const O_DIRECTORY = 0o40000;
const O_CLOEXEC = 0o2000000;
const AT_FDCWD = -100;
const AT_EMPTY_PATH = 0x1000;
const NR = {
  read: 3, write: 4, open: 5, close: 6, unlink: 10, lseek: 19, access: 33, mkdir: 39, dup: 41, ioctl: 54,
  dup2: 63, readlink: 85, llseek: 140, readv: 145, writev: 146, pread64: 180, pwrite64: 181, getcwd: 183,
  stat64: 195, lstat64: 196, fstat64: 197, getdents64: 217, fcntl64: 221, openat: 322, fstatat64: 327,
  dup3: 358, statx: 397,
};

function setup(t: { teardown(fn: () => void): void }) {
  const mem = new GuestMemory(GuestMemory.create(16));
  mem.map(BUF, 0x10000, PTE_READ | PTE_WRITE);
  const access = new KernelAccess(mem);
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mttcg-files-')));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'a.txt'), 'hello world');
  const warnings: string[] = [];
  const warned = new Set<string>();
  const ctx: SyscallContext = {
    env: new Int32Array(32),
    access,
    options: { sysroot: null, readOnlyDirs: [], allowDirs: [dir], exePath: '/opt/guests/prog.elf', guestExePath: './prog.elf' },
    warnOnce(key: string, message: string) {
      if (!warned.has(key)) {
        warned.add(key);
        warnings.push(message);
      }
    },
  };
  const fds = new FdTable(FdTable.create());
  const table = fileSyscalls(fds);
  const sys = (nr: number, ...a: number[]): number => {
    const h = table.get(nr);
    if (!h) throw new Error(`no handler for ${nr}`);
    return h(ctx, a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, a[3] ?? 0, a[4] ?? 0, a[5] ?? 0);
  };
  const str = (s: string, at = PATH): number => {
    access.write(at, Buffer.from(`${s}\0`));
    return at;
  };
  const bytes = (at: number, n: number): string => Buffer.from(access.read(at, n)).toString();
  const dv = (at: number, n: number): DataView => new DataView(access.read(at, n).buffer);
  const open = (p: string, flags = 0, mode = 0o644): number => sys(NR.open, str(p), flags, mode);
  return { ctx, access, dir, fds, sys, str, bytes, dv, open, warnings, file: (n: string) => path.join(dir, n) };
}

t.test('open, read, close an allowed file', async (t) => {
  const { sys, open, bytes, str, file } = setup(t);
  const fd = open(file('a.txt'));
  t.equal(fd, 3, 'lowest free fd after stdio');
  t.equal(sys(NR.read, fd, BUF, 100), 11);
  t.equal(bytes(BUF, 11), 'hello world');
  t.equal(sys(NR.read, fd, BUF, 100), 0, 'EOF');
  t.equal(sys(NR.close, fd), 0);
  t.equal(sys(NR.close, fd), -EBADF, 'double close');
  t.equal(open(file('missing')), -ENOENT);
  t.equal(open(file('a.txt')), 3, 'fd 3 reused');
  t.equal(open(`${file('a.txt')}/`), -20, 'trailing slash on a file: ENOTDIR');
  t.equal(sys(NR.mkdir, str(`${file('d')}/`), 0o755), 0, 'mkdir with a trailing slash');
});

t.test('paths outside --allow-dir look missing, with one warning', async (t) => {
  const { sys, open, str, warnings } = setup(t);
  t.equal(open('/etc/passwd'), -ENOENT);
  t.equal(warnings.length, 1);
  t.match(warnings[0], /\/etc\/passwd.*outside --allow-dir/);
  t.equal(open('/etc/hostname'), -ENOENT);
  t.equal(sys(NR.stat64, str('/etc/passwd'), BUF), -ENOENT);
  t.equal(sys(NR.access, str('/etc/passwd'), 0), -ENOENT);
  t.equal(sys(NR.mkdir, str(path.join(os.tmpdir(), 'mttcg-never-made')), 0o755), -ENOENT);
  t.notOk(fs.existsSync(path.join(os.tmpdir(), 'mttcg-never-made')));
  t.equal(sys(NR.unlink, str('/etc/passwd')), -ENOENT);
  t.equal(warnings.length, 1, 'warned once for the whole run');
});

t.test('symlinks and .. cannot escape the allowed dir', async (t) => {
  const { sys, open, str, dv, bytes, file, dir } = setup(t);
  fs.symlinkSync('/etc', file('etc'));
  fs.symlinkSync('/etc/passwd', file('pw'));
  const outside = path.join(os.tmpdir(), `mttcg-dangling-${process.pid}`);
  fs.symlinkSync(outside, file('dang'));
  fs.symlinkSync('a.txt', file('inside'));
  t.equal(open(file('etc/passwd')), -ENOENT, 'through a directory link');
  t.equal(open(file('pw')), -ENOENT, 'a file link');
  t.equal(sys(NR.stat64, str(file('pw')), BUF), -ENOENT);
  t.equal(open(`${dir}/../${path.basename(dir)}/../../etc/passwd`), -ENOENT, '.. components');
  t.equal(open(file('dang'), O_WRONLY | O_CREAT), -ENOENT, 'dangling link to outside');
  t.notOk(fs.existsSync(outside), 'nothing created outside');
  t.ok(open(file('inside')) >= 0, 'a link that stays inside is fine');
  t.equal(sys(NR.lstat64, str(file('pw')), BUF), 0, 'lstat of the link itself');
  t.equal(dv(BUF, 104).getUint32(16, true) & 0o170000, 0o120000, 'S_IFLNK');
  t.equal(sys(NR.readlink, str(file('pw')), BUF, 100), 11);
  t.equal(bytes(BUF, 11), '/etc/passwd');
});

t.test('/dev/null, /dev/urandom and /proc/self/exe', async (t) => {
  const { sys, open, str, bytes } = setup(t);
  const nul = open('/dev/null', O_RDWR);
  t.ok(nul >= 0);
  t.equal(sys(NR.write, nul, BUF, 5), 5);
  t.equal(sys(NR.read, nul, BUF, 5), 0);
  t.equal(sys(NR.lseek, nul, 0, 0), 0);
  t.equal(open('/dev/urandom', O_WRONLY), -EACCES, 'urandom is read-only');
  const rnd = open('/dev/urandom');
  t.equal(sys(NR.read, rnd, BUF, 16), 16);
  t.equal(sys(NR.lseek, rnd, 0, 1), -ESPIPE);
  const n = sys(NR.readlink, str('/proc/self/exe'), BUF, 100);
  t.equal(n, '/opt/guests/prog.elf'.length);
  t.equal(bytes(BUF, n), '/opt/guests/prog.elf');
  t.equal(sys(NR.readlink, str('/proc/self/exe'), BUF, 4), 4, 'truncated, no NUL');
  t.equal(open('/proc/self/exe'), -ENOENT, 'readlink only');
});

t.test('fstat64 / stat64 / fstatat64 layout', async (t) => {
  const { sys, open, str, dv, file } = setup(t);
  const host = fs.statSync(file('a.txt'), { bigint: true });
  const fd = open(file('a.txt'));
  t.equal(sys(NR.fstat64, fd, BUF), 0);
  const s = dv(BUF, 104);
  t.equal(s.getBigUint64(0, true), host.dev, 'st_dev @0');
  t.equal(s.getUint32(12, true), Number(host.ino & 0xffffffffn), '__st_ino @12');
  t.equal(s.getUint32(16, true), Number(host.mode), 'st_mode @16');
  t.equal(s.getUint32(20, true), 1, 'st_nlink @20');
  t.equal(s.getUint32(24, true), Number(host.uid), 'st_uid @24');
  t.equal(s.getBigInt64(48, true), 11n, 'st_size @48');
  t.equal(s.getUint32(56, true), Number(host.blksize), 'st_blksize @56');
  t.equal(s.getBigUint64(64, true), host.blocks, 'st_blocks @64');
  t.equal(s.getUint32(80, true), Number(host.mtimeNs / 1_000_000_000n), 'st_mtime @80');
  t.equal(s.getUint32(84, true), Number(host.mtimeNs % 1_000_000_000n), 'st_mtime_nsec @84');
  t.equal(s.getBigUint64(96, true), host.ino, 'st_ino @96');
  sys(NR.write, 1, BUF, 0); // harmless: zero-length write to stdout
  t.equal(sys(NR.stat64, str(file('a.txt')), BUF + 0x1000), 0);
  t.same(dv(BUF + 0x1000, 104), s, 'stat64 matches fstat64');
  t.equal(sys(NR.fstatat64, AT_FDCWD, str(file('a.txt')), BUF + 0x1000, 0), 0);
  t.same(dv(BUF + 0x1000, 104), s, 'fstatat64 matches');
  t.equal(sys(NR.fstatat64, fd, str(''), BUF + 0x1000, AT_EMPTY_PATH), 0, 'AT_EMPTY_PATH');
  t.equal(sys(NR.fstatat64, AT_FDCWD, str(''), BUF, 0), -ENOENT);
  const d = open(file(''), O_DIRECTORY);
  t.equal(sys(NR.fstatat64, d, str('a.txt'), BUF + 0x1000, 0), 0, 'relative to a dirfd');
  t.same(dv(BUF + 0x1000, 104), s);
});

t.test('statx on fd 1 with AT_EMPTY_PATH (glibc before the first printf)', async (t) => {
  const { sys, str, dv, open, file } = setup(t);
  t.equal(sys(NR.statx, 1, str(''), AT_EMPTY_PATH, 0x7ff, BUF), 0);
  const x = dv(BUF, 256);
  const host = fs.fstatSync(1, { bigint: true });
  t.equal(x.getUint32(0, true) & 0x7ff, 0x7ff, 'basic stats mask');
  t.equal(x.getUint16(28, true), Number(host.mode & 0xffffn), 'stx_mode @28');
  t.equal(x.getBigUint64(32, true), host.ino, 'stx_ino @32');
  const fd = open(file('a.txt'));
  t.equal(sys(NR.statx, AT_FDCWD, str(file('a.txt')), 0, 0x7ff, BUF), 0);
  const y = dv(BUF, 256);
  t.equal(y.getBigUint64(40, true), 11n, 'stx_size @40');
  const m = fs.statSync(file('a.txt'), { bigint: true }).mtimeNs;
  t.equal(y.getBigInt64(112, true), m / 1_000_000_000n, 'stx_mtime.tv_sec @112');
  t.equal(y.getUint32(120, true), Number(m % 1_000_000_000n), 'stx_mtime.tv_nsec @120');
  t.equal(sys(NR.statx, fd, str(''), 0, 0x7ff, BUF), -ENOENT, 'empty path needs AT_EMPTY_PATH');
});

t.test('writev, O_APPEND, pread64/pwrite64', async (t) => {
  const { sys, open, access, str, bytes, file } = setup(t);
  const fd = open(file('w.txt'), O_WRONLY | O_CREAT | O_TRUNC, 0o600);
  t.ok(fd >= 0);
  str('abc', BUF + 0x100);
  str('defg', BUF + 0x200);
  const iov = new DataView(new ArrayBuffer(16));
  iov.setUint32(0, BUF + 0x100, true);
  iov.setUint32(4, 3, true);
  iov.setUint32(8, BUF + 0x200, true);
  iov.setUint32(12, 4, true);
  access.write(BUF, new Uint8Array(iov.buffer));
  t.equal(sys(NR.writev, fd, BUF, 2), 7);
  t.equal(fs.readFileSync(file('w.txt'), 'utf8'), 'abcdefg');
  t.equal(sys(NR.writev, fd, BUF, -1), -EINVAL);
  const ap = open(file('w.txt'), O_WRONLY | O_APPEND);
  t.equal(sys(NR.write, ap, str('xy', BUF + 0x300), 2), 2);
  t.equal(fs.readFileSync(file('w.txt'), 'utf8'), 'abcdefgxy');
  t.equal(sys(NR.read, ap, BUF, 2), -EBADF, 'write-only');
  const rw = open(file('w.txt'), O_RDWR);
  t.equal(sys(NR.pwrite64, rw, str('ZZ', BUF + 0x300), 2, 0, 1, 0), 2);
  t.equal(sys(NR.pread64, rw, BUF + 0x400, 4, 0, 0, 0), 4);
  t.equal(bytes(BUF + 0x400, 4), 'aZZd');
  t.equal(sys(NR.lseek, rw, 0, 1), 0, 'pread/pwrite leave the offset alone');
  // readv scatters
  iov.setUint32(4, 2, true);
  iov.setUint32(12, 3, true);
  access.write(BUF, new Uint8Array(iov.buffer));
  t.equal(sys(NR.readv, rw, BUF, 2), 5);
  t.equal(bytes(BUF + 0x100, 2) + bytes(BUF + 0x200, 3), 'aZZde');
});

t.test('lseek and _llseek', async (t) => {
  const { sys, open, bytes, dv, file } = setup(t);
  const fd = open(file('a.txt'));
  t.equal(sys(NR.lseek, fd, 6, 0), 6);
  t.equal(sys(NR.read, fd, BUF, 100), 5);
  t.equal(bytes(BUF, 5), 'world');
  t.equal(sys(NR.lseek, fd, 0, 1), 11, 'SEEK_CUR');
  t.equal(sys(NR.lseek, fd, -3, 2), 8, 'SEEK_END');
  t.equal(sys(NR.lseek, fd, -1, 0), -EINVAL);
  t.equal(sys(NR.lseek, fd, 0, 7), -EINVAL);
  t.equal(sys(NR.llseek, fd, 0, 2, BUF + 0x100, 0), 0);
  t.equal(dv(BUF + 0x100, 8).getBigInt64(0, true), 2n);
  t.equal(sys(NR.read, fd, BUF, 3), 3);
  t.equal(bytes(BUF, 3), 'llo');
  t.equal(sys(NR.llseek, fd, 1, 0, BUF + 0x100, 0), 0, 'a 4 GiB offset');
  t.equal(dv(BUF + 0x100, 8).getBigInt64(0, true), 0x100000000n);
  t.equal(sys(NR.lseek, fd, 0, 1), -75, 'lseek past 2 GiB: EOVERFLOW');
  t.equal(sys(NR.read, fd, BUF, 3), 0, 'reading past EOF');
  t.equal(sys(NR.llseek, fd, 0, 0, BAD, 0), -EFAULT);
});

t.test('bad fds and bad guest pointers', async (t) => {
  const { sys, open, str, file } = setup(t);
  t.equal(sys(NR.read, 99, BUF, 1), -EBADF);
  t.equal(sys(NR.write, -1, BUF, 1), -EBADF);
  t.equal(sys(NR.fstat64, 500, BUF), -EBADF);
  t.equal(sys(NR.close, 2000), -EBADF);
  t.equal(sys(NR.lseek, 77, 0, 0), -EBADF);
  t.equal(sys(NR.fcntl64, 77, 1, 0), -EBADF);
  t.equal(sys(NR.ioctl, 77, 0x5401, BUF), -EBADF);
  const fd = open(file('a.txt'));
  t.equal(sys(NR.read, fd, BAD, 10), -EFAULT);
  t.equal(sys(NR.lseek, fd, 0, 1), 0, 'a faulting read does not move the offset');
  t.equal(sys(NR.fstat64, fd, BAD), -EFAULT);
  t.equal(sys(NR.open, BAD, 0, 0), -EFAULT);
  t.equal(sys(NR.open, 0, 0, 0), -EFAULT, 'NULL path');
  t.equal(sys(NR.stat64, str(file('a.txt')), BAD), -EFAULT);
  const w = open(file('out.txt'), O_WRONLY | O_CREAT);
  t.equal(sys(NR.write, w, BAD, 10), -EFAULT);
  t.equal(sys(NR.write, w, BUF + 0xfffc, 8), 4, 'partial write up to the unmapped page');
  t.equal(sys(NR.writev, w, BAD, 1), -EFAULT);
  t.equal(sys(NR.getcwd, BAD, 4096), -EFAULT);
});

t.test('dup, dup2, dup3 share the open file description', async (t) => {
  const { sys, open, bytes, file } = setup(t);
  const fd = open(file('a.txt'));
  const d = sys(NR.dup, fd);
  t.equal(d, fd + 1);
  t.equal(sys(NR.read, fd, BUF, 6), 6);
  t.equal(sys(NR.read, d, BUF, 5), 5, 'shared offset');
  t.equal(bytes(BUF, 5), 'world');
  t.equal(sys(NR.dup2, fd, 50), 50);
  t.equal(sys(NR.close, fd), 0);
  t.equal(sys(NR.lseek, 50, 0, 0), 0, 'still open through the copy');
  t.equal(sys(NR.read, 50, BUF, 5), 5);
  t.equal(sys(NR.dup2, 50, 50), 50, 'dup2 onto itself');
  t.equal(sys(NR.dup2, 49, 50), -EBADF);
  t.equal(sys(NR.dup3, 50, 50, 0), -EINVAL);
  t.equal(sys(NR.dup3, 50, 60, 1), -EINVAL, 'bad flags');
  const other = open(file('a.txt'));
  t.equal(sys(NR.dup3, other, d, O_CLOEXEC), d, 'dup3 replaces an open fd');
  t.equal(sys(NR.fcntl64, d, 1, 0), 1, 'FD_CLOEXEC from dup3');
  t.equal(sys(NR.read, d, BUF, 5), 5);
  t.equal(bytes(BUF, 5), 'hello', 'now reading the new file from 0');
  t.equal(sys(NR.dup2, d, 1024), -EBADF);
});

t.test('fcntl64', async (t) => {
  const { sys, open, file } = setup(t);
  const fd = open(file('a.txt'), O_RDWR | O_APPEND | O_CLOEXEC);
  t.equal(sys(NR.fcntl64, fd, 1, 0), 1, 'F_GETFD: FD_CLOEXEC');
  t.equal(sys(NR.fcntl64, fd, 2, 0), 0, 'F_SETFD');
  t.equal(sys(NR.fcntl64, fd, 1, 0), 0);
  t.equal(sys(NR.fcntl64, fd, 3, 0), O_RDWR | O_APPEND, 'F_GETFL');
  t.equal(sys(NR.fcntl64, fd, 4, O_NONBLOCK | O_WRONLY), 0, 'F_SETFL ignores the access mode');
  t.equal(sys(NR.fcntl64, fd, 3, 0), O_RDWR | O_NONBLOCK);
  const d = sys(NR.fcntl64, fd, 0, 10);
  t.equal(d, 10, 'F_DUPFD: lowest >= 10');
  t.equal(sys(NR.fcntl64, d, 3, 0), O_RDWR | O_NONBLOCK, 'status flags are shared');
  const c = sys(NR.fcntl64, fd, 1030, 10);
  t.equal(c, 11, 'F_DUPFD_CLOEXEC');
  t.equal(sys(NR.fcntl64, c, 1, 0), 1);
  t.equal(sys(NR.fcntl64, fd, 0, 5000), -EINVAL);
  t.equal(sys(NR.fcntl64, fd, 9999, 0), -EINVAL);
  t.equal(sys(NR.ioctl, fd, 0x5401, BUF), -ENOTTY, 'TCGETS on a file');
});

t.test('getcwd, access, mkdir, unlink, openat, getdents64', async (t) => {
  const { sys, open, str, bytes, access, file } = setup(t);
  const cwd = process.cwd();
  t.equal(sys(NR.getcwd, BUF, 4096), cwd.length + 1);
  t.equal(bytes(BUF, cwd.length + 1), `${cwd}\0`);
  t.equal(sys(NR.getcwd, BUF, 1), -ERANGE);
  t.equal(sys(NR.access, str(file('a.txt')), 4), 0);
  t.equal(sys(NR.access, str(file('nope')), 0), -ENOENT);
  t.equal(sys(NR.mkdir, str(file('sub')), 0o755), 0);
  t.ok(fs.statSync(file('sub')).isDirectory());
  t.equal(sys(NR.mkdir, str(file('sub')), 0o755), -17, 'EEXIST');
  const dirfd = open(file('sub'), O_DIRECTORY);
  t.equal(sys(NR.openat, dirfd, str('new.txt'), O_WRONLY | O_CREAT, 0o644) >= 0, true);
  t.ok(fs.existsSync(file('sub/new.txt')), 'openat relative to a dirfd');
  t.equal(sys(NR.openat, 0, str('x'), 0, 0) < 0, true, 'dirfd that is not a directory');
  t.equal(sys(NR.unlink, str(file('sub/new.txt'))), 0);
  t.notOk(fs.existsSync(file('sub/new.txt')));
  fs.writeFileSync(file('b.txt'), '');
  const d = open(file(''), O_DIRECTORY);
  const names: string[] = [];
  for (;;) {
    const n = sys(NR.getdents64, d, BUF, 64);
    if (n <= 0) {
      t.equal(n, 0);
      break;
    }
    const raw = access.read(BUF, n);
    const v = new DataView(raw.buffer);
    for (let at = 0; at < n;) {
      const len = v.getUint16(at + 16, true);
      const name = Buffer.from(raw.subarray(at + 19, at + len));
      names.push(name.subarray(0, name.indexOf(0)).toString());
      t.not(v.getBigUint64(at, true), 0n, 'd_ino set');
      at += len;
    }
  }
  t.same(names, ['.', '..', 'a.txt', 'b.txt', 'sub']);
  t.equal(sys(NR.lseek, d, 0, 0), 0, 'rewinddir');
  t.equal(sys(NR.getdents64, d, BUF, 10), -EINVAL, 'buffer too small for one entry');
  t.equal(sys(NR.getdents64, open(file('a.txt')), BUF, 4096), -20, 'ENOTDIR on a file');
});

t.test('the table is shared between instances and mappedFileBytes serves mmap', async (t) => {
  const { open, file } = setup(t);
  const sab = FdTable.create();
  const a = new FdTable(sab);
  const b = new FdTable(sab);
  const host = fs.openSync(file('a.txt'), 'r');
  const fd = a.install(host, 2, 0, false);
  t.equal(fd, 3);
  t.equal(b.hostFdOf(fd), host, 'another worker sees the same host fd');
  const bytes = mappedFileBytes(b, fd, 4096, 6);
  t.type(bytes, Uint8Array);
  t.equal(Buffer.from(bytes as Uint8Array).toString(), 'world');
  t.equal(b.close(fd), 0);
  t.equal(a.isOpen(fd), false);
  t.equal(mappedFileBytes(a, fd, 10, 0), -EBADF);
  t.ok(open(file('a.txt')) >= 0);
});
