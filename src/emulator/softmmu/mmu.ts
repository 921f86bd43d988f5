// The SoftMMU slow paths of one vCPU (QEMU's cputlb.c): TLB fill from the
// shared page table, unaligned and page-crossing accesses, faults, stores to
// pages holding translated code, and stores to pages an atomic strategy flags.

import { MemOp } from '../ir/memop.js';
import { BUS_ADRALN, GuestFault, SEGV_ACCERR, SEGV_MAPERR, SIGBUS, SIGSEGV, type FaultAccess } from './guest-fault.js';
import type { GuestMemory } from './guest-memory.js';
import { TLB_USER_MANY } from './tlb-users.js';
import {
  PAGE_BITS, PAGE_MASK, PAGE_SIZE, PTE_CODE, PTE_COW, PTE_EXEC, PTE_MAPPED, PTE_READ, PTE_WRITE, TLB_CODE, TLB_EXCL, TLB_FLAGS, TLB_INVALID,
} from './page-bits.js';
import { Tlb } from './tlb.js';

export interface MmuHooks {
  /** Extra flag bits for the write tag of a page being filled. */
  writeFlags(page: number): number;
  /**
   * Performs a plain store to a page whose write tag has strategy flags. The
   * entry is valid (filled now, or a hit whose only flag is TLB_EXCL, which is
   * not refilled: a strategy whose flag can go stale heals it itself).
   */
  flaggedStore(addr: number, bytes: number, doStore: () => void): void;
}

const NO_HOOKS: MmuHooks = {
  writeFlags: () => 0,
  flaggedStore: (_a, _b, doStore) => doStore(),
};

export class Mmu {
  readonly tlb = new Tlb();
  slowLoads = 0;
  slowStores = 0;
  flaggedStores = 0;
  /** Stores that changed translated code (and so invalidated its page). */
  codeWrites = 0;
  /** Who this TLB belongs to in the pages' TLB-user records: slot + 1 (TLB_USER_MANY if not told). */
  tlbUserId = TLB_USER_MANY;
  private readonly u8: Uint8Array;
  private readonly i8: Int8Array;
  private readonly u16: Uint16Array;
  private readonly i16: Int16Array;
  private readonly i32: Int32Array;

  constructor(
    private space: GuestMemory,
    public hooks: MmuHooks = NO_HOOKS,
  ) {
    const mem = space;
    this.u8 = new Uint8Array(mem.data);
    this.i8 = new Int8Array(mem.data);
    this.u16 = new Uint16Array(mem.data);
    this.i16 = new Int16Array(mem.data);
    this.i32 = new Int32Array(mem.data);
  }

  /** The address space this vCPU runs in now. */
  get mem(): GuestMemory {
    return this.space;
  }

  /**
   * The vCPU goes on in another address space (another process, or after
   * execve) over the same frames: its TLB is flushed. (The typed-array views
   * stay: every address space maps frames of the one run-wide buffer.)
   */
  switchSpace(space: GuestMemory): void {
    this.space = space;
    this.tlb.flushAll();
  }

  /** Fills the TLB entry of addr's page for an access; returns the host offset of addr. */
  fill(addr: number, access: FaultAccess, pc: number): number {
    const page = addr >>> PAGE_BITS;
    // Before the PTE load: a concurrent unmap or mprotect then either sees us or we see it.
    this.mem.noteTlbUser(page, this.tlbUserId);
    let pte = this.mem.pte(page);
    const need = access === 'write' ? PTE_WRITE : access === 'read' ? PTE_READ : PTE_EXEC;
    if (!(pte & PTE_MAPPED)) throw new GuestFault(SIGSEGV, addr, pc, access, 'unmapped address', SEGV_MAPERR);
    if (!(pte & need)) throw new GuestFault(SIGSEGV, addr, pc, access, 'page protection', SEGV_ACCERR);
    if (access === 'write' && pte & PTE_COW) {
      // A write to a page a fork left shared: it gets its own frame first.
      this.mem.breakCow(page);
      pte = this.mem.pte(page);
    }
    const frame = this.mem.frameOffset(page);
    if (frame < 0) throw new GuestFault(SIGSEGV, addr, pc, access, 'unmapped address', SEGV_MAPERR);
    const base = page << PAGE_BITS;
    const i = Tlb.index(addr);
    const tlb = this.tlb;
    tlb.fills++;
    tlb.addend[i] = (frame - base) | 0;
    tlb.read[i] = pte & PTE_READ ? base : TLB_INVALID;
    tlb.write[i] = (pte & (PTE_WRITE | PTE_COW)) === PTE_WRITE ? base | (pte & PTE_CODE ? TLB_CODE : 0) | this.hooks.writeFlags(page) : TLB_INVALID;
    return (frame + (addr & (PAGE_SIZE - 1))) | 0;
  }

  ld(addr: number, memop: number, pc: number): number {
    this.slowLoads++;
    const size = 1 << (memop & MemOp.SIZE_MASK);
    if (addr & (size - 1)) {
      if (memop & MemOp.ALIGN) throw new GuestFault(SIGBUS, addr, pc, 'read', 'misaligned exclusive or multiple access', BUS_ADRALN);
      let v = 0;
      for (let k = size - 1; k >= 0; k--) v = (v << 8) | this.u8[this.fill((addr + k) | 0, 'read', pc)]!;
      if (memop & MemOp.SIGN && size === 2) v = (v << 16) >> 16;
      return v | 0;
    }
    const off = this.fill(addr, 'read', pc);
    return this.loadHost(off, memop);
  }

  loadHost(off: number, memop: number): number {
    switch (memop & (MemOp.SIZE_MASK | MemOp.SIGN)) {
      case MemOp.SIZE_8: return this.u8[off]!;
      case MemOp.SIZE_8 | MemOp.SIGN: return this.i8[off]!;
      case MemOp.SIZE_16: return this.u16[off >> 1]!;
      case MemOp.SIZE_16 | MemOp.SIGN: return this.i16[off >> 1]!;
      default: return this.i32[off >> 2]!;
    }
  }

  storeHost(off: number, value: number, bytes: number): void {
    if (bytes === 1) this.u8[off] = value;
    else if (bytes === 2) this.u16[off >> 1] = value;
    else this.i32[off >> 2] = value;
  }

  st(addr: number, value: number, memop: number, pc: number): void {
    this.slowStores++;
    const size = 1 << (memop & MemOp.SIZE_MASK);
    if (addr & (size - 1)) {
      if (memop & MemOp.ALIGN) throw new GuestFault(SIGBUS, addr, pc, 'write', 'misaligned exclusive or multiple access', BUS_ADRALN);
      // Check every byte's page first, so that a faulting store writes nothing.
      for (let k = 0; k < size; k++) this.prepareStore((addr + k) | 0, 1, pc);
      for (let k = 0; k < size; k++) this.storeChecked((addr + k) | 0, value >>> (8 * k), 1, pc);
      return;
    }
    this.storeChecked(addr, value, size, pc);
  }

  /** Fills the write entry and handles a code page (a store of `bytes` at addr); returns the host offset. */
  private prepareStore(addr: number, bytes: number, pc: number): number {
    const off = this.fill(addr, 'write', pc);
    const i = Tlb.index(addr);
    if (this.tlb.write[i]! & TLB_CODE) {
      const page = addr >>> PAGE_BITS;
      // Only a store over translated bytes invalidates; every vCPU sees the bumped version at its next TB dispatch.
      if (this.mem.codeWrite(page, addr & (PAGE_SIZE - 1), bytes)) this.codeWrites++;
      // While the page keeps translations, stores to it keep taking this path.
      if (!(this.mem.pte(page) & PTE_CODE)) this.tlb.write[i] = this.tlb.write[i]! & ~TLB_CODE;
    }
    return off;
  }

  private storeChecked(addr: number, value: number, bytes: number, pc: number): void {
    const i = Tlb.index(addr);
    if (this.tlb.write[i] === ((addr & PAGE_MASK) | TLB_EXCL)) {
      // A hit whose only flag is the strategy's: no refill (the strategy heals a stale flag itself).
      const hit = (addr + this.tlb.addend[i]!) | 0;
      this.flaggedStores++;
      this.hooks.flaggedStore(addr, bytes, () => this.storeHost(hit, value, bytes));
      return;
    }
    const off = this.prepareStore(addr, bytes, pc);
    if (this.tlb.write[Tlb.index(addr)]! & TLB_FLAGS) {
      this.flaggedStores++;
      this.hooks.flaggedStore(addr, bytes, () => this.storeHost(off, value, bytes));
    } else {
      this.storeHost(off, value, bytes);
    }
  }

  /** Host offset for an atomic read-modify-write of an aligned item (write permission, code check). */
  atomicOffset(addr: number, bytes: number, pc: number): number {
    if (addr & (bytes - 1)) throw new GuestFault(SIGBUS, addr, pc, 'write', 'misaligned atomic access', BUS_ADRALN);
    // TLB hit with no flag bits (no code, no strategy flag): as the inline store fast path.
    const i = Tlb.index(addr);
    if (this.tlb.write[i] === (addr & PAGE_MASK)) return (addr + this.tlb.addend[i]!) | 0;
    return this.prepareStore(addr, bytes, pc);
  }

  /** Host offset for an aligned read by an atomic op (read permission). */
  readOffset(addr: number, bytes: number, pc: number): number {
    if (addr & (bytes - 1)) throw new GuestFault(SIGBUS, addr, pc, 'read', 'misaligned atomic access', BUS_ADRALN);
    const i = Tlb.index(addr);
    if (this.tlb.read[i] === (addr & PAGE_MASK)) return (addr + this.tlb.addend[i]!) | 0;
    return this.fill(addr, 'read', pc);
  }

  /** Instruction word at pc, or null if the page is not executable. */
  fetch(pc: number): number | null {
    const pte = this.mem.pte(pc >>> PAGE_BITS);
    if ((pte & (PTE_MAPPED | PTE_EXEC)) !== (PTE_MAPPED | PTE_EXEC)) return null;
    const frame = this.mem.frameOffset(pc >>> PAGE_BITS);
    return this.i32[(frame + (pc & (PAGE_SIZE - 1))) >> 2]!;
  }

  /** Halfword at pc (even), or null if the page is not executable: Thumb code. */
  fetch16(pc: number): number | null {
    const pte = this.mem.pte(pc >>> PAGE_BITS);
    if ((pte & (PTE_MAPPED | PTE_EXEC)) !== (PTE_MAPPED | PTE_EXEC)) return null;
    const frame = this.mem.frameOffset(pc >>> PAGE_BITS);
    return this.u16[(frame + (pc & (PAGE_SIZE - 1))) >> 1]!;
  }

  /** Marks pc's page as translated code and write-protects it in this TLB. Returns its version. */
  protectCode(page: number): number {
    const v = this.mem.markCode(page);
    this.tlb.flushPage(page);
    return v;
  }
}
