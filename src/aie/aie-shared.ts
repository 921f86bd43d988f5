// The shared state of the aie strategy: one SharedArrayBuffer, created in the
// main thread and attached by every vCPU worker (buffers.strategy). Regions,
// in 32-bit words (absolute word indices are used throughout, so 0 is never
// a valid node, entry or block):
//
//   header   bump pointer, store-check switch, mode, granule, arena size
//   root     level 0 of the radix tree: 1024 slots
//   frames   two words per host frame: its state (FRAME_NONE: no AIE entry;
//            FRAME_PENDING: entries, TLB shootdown maybe in progress;
//            FRAME_PUBLISHED) and the guest page + 1 that last mapped it
//            (store-checks.ts)
//   hazards  one word per vCPU slot (a cache line each): the host frame + 1 a
//            store on a flagged page is writing without a lock, else 0
//   reserved one word per host frame: the reservations (set members) of all
//            its entries (frame-reservations.ts); under the version monitor
//            instead its leaf node in the radix tree, once a LDREX prepared
//            an entry there (store-checks.ts, inline-unlocked-store.ts)
//   arena    radix-tree nodes, entries, tiny-set overflow blocks
//
// The radix tree key is the chunk index of the guest *physical* address, the
// host offset in guest memory (GuestMemory.data): offsets are below 2^31, so
// keys have 31 - log2(granule) bits, cut as 10 (root) + 9 + the chunks of one
// 4 KiB frame (8, 7 or 6 bits). A leaf node is thus the entries of one frame.

import { MAX_VCPUS } from '../emulator/exec/vcpu-table.js';
import { SharedLayout } from '../emulator/shared/layout.js';
import { PAGE_BITS } from '../emulator/softmmu/page-bits.js';
import { ENTRY_WORDS } from './aie-entry.js';
import { MAX_ARENA_MB, StoreMode, type AieOptions } from './aie-options.js';
import { RadixTree } from './radix-tree.js';
import { SharedArena } from './shared-arena.js';

export const enum Header {
  BUMP = 0,
  /** Store checks: 0 off, 1 switching on (shootdown in progress), 2 on. */
  SWITCH = 1,
  MODE = 2,
  GRANULE_SHIFT = 3,
  ARENA_MB = 4,
  /** One more than the highest vCPU slot ever attached (the hazard scans stop there). */
  SLOT_LIMIT = 5,
  /** The monitor (aie-options.ts, Monitor). */
  MONITOR = 6,
}

export const SWITCH_OFF = 0;
export const SWITCH_PENDING = 1;
export const SWITCH_ON = 2;

export const FRAME_NONE = 0;
export const FRAME_PENDING = 1;
export const FRAME_PUBLISHED = 2;
/** Words per frame in the frames region: state, then guest page + 1. */
export const FRAME_STRIDE = 2;

/** Host frames a guest memory of at most 2 GiB can have. */
export const NUM_FRAMES = 1 << (31 - PAGE_BITS);
const ROOT_BITS = 10;
const MID_BITS = 31 - PAGE_BITS - ROOT_BITS;
export const HAZARD_STRIDE = 16;

function layoutFor(arenaMb: number): SharedLayout {
  return new SharedLayout([
    { name: 'header', words: 16 },
    { name: 'root', words: 1 << ROOT_BITS },
    { name: 'frames', words: NUM_FRAMES * FRAME_STRIDE },
    { name: 'hazards', words: MAX_VCPUS * HAZARD_STRIDE },
    { name: 'reserved', words: NUM_FRAMES },
    { name: 'arena', words: arenaMb * (1 << 18) },
  ]);
}

/** One worker's view of the shared state. */
export class AieShared {
  readonly words: Int32Array;
  readonly arena: SharedArena;
  readonly tree: RadixTree;
  /** Word index of the frames region (frame f's state is words[framesWord + f * FRAME_STRIDE]). */
  readonly framesWord: number;
  /** Word index of the hazards region (slot s is words[hazardsWord + s * HAZARD_STRIDE]). */
  readonly hazardsWord: number;
  /** Word index of the reserved region (frame f's count is words[reservedWord + f]). */
  readonly reservedWord: number;
  /** The reserved region as its own view: frame f's count is reserved[f] (the same memory as words[reservedWord + f]). */
  readonly reserved: Int32Array;

  static create(o: AieOptions): SharedArrayBuffer {
    const layout = layoutFor(o.arenaMb);
    const sab = new SharedArrayBuffer(layout.totalWords * 4);
    const words = new Int32Array(sab);
    SharedArena.init(words, Header.BUMP, layout.region('arena').offset);
    words[Header.MODE] = o.storeMode;
    words[Header.GRANULE_SHIFT] = o.granuleShift;
    words[Header.ARENA_MB] = o.arenaMb;
    words[Header.MONITOR] = o.monitor;
    // In 'always' mode the checks are on from the start: there is nothing to shoot down yet.
    words[Header.SWITCH] = o.storeMode === StoreMode.ALWAYS ? SWITCH_ON : SWITCH_OFF;
    return sab;
  }

  constructor(sab: SharedArrayBuffer, o: AieOptions) {
    const layout = layoutFor(o.arenaMb);
    if (sab.byteLength !== layout.totalWords * 4) throw new Error('internal: aie shared buffer of the wrong size');
    this.words = new Int32Array(sab);
    if (this.words[Header.MODE] !== o.storeMode || this.words[Header.GRANULE_SHIFT] !== o.granuleShift ||
      this.words[Header.MONITOR] !== o.monitor) {
      throw new Error('internal: aie shared state created with other options');
    }
    const arena = layout.region('arena');
    this.arena = new SharedArena(this.words, Header.BUMP, arena.offset, arena.offset + arena.words,
      `the AIE arena (${o.arenaMb} MiB of radix-tree nodes, entries and reservation sets) is exhausted; ` +
      `run with a larger --aie-arena-mb (at most ${MAX_ARENA_MB})`);
    this.tree = new RadixTree(this.words, this.arena, {
      rootWord: layout.region('root').offset,
      levelBits: [ROOT_BITS, MID_BITS, PAGE_BITS - o.granuleShift],
      entryWords: ENTRY_WORDS,
    });
    this.framesWord = layout.region('frames').offset;
    this.hazardsWord = layout.region('hazards').offset;
    this.reservedWord = layout.region('reserved').offset;
    this.reserved = new Int32Array(sab, this.reservedWord * 4, NUM_FRAMES);
  }
}
