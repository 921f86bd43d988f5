// The layout of a vCPU slot's line in the tlbexcl shared state's `ranges`
// (exclusive-state.ts): its exclusive range [start, end) as host offsets into
// guest memory, or none; HELD in the start word while a store under the
// frame's lock holds the range; and the live word its range is counted in,
// which only the owner writes but for a count it offered (CLAIMABLE) to the
// store that cancels the range. docs/strategy-tlbexcl.md ("Shared state").

/** A start word of none (above every host offset, so it overlaps nothing). */
export const NONE_START = 0x7fffffff;
/** The end word a cancelled range is left with. */
export const NONE_END = 0;
/** The start word's hold bit (a store under the lock is under way that this range must not miss or overtake). */
export const HELD = 0x80000000 | 0;
/** Words per vCPU in `ranges`: one host cache line each, as every LDREX and STREX writes its own. */
export const RANGE_STRIDE = 16;
/** The word after start and end: the live word index + 1 the range is counted in (0: none). */
export const COUNTED = 2;
/** In COUNTED: the owner, about to wait for the frame's lock, lets a store that cancels its range take the count off. */
export const CLAIMABLE = 0x40000000;
