// The initial process stack of an ARM Linux program, laid out as qemu-arm's
// linux-user (elfload.c: setup_arg_pages, copy_elf_strings, create_elf_tables)
// and the kernel's fs/binfmt_elf.c build it. Pure: it returns the bytes and
// their addresses; the caller copies them into guest memory.
//
// From stackTop downwards:
//   8 zero bytes (qemu leaves sizeof(void *) of a 64-bit host at the top)
//   execfn string, envp strings, argv strings (each list in ascending order)
//   platform string ("v7l"), its size rounded up to 4 (its address is not
//   aligned: the strings above end anywhere); then align down to 16
//   16 AT_RANDOM bytes
//   (padding so that sp is 16-aligned)
//   auxv pairs ... AT_NULL 0 | envp[] NULL | argv[] NULL | argc   <- sp

export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_HWCAP2 = 26;
export const AT_EXECFN = 31;

/** Most bytes the initial stack may take (strings, pointers and auxv). */
export const MAX_INITIAL_STACK = 128 * 1024;

/** Bytes left unused at the very top, as qemu on a 64-bit host does. */
const TOP_GAP = 8;
/** The kernel and qemu align the final sp to 16 (ARM EABI needs 8). */
const SP_ALIGN = 16;
const WORD = 4;

export interface AuxvInputs {
  phdr: number;
  phent: number;
  phnum: number;
  entry: number;
  pagesz: number;
  hwcap: number;
  hwcap2: number;
  uid: number;
  euid: number;
  gid: number;
  egid: number;
  /** Exactly 16 bytes, copied to the stack and pointed to by AT_RANDOM. */
  random16: Uint8Array;
  /** AT_PLATFORM string, "v7l" for an ARMv7 little-endian CPU. */
  platform: string;
  /** AT_EXECFN string: the program path as given to execve. */
  execfn: string;
  base: number;
  flags: number;
  clktck: number;
  secure: number;
}

export interface InitialStack {
  /** Initial r13: the address of argc. 16-aligned. */
  sp: number;
  /** Contents of [base, stackTop). */
  bytes: Uint8Array;
  /** Lowest address written; equals sp. */
  base: number;
  argvPtrs: number[];
  envpPtrs: number[];
  /** Address of the first auxv pair (what /proc/self/auxv shows). */
  auxvAddr: number;
  /** The auxv pairs written, in order, ending with [AT_NULL, 0]. */
  auxv: Array<[number, number]>;
  randomAddr: number;
  platformAddr: number;
  execfnAddr: number;
}

const alignDown = (v: number, a: number): number => Math.floor(v / a) * a;

function cString(s: string, what: string): Uint8Array {
  if (s.includes('\0')) throw new Error(`${what} contains a NUL character`);
  const enc = new TextEncoder().encode(s);
  const out = new Uint8Array(enc.length + 1);
  out.set(enc);
  return out;
}

/** Places a list of strings contiguously, first string lowest, ending at `end`. */
function placeStrings(strs: Uint8Array[], end: number): { start: number; addrs: number[] } {
  const total = strs.reduce((n, s) => n + s.length, 0);
  const start = end - total;
  const addrs: number[] = [];
  let a = start;
  for (const s of strs) {
    addrs.push(a);
    a += s.length;
  }
  return { start, addrs };
}

/**
 * Builds the initial stack for a program entered at its ELF entry point.
 * @param stackTop one past the highest stack byte (e.g. 0x40801000)
 * @throws Error "argument list too long" past MAX_INITIAL_STACK bytes
 */
export function buildInitialStack(
  stackTop: number,
  argv: string[],
  envp: string[],
  aux: AuxvInputs,
): InitialStack {
  if (!Number.isInteger(stackTop) || stackTop <= 0 || stackTop > 0x1_0000_0000) {
    throw new Error(`stack top ${stackTop} is not a 32-bit address`);
  }
  if (aux.random16.length !== 16) {
    throw new Error(`random16 must be 16 bytes, got ${aux.random16.length}`);
  }
  const execfn = cString(aux.execfn, 'execfn');
  const envStrs = envp.map((s, i) => cString(s, `envp[${i}]`));
  const argStrs = argv.map((s, i) => cString(s, `argv[${i}]`));
  const platform = cString(aux.platform, 'platform');

  // Strings, top down (copy_elf_strings: filename, then envp, then argv).
  let p = stackTop - TOP_GAP;
  p -= execfn.length;
  const execfnAddr = p;
  const env = placeStrings(envStrs, p);
  const args = placeStrings(argStrs, env.start);
  p = args.start;

  // create_elf_tables: platform (word-padded), align 16, random bytes.
  p -= (platform.length + WORD - 1) & ~(WORD - 1);
  const platformAddr = p;
  p = alignDown(p, 16);
  p -= 16;
  const randomAddr = p;

  const auxv: Array<[number, number]> = [
    [AT_PHDR, aux.phdr],
    [AT_PHENT, aux.phent],
    [AT_PHNUM, aux.phnum],
    [AT_PAGESZ, aux.pagesz],
    [AT_BASE, aux.base],
    [AT_FLAGS, aux.flags],
    [AT_ENTRY, aux.entry],
    [AT_UID, aux.uid],
    [AT_EUID, aux.euid],
    [AT_GID, aux.gid],
    [AT_EGID, aux.egid],
    [AT_HWCAP, aux.hwcap],
    [AT_CLKTCK, aux.clktck],
    [AT_RANDOM, randomAddr],
    [AT_SECURE, aux.secure],
    [AT_EXECFN, execfnAddr],
    [AT_HWCAP2, aux.hwcap2],
    [AT_PLATFORM, platformAddr],
    [AT_NULL, 0],
  ];
  for (const pair of auxv) pair[1] >>>= 0;

  // Size the pointer area first so that argc lands on an aligned sp.
  const words = 1 + (argv.length + 1) + (envp.length + 1) + auxv.length * 2;
  const sp = alignDown(p - words * WORD, SP_ALIGN);
  const size = stackTop - sp;
  if (size > MAX_INITIAL_STACK) {
    throw new Error(
      `argument list too long: the initial stack needs ${size} bytes, more than ${MAX_INITIAL_STACK}`,
    );
  }
  if (sp < 0) {
    throw new Error(`argument list too long: the initial stack needs ${size} bytes, above ${stackTop}`);
  }

  const bytes = new Uint8Array(size);
  const dv = new DataView(bytes.buffer);
  const put = (addr: number, value: number): void => dv.setUint32(addr - sp, value >>> 0, true);

  bytes.set(execfn, execfnAddr - sp);
  envStrs.forEach((s, i) => bytes.set(s, env.addrs[i]! - sp));
  argStrs.forEach((s, i) => bytes.set(s, args.addrs[i]! - sp));
  bytes.set(platform, platformAddr - sp);
  bytes.set(aux.random16, randomAddr - sp);

  let w = sp;
  put(w, argv.length);
  w += WORD;
  for (const a of args.addrs) {
    put(w, a);
    w += WORD;
  }
  put(w, 0);
  w += WORD;
  for (const a of env.addrs) {
    put(w, a);
    w += WORD;
  }
  put(w, 0);
  w += WORD;
  const auxvAddr = w;
  for (const [key, value] of auxv) {
    put(w, key);
    put(w + WORD, value);
    w += 2 * WORD;
  }

  return {
    sp,
    bytes,
    base: sp,
    argvPtrs: args.addrs,
    envpPtrs: env.addrs,
    auxvAddr,
    auxv,
    randomAddr,
    platformAddr,
    execfnAddr,
  };
}
