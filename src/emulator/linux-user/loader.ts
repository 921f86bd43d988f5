// Loads an ARM ELF program into a new address space as qemu-arm 7.2's
// load_elf_binary does, in its order, so that every address lines up with
// qemu-arm's: the program (elf-mapper.ts; an ET_DYN program where mmap finds
// room; 16 MiB after it kept free for brk while the rest is placed), the main
// stack with its guard page, the interpreter a dynamically linked program
// names in PT_INTERP (read through the sysroot rules by the caller), the
// sigreturn page, the kuser helper page; then the initial stack with argv,
// envp and auxv (AT_PHDR/AT_ENTRY of the program, AT_BASE of the
// interpreter) and the registers qemu-arm starts the guest with: at the
// interpreter's entry when there is one. The segments mapped from the
// program's and the interpreter's files are private file mappings of those
// files (the layout's fileSegments), as under Linux: madvise(MADV_DONTNEED)
// brings back their file bytes.

import { closeSync } from 'node:fs';
import { ElfError, PF_W, type ElfImage } from './elf-file.js';
import { LoadPlacer, mapElfImage, type FileRange } from './elf-mapper.js';
import { openFileSegments } from './file-mappings.js';
import { buildInitialStack } from './initial-stack.js';
import type { ImageLayout } from './kernel-state.js';
import { writeSigreturnPage } from './signal-trampoline.js';
import { BRK_RESERVE, GUEST_HWCAP, KUSER_PAGE_ADDR, MMAP_BASE, STACK_SIZE } from './address-map.js';
import type { GuestMemory } from '../softmmu/guest-memory.js';
import type { KernelAccess } from '../softmmu/kernel-access.js';
import { PAGE_SIZE, PTE_EXEC, PTE_READ, PTE_WRITE } from '../softmmu/page-bits.js';
import { KUSER_HELPER_VERSION, KUSER_VERSION_ADDR } from '../arm/trans-kuser.js';
import { interworkingJump } from '../arm/exec-state.js';
import { fillRandom } from '../../host/on-demand-builtins.js';

/** The guest sees the host's ids, as under qemu-arm. */
export const HOST_UID = process.getuid?.() ?? 0;
export const HOST_GID = process.getgid?.() ?? 0;

export interface LoadedProgram {
  /** The program. */
  readonly elf: ElfImage;
  /** The interpreter PT_INTERP named, as loaded, or null for a static program. */
  readonly interp: ElfImage | null;
  /** Where the guest starts: the interpreter's entry, else the program's. */
  readonly entry: number;
  readonly sp: number;
  /** Initial break, mmap next start, sigreturn page: for the process's kernel state. */
  readonly layout: ImageLayout;
  /** Initial r0..r15 as qemu-arm sets them (r15 is the entry, bit 0 set for a Thumb entry: see startAtEntry). */
  readonly regs: Int32Array;
}

export interface LoadOptions {
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  /** Absolute path for AT_EXECFN. */
  readonly execfn: string;
  /** The 16 AT_RANDOM bytes (--sched: from the seed); null or absent: random. */
  readonly random16?: Uint8Array | null;
  /** A host fd open for reading on the program's file (the caller's), or -1: its segments then map no file. */
  readonly programFd: number;
  /**
   * The interpreter a dynamically linked program names (absolute guest
   * path), found as the guest would open it (the sysroot first): its bytes
   * and a host fd open on it, which the loader closes; throws ElfError naming
   * the problem when it cannot be read.
   */
  readonly readInterpreter: (path: string) => { readonly bytes: Uint8Array; readonly fd: number; readonly kept?: boolean };
  /**
   * The program's bytes are a worker's kept copy of an unchanged file
   * (exec-file.ts): its read-only pages, and a kept interpreter's, map
   * frames kept between execs (softmmu/image-pages.ts).
   */
  readonly keptProgram?: boolean;
}

/**
 * Starts a thread on a loaded image: r0-r15 as the loader left them, and the
 * instruction set of the entry point (bit 0 of the entry set: Thumb), as the
 * kernel's start_thread does.
 */
export function startAtEntry(env: Int32Array, regs: Int32Array): void {
  env.set(regs.subarray(0, 16));
  interworkingJump(env, regs[15]!);
}

export function loadProgram(mem: GuestMemory, access: KernelAccess, file: Uint8Array, opts: LoadOptions): LoadedProgram {
  const opened = { interpFd: -1 };
  try {
    return loadImages(mem, access, file, opts, opened);
  } finally {
    if (opened.interpFd >= 0) closeSync(opened.interpFd);
  }
}

function loadImages(
  mem: GuestMemory, access: KernelAccess, file: Uint8Array, opts: LoadOptions, opened: { interpFd: number },
): LoadedProgram {
  const placer = new LoadPlacer(mem, MMAP_BASE);
  const exe = mapElfImage(mem, access, file, placer, BRK_RESERVE, 'the program', opts.keptProgram === true);
  const elf = exe.elf;

  const guard = placer.place(STACK_SIZE + PAGE_SIZE, 0, 'the main stack');
  mem.map(guard, PAGE_SIZE, 0);
  mem.map(guard + PAGE_SIZE, STACK_SIZE, PTE_READ | PTE_WRITE);
  const stackTop = guard + PAGE_SIZE + STACK_SIZE;

  let interp: ElfImage | null = null;
  let interpRanges: readonly FileRange[] = [];
  if (elf.interp !== undefined) {
    const found = opts.readInterpreter(elf.interp);
    opened.interpFd = found.fd;
    const mapped = mapElfImage(mem, access, found.bytes, placer, 0, `the interpreter ${elf.interp}`, found.kept === true);
    interp = mapped.elf;
    interpRanges = mapped.fileRanges;
    if (interp.interp !== undefined) {
      throw new ElfError(`the interpreter ${elf.interp} names an interpreter itself (${interp.interp})`);
    }
  }

  const sigreturnPage = placer.place(PAGE_SIZE, 0, 'the sigreturn page');
  mem.map(sigreturnPage, PAGE_SIZE, PTE_READ | PTE_EXEC);
  writeSigreturnPage(access, sigreturnPage);
  mem.map(KUSER_PAGE_ADDR, PAGE_SIZE, PTE_READ | PTE_EXEC);
  const version = new Uint8Array(4);
  new DataView(version.buffer).setUint32(0, KUSER_HELPER_VERSION, true);
  access.poke(KUSER_VERSION_ADDR, version);
  // The room kept for brk is free again (qemu-arm unmaps its reserve_brk here).
  if (exe.brkReserve > 0) mem.unmap(elf.spanHi, exe.brkReserve);

  const random16 = opts.random16 ? opts.random16.slice() : new Uint8Array(16);
  if (!opts.random16) fillRandom(random16);
  const stack = buildInitialStack(stackTop, [...opts.argv], [...opts.envp], {
    phdr: elf.phdrVaddr, phent: elf.phentsize, phnum: elf.phnum, entry: elf.entry, pagesz: PAGE_SIZE,
    hwcap: GUEST_HWCAP, hwcap2: 0, uid: HOST_UID, euid: HOST_UID, gid: HOST_GID, egid: HOST_GID, random16, platform: 'v7l',
    execfn: opts.execfn, base: interp ? interp.loadBias >>> 0 : 0, flags: 0, clktck: 100, secure: 0,
  });
  access.poke(stack.base, stack.bytes);

  // qemu-arm's init_thread: r1 and r2 from the stack words at sp+4 and sp+8, r10 = the program's start_data.
  const entry = interp ? interp.entry : elf.entry;
  const regs = new Int32Array(16);
  const word = (addr: number): number => access.readU32(addr);
  regs[1] = word(stack.sp + 4);
  regs[2] = word(stack.sp + 8);
  const data = elf.segments.find((s) => s.flags & PF_W);
  regs[10] = data ? data.vaddr : 0;
  regs[13] = stack.sp;
  regs[15] = entry;
  return {
    elf, interp, entry, sp: stack.sp, regs,
    layout: {
      brkStart: elf.spanHi, mmapNext: placer.nextStart, sigreturnPage,
      args: { argStart: stack.argvPtrs[0] ?? 0, argc: stack.argvPtrs.length, stackBase: stack.sp },
      // Opened last, when nothing can fail any more (KernelState.create takes them over).
      fileSegments: [
        ...(opts.programFd >= 0 ? openFileSegments(exe.fileRanges, opts.programFd) : []),
        ...openFileSegments(interpRanges, opened.interpFd),
      ],
    },
  };
}
