// Where a guest frame's words sit in the per-frame tables of the tlbexcl
// shared state (live-range and idle counts, per-page locks). Consecutive
// frames, which threads often use at the same time (a lock page each), go to
// different host cache lines: frame f lands at ((f mod 16) << 15) + f / 16,
// so two frames share a 64-byte line only if they are 16 apart and within
// the same run of 256 frames, rather than every 16 neighbours sharing one.

import { MAX_MEMORY_MB } from '../emulator/softmmu/frame-pool.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';

/** Every frame a guest memory can have (--memory at most MAX_MEMORY_MB). */
export const MAX_FRAMES = (MAX_MEMORY_MB * 1024 * 1024) >>> PAGE_BITS;

const SLOT_BITS = 19;
/** Size of a per-frame table (MAX_FRAMES rounded up to a power of two). */
export const FRAME_SLOTS = 1 << SLOT_BITS;

if (MAX_FRAMES > FRAME_SLOTS) throw new Error('internal: tlbexcl frame tables too small for the guest memory limit');

export function frameSlot(frame: number): number {
  return ((frame & 15) << (SLOT_BITS - 4)) | (frame >>> 4);
}

/** frameSlot as a JavaScript expression over the expression `frame` (translated code). */
export function frameSlotExpr(frame: string): string {
  return `(((${frame}) & 15) << ${SLOT_BITS - 4}) | ((${frame}) >>> 4)`;
}
