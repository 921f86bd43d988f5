// Tests for initial-stack.ts: decode the bytes as a guest's _start would and
// check argc, argv, envp, auxv and the strings they point to.
import t from 'tap';
import {
  AT_BASE,
  AT_CLKTCK,
  AT_EGID,
  AT_ENTRY,
  AT_EUID,
  AT_EXECFN,
  AT_FLAGS,
  AT_GID,
  AT_HWCAP,
  AT_HWCAP2,
  AT_NULL,
  AT_PAGESZ,
  AT_PHDR,
  AT_PHENT,
  AT_PHNUM,
  AT_PLATFORM,
  AT_RANDOM,
  AT_SECURE,
  AT_UID,
  MAX_INITIAL_STACK,
  buildInitialStack,
  type AuxvInputs,
} from '../../../src/emulator/linux-user/initial-stack.js';

const TOP = 0x40801000;
const random16 = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

const aux: AuxvInputs = {
  phdr: 0x10034,
  phent: 32,
  phnum: 7,
  entry: 0x11254,
  pagesz: 4096,
  hwcap: 0x1d7,
  hwcap2: 0,
  uid: 1000,
  euid: 1001,
  gid: 100,
  egid: 101,
  random16,
  platform: 'v7l',
  execfn: '/guest/prog',
  base: 0,
  flags: 0,
  clktck: 100,
  secure: 0,
};

/** A reader over the built stack, addressed by guest address. */
function reader(st: ReturnType<typeof buildInitialStack>) {
  const dv = new DataView(st.bytes.buffer, st.bytes.byteOffset, st.bytes.byteLength);
  const u32 = (addr: number): number => dv.getUint32(addr - st.base, true);
  const cstr = (addr: number): string => {
    const start = addr - st.base;
    const end = st.bytes.indexOf(0, start);
    return new TextDecoder().decode(st.bytes.subarray(start, end));
  };
  return { u32, cstr };
}

/** Walks argc/argv/envp/auxv from sp, like glibc's _start. */
function decode(st: ReturnType<typeof buildInitialStack>) {
  const { u32, cstr } = reader(st);
  let p = st.sp;
  const argc = u32(p);
  p += 4;
  const argvPtrs: number[] = [];
  for (let i = 0; i < argc; i++, p += 4) argvPtrs.push(u32(p));
  const argvNull = u32(p);
  p += 4;
  const envpPtrs: number[] = [];
  for (; u32(p) !== 0; p += 4) envpPtrs.push(u32(p));
  p += 4;
  const auxvAddr = p;
  const auxv = new Map<number, number>();
  const order: number[] = [];
  for (;;) {
    const key = u32(p);
    const value = u32(p + 4);
    p += 8;
    order.push(key);
    auxv.set(key, value);
    if (key === AT_NULL) break;
  }
  return { argc, argvPtrs, argvNull, envpPtrs, auxvAddr, auxv, order, u32, cstr };
}

t.test('argc, argv and envp point at the right strings', (t) => {
  const argv = ['/guest/prog', 'hello', '', 'wörld ✓'];
  const envp = ['PATH=/usr/bin', 'LANG=C.UTF-8'];
  const st = buildInitialStack(TOP, argv, envp, aux);
  const d = decode(st);
  t.equal(st.sp % 8, 0, 'sp is 8-aligned (EABI)');
  t.equal(st.sp % 16, 0, 'sp is 16-aligned like the kernel');
  t.equal(st.base, st.sp);
  t.equal(st.bytes.length, TOP - st.base, 'bytes cover [base, stackTop)');
  t.equal(d.argc, 4);
  t.equal(d.argvNull, 0, 'argv is NULL-terminated');
  t.same(d.argvPtrs, st.argvPtrs);
  t.same(d.envpPtrs, st.envpPtrs);
  t.same(d.argvPtrs.map(d.cstr), argv);
  t.same(d.envpPtrs.map(d.cstr), envp);
  t.equal(d.cstr(d.argvPtrs[0]!), '/guest/prog', 'argv[0]');
  t.equal(d.auxvAddr, st.auxvAddr);
  // Strings: argv below envp below execfn, execfn at the top, each list ascending.
  t.ok(d.argvPtrs[3]! < d.envpPtrs[0]!, 'argv strings lie below envp strings');
  t.ok(d.envpPtrs[1]! < st.execfnAddr, 'envp strings lie below execfn');
  t.equal(st.execfnAddr + '/guest/prog'.length + 1, TOP - 8, 'execfn ends 8 bytes below the top');
  t.ok(d.argvPtrs[0]! > st.platformAddr, 'platform string lies below the argument strings');
  t.end();
});

t.test('auxv has every key, in qemu order, with the right values', (t) => {
  const st = buildInitialStack(TOP, ['prog'], ['A=1'], aux);
  const d = decode(st);
  t.same(d.order, [
    AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_BASE, AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID,
    AT_GID, AT_EGID, AT_HWCAP, AT_CLKTCK, AT_RANDOM, AT_SECURE, AT_EXECFN, AT_HWCAP2,
    AT_PLATFORM, AT_NULL,
  ]);
  const expect: Array<[number, number]> = [
    [AT_PHDR, 0x10034],
    [AT_PHENT, 32],
    [AT_PHNUM, 7],
    [AT_PAGESZ, 4096],
    [AT_BASE, 0],
    [AT_FLAGS, 0],
    [AT_ENTRY, 0x11254],
    [AT_UID, 1000],
    [AT_EUID, 1001],
    [AT_GID, 100],
    [AT_EGID, 101],
    [AT_HWCAP, 0x1d7],
    [AT_CLKTCK, 100],
    [AT_SECURE, 0],
    [AT_HWCAP2, 0],
    [AT_NULL, 0],
  ];
  for (const [key, value] of expect) t.equal(d.auxv.get(key), value, `auxv key ${key}`);
  t.same(
    st.auxv.map(([k]) => k),
    d.order,
    'returned auxv matches the bytes',
  );

  const rnd = d.auxv.get(AT_RANDOM)!;
  t.equal(rnd, st.randomAddr);
  t.equal(rnd % 16, 0, 'AT_RANDOM bytes are 16-aligned');
  t.same([...st.bytes.subarray(rnd - st.base, rnd - st.base + 16)], [...random16]);
  t.ok(rnd >= d.auxvAddr + st.auxv.length * 8, 'random bytes lie above auxv');
  t.equal(d.cstr(d.auxv.get(AT_PLATFORM)!), 'v7l');
  t.ok(st.platformAddr + 4 <= d.argvPtrs[0]!, 'platform string lies below the argument strings');
  t.equal(d.cstr(d.auxv.get(AT_EXECFN)!), '/guest/prog');
  t.end();
});

t.test('sp stays aligned for every argument count', (t) => {
  for (let n = 0; n < 12; n++) {
    const argv = Array.from({ length: n }, (_, i) => 'x'.repeat(i));
    const st = buildInitialStack(TOP, argv, argv.slice(0, n % 3), aux);
    const d = decode(st);
    t.equal(st.sp % 16, 0, `sp aligned with ${n} args`);
    t.equal(d.argc, n);
    t.same(d.argvPtrs.map(d.cstr), argv);
  }
  const odd = buildInitialStack(TOP - 4, ['p'], [], aux);
  t.equal(odd.sp % 16, 0, 'sp aligned even when the top is not');
  t.end();
});

t.test('limits and bad input', (t) => {
  t.throws(
    () => buildInitialStack(TOP, ['p', 'y'.repeat(MAX_INITIAL_STACK)], [], aux),
    /argument list too long/,
  );
  const many = Array.from({ length: 20000 }, () => 'ab');
  t.throws(() => buildInitialStack(TOP, many, many, aux), /argument list too long/);
  t.throws(() => buildInitialStack(TOP, ['a\0b'], [], aux), /argv\[0\] contains a NUL/);
  t.throws(() => buildInitialStack(TOP, ['p'], [], { ...aux, random16: new Uint8Array(8) }), /16 bytes/);
  t.throws(() => buildInitialStack(0x40, ['p'], [], aux), /argument list too long/);
  t.end();
});
