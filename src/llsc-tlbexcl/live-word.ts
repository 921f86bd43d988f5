// The layout of a frame's live word in the tlbexcl shared state
// (exclusive-state.ts): how many ranges lie in the frame (the low bits),
// UNMARK_GATE while the lazy unmark clears the frame's mark, and how many
// stores to the frame are announced (an unlocked store or run, a store under
// the lock, an unlocked STREX's commit). A store announces itself and reads
// the ranges counted before it in one Atomics.add of ANNOUNCED, and
// withdraws with one Atomics.sub; a LDREX adds its range (1) and, once it
// has published the range, reads the word again for announced stores.
// docs/strategy-tlbexcl.md ("Shared state", "Why mark + flush + TLB_EXCL is
// correct").

/** The count of ranges (at most MAX_VCPUS, 256: each slot has one range, or one add it takes back). */
export const LIVE_RANGES = 0xfff;
/** Set while the lazy unmark clears the frame's mark. */
export const UNMARK_GATE = 0x1000;
/** The bits that keep a store from running unlocked: a range counted, an unmark under way. */
export const LIVE_BUSY = LIVE_RANGES | UNMARK_GATE;
/** One announced store. */
export const ANNOUNCED = 0x2000;
/** The count of announced stores (at most MAX_VCPUS: each slot announces one store at a time). */
export const ANNOUNCEMENTS = 0x1ff * ANNOUNCED;

/** How many stores a live word announces (for tests and assertions). */
export const announcedIn = (live: number): number => (live & ANNOUNCEMENTS) / ANNOUNCED;
