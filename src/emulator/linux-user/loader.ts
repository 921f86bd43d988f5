// Loads a static ARM ELF into guest memory (qemu's load_elf_binary): maps the
// PT_LOAD segments with their protections, the stack with argv/envp/auxv, the
// stack guard, the sigreturn page and the kuser helper page, and returns the
// initial register state qemu-arm would set.

import { randomFillSync } from 'node:crypto';
import { ElfError, parseElf, PF_R, PF_W, PF_X, type ElfImage } from './elf-file.js';
import { buildInitialStack } from './initial-stack.js';
import { writeSigreturnPage } from './signal-trampoline.js';
import {
  GUEST_HWCAP, KUSER_PAGE_ADDR, SIGRETURN_PAGE, STACK_BOTTOM, STACK_GUARD, STACK_SIZE, STACK_TOP,
} from './address-map.js';
import type { GuestMemory } from '../softmmu/guest-memory.js';
import type { KernelAccess } from '../softmmu/kernel-access.js';
import { PAGE_BITS, PAGE_SIZE, PTE_EXEC, PTE_READ, PTE_WRITE, pageAlignUp } from '../softmmu/page-bits.js';
import { KUSER_HELPER_VERSION, KUSER_VERSION_ADDR } from '../arm/trans-kuser.js';
import { interworkingJump } from '../arm/exec-state.js';

/** The guest sees the host's ids, as under qemu-arm. */
export const HOST_UID = process.getuid?.() ?? 0;
export const HOST_GID = process.getgid?.() ?? 0;

export interface LoadedProgram {
  readonly elf: ElfImage;
  readonly entry: number;
  readonly sp: number;
  readonly brkStart: number;
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
}

function segmentPte(flags: number): number {
  let f = 0;
  if (flags & PF_R) f |= PTE_READ;
  if (flags & PF_W) f |= PTE_WRITE | PTE_READ;
  if (flags & PF_X) f |= PTE_EXEC | PTE_READ;
  return f;
}

/** Pages the loader maps itself: a segment on one of them would be overwritten (qemu-arm: "Error mapping file"). */
const RESERVED: readonly { readonly start: number; readonly end: number; readonly what: string }[] = [
  { start: SIGRETURN_PAGE, end: SIGRETURN_PAGE + PAGE_SIZE, what: 'the sigreturn page' },
  { start: STACK_GUARD, end: STACK_TOP, what: 'the main stack and its guard page' },
  { start: KUSER_PAGE_ADDR, end: KUSER_PAGE_ADDR + PAGE_SIZE, what: 'the kuser helper page' },
];

function checkReservedPages(elf: ElfImage): void {
  elf.segments.forEach((s, i) => {
    const first = Math.floor(s.vaddr / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.ceil((s.vaddr + Math.max(s.memsz, 1)) / PAGE_SIZE) * PAGE_SIZE;
    for (const r of RESERVED) {
      if (first < r.end && r.start < end) {
        const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
        throw new ElfError(`PT_LOAD segment ${i} [${hex(s.vaddr)}, ${hex(s.vaddr + s.memsz)}) lies on ${r.what} ` +
          `[${hex(r.start)}, ${hex(r.end)}), which the loader maps itself (qemu-arm: "Error mapping file")`);
      }
    }
  });
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
  const elf = parseElf(file);
  checkReservedPages(elf);
  // Protections per page: the union of every segment touching it (text and
  // data can share a page), so mapping never drops bytes already loaded.
  const pagePte = new Map<number, number>();
  let end = 0;
  for (const s of elf.segments) {
    const first = s.vaddr >>> PAGE_BITS;
    const last = (s.vaddr + Math.max(s.memsz, 1) - 1) >>> PAGE_BITS;
    for (let p = first; p <= last; p++) pagePte.set(p, (pagePte.get(p) ?? 0) | segmentPte(s.flags));
    end = Math.max(end, s.vaddr + s.memsz);
  }
  for (const [p, f] of pagePte) mem.map(p << PAGE_BITS >>> 0, PAGE_SIZE, f);
  for (const s of elf.segments) {
    if (s.filesz > 0) access.poke(s.vaddr, file.subarray(s.offset, s.offset + s.filesz));
  }

  mem.map(STACK_GUARD, PAGE_SIZE, 0);
  mem.map(STACK_BOTTOM, STACK_SIZE, PTE_READ | PTE_WRITE);
  mem.map(SIGRETURN_PAGE, PAGE_SIZE, PTE_READ | PTE_EXEC);
  writeSigreturnPage(access);
  mem.map(KUSER_PAGE_ADDR, PAGE_SIZE, PTE_READ | PTE_EXEC);
  const version = new Uint8Array(4);
  new DataView(version.buffer).setUint32(0, KUSER_HELPER_VERSION, true);
  access.poke(KUSER_VERSION_ADDR, version);

  const random16 = opts.random16 ? opts.random16.slice() : new Uint8Array(16);
  if (!opts.random16) randomFillSync(random16);
  const stack = buildInitialStack(STACK_TOP, [...opts.argv], [...opts.envp], {
    phdr: elf.phdrVaddr, phent: elf.phentsize, phnum: elf.phnum, entry: elf.entry, pagesz: PAGE_SIZE,
    hwcap: GUEST_HWCAP, hwcap2: 0, uid: HOST_UID, euid: HOST_UID, gid: HOST_GID, egid: HOST_GID, random16, platform: 'v7l',
    execfn: opts.execfn, base: 0, flags: 0, clktck: 100, secure: 0,
  });
  access.poke(stack.base, stack.bytes);

  // qemu-arm's init_thread: r1 and r2 from the stack words at sp+4 and sp+8, r10 = start_data.
  const regs = new Int32Array(16);
  const word = (addr: number): number => access.readU32(addr);
  regs[1] = word(stack.sp + 4);
  regs[2] = word(stack.sp + 8);
  const data = elf.segments.find((s) => s.flags & PF_W);
  regs[10] = data ? data.vaddr : 0;
  regs[13] = stack.sp;
  regs[15] = elf.entry;
  return { elf, entry: elf.entry, sp: stack.sp, brkStart: pageAlignUp(end), regs };
}
