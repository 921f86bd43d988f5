// The TLB side of a marked frame, for both of tlbexcl's monitors
// (tlbexcl-vcpu.ts, version-vcpu.ts): TLB_EXCL on the write entries of
// marked frames, the flush a new mark needs before it becomes READY, a
// vCPU's own entries for a frame dropped, and the host offset of an
// exclusive store through an entry whose only flag is TLB_EXCL.
// docs/strategy-tlbexcl.md ("LDREX", "Lazy unmark").

import type { VcpuServices } from '../emulator/atomics/vcpu-services.js';
import { PAGE_BITS, PAGE_MASK, TLB_EXCL, TLB_INVALID } from '../emulator/softmmu/page-bits.js';
import { TLB_SIZE, Tlb } from '../emulator/softmmu/tlb.js';
import { READY, type ExclusiveState } from './exclusive-state.js';

/** TLB fill of a write entry: TLB_EXCL if the page's frame is marked (any alias of it). */
export function excludedWriteFlags(state: ExclusiveState, vcpu: VcpuServices, page: number): number {
  const frame = vcpu.mem.pte(page) >>> PAGE_BITS;
  return frame !== 0 && state.isMarked(frame) ? TLB_EXCL : 0;
}

/**
 * After a LDREX marked `frame` (mark word `mark`): unless the mark is READY,
 * makes every other vCPU drop its TLB (returning once each has acknowledged:
 * until then one may still store to the frame on the fast path), drops this
 * vCPU's own write entries for the frame and sets READY. True if it flushed.
 */
export function flushForMark(state: ExclusiveState, vcpu: VcpuServices, addr: number, frame: number, mark: number): boolean {
  if (mark & READY) return false;
  vcpu.flushOthersPage(addr >>> PAGE_BITS);
  dropOwnEntries(vcpu, frame);
  state.markReady(frame, mark);
  return true;
}

/** Drops this vCPU's write entries that reach `frame`, under any virtual page. */
export function dropOwnEntries(vcpu: VcpuServices, frame: number): void {
  const { write, addend } = vcpu.mmu.tlb;
  for (let i = 0; i < TLB_SIZE; i++) {
    const tag = write[i]!;
    if (tag !== TLB_INVALID && (((tag & PAGE_MASK) + addend[i]!) | 0) >>> PAGE_BITS === frame) write[i] = TLB_INVALID;
  }
}

/**
 * Host offset for STREX, SWP and cmpxchg. A marked frame's write entry
 * carries TLB_EXCL, so Mmu.atomicOffset would miss and refill it every
 * time; an entry whose only flag is TLB_EXCL is a hit here.
 */
export function exclusiveStoreOffset(vcpu: VcpuServices, addr: number, bytes: number, pc: number): number {
  const tlb = vcpu.mmu.tlb;
  const i = Tlb.index(addr);
  if (!(addr & (bytes - 1)) && (tlb.write[i]! & ~TLB_EXCL) === (addr & PAGE_MASK)) return (addr + tlb.addend[i]!) | 0;
  return vcpu.mmu.atomicOffset(addr, bytes, pc);
}
