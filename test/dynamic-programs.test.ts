// Dynamically linked programs and the sysroot (issue 15 item 1):
// - torture-tests/dynamic/dyn-layout (a PIE with /lib/ld-linux.so.3) prints
//   what it sees of its loading (auxv, each loaded object's address, break,
//   mmaps, RELRO protection, dlopen, thread stacks) the same under mttcg and
//   qemu-arm. The sysroot is the cross glibc (/usr/arm-linux-gnueabi/lib)
//   plus an etc/ld.so.cache of its own (a valid, empty cache), which the
//   dynamic loader maps at start and again at dlopen: without one, qemu-arm
//   hands the guest the host's x86 cache (mapped, then ignored), so its
//   layout would depend on the host's cache size, while mttcg keeps host
//   files from the guest;
// - torture-tests/dynamic/dyn-madvise: madvise(MADV_DONTNEED) on pages the
//   ELF loader mapped (the program's data, read-only data and code, the
//   interpreter's first page) and on a library's code page brings back the
//   file's bytes as under qemu-arm (an anonymous page comes back zero); and
//   again in the image execve loads (mttcg only: qemu-arm cannot execve an
//   ARM program here);
// - the sysroot is read-only (EROFS), the program's directory readable
//   without --allow-dir, a missing interpreter is a clear error (exit 1).

import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { corpusBusybox, CORPUS_MISSING } from '../harness/corpus.js';
import { qemuAvailable, QEMU_MISSING, ROOT, runMttcg, runQemu } from '../harness/guest-runner.js';

const CROSS_LIB = '/usr/arm-linux-gnueabi/lib';
const LAYOUT = join(ROOT, 'torture-tests', 'dynamic', 'dyn-layout.elf');
const MADVISE = join(ROOT, 'torture-tests', 'dynamic', 'dyn-madvise.elf');
const noStack = /\n\s+at .*\(.*:\d+:\d+\)/;
const haveCross = existsSync(join(CROSS_LIB, 'ld-linux.so.3'));

/** glibc's new-format ld.so.cache header ("glibc-ld.so.cache1.1", no entries, little-endian), padded to `size`. */
function emptyLdCache(size: number): Buffer {
  const b = Buffer.alloc(size);
  b.write('glibc-ld.so.cache1.1', 0, 'latin1');
  b.writeUInt8(2, 28); // flags: little-endian
  return b;
}

/** A sysroot of the cross glibc and an empty ld.so.cache, in a temporary folder. */
function layoutSysroot(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mttcg-sysroot-'));
  symlinkSync(CROSS_LIB, join(dir, 'lib'));
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc', 'ld.so.cache'), emptyLdCache(9000));
  return dir;
}

t.test('a PIE with its interpreter loads and runs as under qemu-arm -L', {
  skip: !haveCross ? `${CROSS_LIB} is missing (apt-get install libc6-armel-cross)` : qemuAvailable() ? false : QEMU_MISSING,
}, async (t) => {
  const sysroot = layoutSysroot();
  const q = runQemu(LAYOUT, [], ['-L', sysroot]);
  // The sysroot's lib is a link to the cross glibc: the guest reads it through --allow-dir.
  const m = runMttcg(LAYOUT, [], ['-L', sysroot, '--allow-dir', CROSS_LIB]);
  t.equal(q.status, 0, 'qemu-arm runs it');
  t.equal(m.status, 0, `mttcg runs it (${m.stderr.trim()})`);
  const qLines = q.stdout.split('\n');
  const mLines = m.stdout.split('\n');
  t.equal(mLines.length, qLines.length, 'as many lines');
  qLines.forEach((ql, i) => t.equal(mLines[i], ql, `as qemu-arm: ${ql}`));
  t.match(m.stdout, /^AT_ENTRY 0x4000[0-9a-f]{4} AT_PHDR 0x40000034 AT_PHNUM \d+ AT_BASE 0x3f7d5000 AT_PAGESZ 4096$/m,
    'the PIE at 0x40000000, its interpreter at 0x3f7d5000 (below the stack)');
  t.match(m.stdout, /RELRO store faults: 1; writable data store faults: 0/, 'the loader\'s mprotect of RELRO holds');
  t.match(m.stdout, /counter 200000/, 'two threads in a dynamically linked program');
});

t.test('madvise(MADV_DONTNEED) on the loader\'s and a library\'s pages brings back the file, as under qemu-arm', {
  skip: !haveCross ? `${CROSS_LIB} is missing (apt-get install libc6-armel-cross)` : qemuAvailable() ? false : QEMU_MISSING,
}, async (t) => {
  const sysroot = layoutSysroot();
  const q = runQemu(MADVISE, [], ['-L', sysroot]);
  t.equal(q.status, 0, 'qemu-arm runs it');
  t.match(q.stdout, /program data page: madvise 0; file bytes back yes/, 'qemu-arm: the written data page reads as the file again');
  const m = runMttcg(MADVISE, ['exec'], ['-L', sysroot, '--allow-dir', CROSS_LIB]);
  t.equal(m.status, 0, `mttcg runs it, then its execve'd image (${m.stderr.trim()})`);
  const want = q.stdout.trim().split('\n');
  const got = m.stdout.trim().split('\n');
  t.equal(got.length, 2 * want.length, 'the checks ran twice: before and after execve');
  got.forEach((line, i) => t.equal(line, want[i % want.length], `${i < want.length ? 'first image' : 'after execve'}: ${want[i % want.length]}`));
});

t.test('an interpreter that is not there: exit 1 naming it and the sysroot', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'mttcg-empty-sysroot-'));
  const r = runMttcg(LAYOUT, [], ['-L', empty]);
  t.equal(r.status, 1);
  t.match(r.stderr, /cannot open the interpreter \/lib\/ld-linux\.so\.3 \(no such file; looked up under the sysroot .*mttcg-empty-sysroot-/);
  t.notMatch(r.stderr, noStack);
  const none = runMttcg(LAYOUT, [], ['-L', '']);
  t.equal(none.status, 1);
  t.match(none.stderr, /no sysroot is set: give the directory holding the ARM libraries with -L DIR or QEMU_LD_PREFIX/);
  const bad = runMttcg(LAYOUT, [], ['-L', join(empty, 'nope')]);
  t.equal(bad.status, 2, 'a sysroot that does not exist is a usage error');
  t.match(bad.stderr, /-L .*nope: no such directory/);
});

const BUSYBOX = corpusBusybox();

t.test('the sysroot is read-only, files outside it and --allow-dir are absent, the program\'s directory is readable', {
  skip: BUSYBOX ? false : CORPUS_MISSING,
}, async (t) => {
  const sysroot = join(BUSYBOX!, '..', '..');
  const outside = mkdtempSync(join(tmpdir(), 'mttcg-outside-'));
  writeFileSync(join(outside, 'secret'), 'not for the guest\n');
  const script = [
    'echo x > /bin/busybox; echo "write into the sysroot: $?"',
    'mkdir /bin/newdir 2>&1; echo "mkdir in the sysroot: $?"',
    `cat ${outside}/secret; echo "read outside: $?"`,
    'head -c 4 /bin/busybox | od -c | head -1',
    'ls /lib/ld-linux.so.3',
  ].join('; ');
  const r = runMttcg(BUSYBOX!, ['sh', '-c', script], ['-L', sysroot]);
  t.equal(r.status, 0, 'the script ran to its end');
  t.match(r.stdout, /write into the sysroot: [12]/);
  t.match(r.stderr, /Read-only file system/, 'EROFS for a write into the sysroot');
  t.match(r.stdout, /mkdir: can't create directory '\/bin\/newdir': No such file or directory\nmkdir in the sysroot: 1/,
    'a new name under a sysroot directory is looked up on the host, as qemu-arm does, and is outside');
  t.match(r.stdout, /read outside: 1/);
  t.notMatch(r.stdout, /not for the guest/);
  t.match(r.stdout, /0000000 177 {3}E {3}L {3}F/, 'the sysroot (and the program\'s directory) can be read');
  t.match(r.stdout, /^\/lib\/ld-linux\.so\.3$/m, 'absolute paths name the sysroot\'s files');
  t.match(r.stderr, /guest tried to open .*mttcg-outside-.*secret outside --allow-dir and the sysroot/);
});
