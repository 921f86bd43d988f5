// The layout of a frame's live word in the tlbexcl shared state
// (exclusive-state.ts): how many ranges are counted in the frame (the low
// bits), LIVE_READY while the frame's mark is READY (an unlocked LDREX reads
// it in its count's own result), and how many stores to the frame are
// announced (an unlocked store or run, a store under the lock, an unlocked
// STREX's commit). A store announces itself and reads the ranges counted
// before it in one Atomics.add of ANNOUNCED, and withdraws with one
// Atomics.sub; an unlocked LDREX publishes its range and then adds it (1),
// reading READY and the announcements made before it in that add's result.
// docs/strategy-tlbexcl.md ("Shared state", "Why mark + flush + TLB_EXCL is
// correct").

/** The count of ranges (at most MAX_VCPUS, 256: each slot counts one range at a time). */
export const LIVE_RANGES = 0xfff;
/** Set (under the frame's lock) once the frame's mark is READY; cleared by the lazy unmark before it clears the mark. */
export const LIVE_READY = 0x1000;
/** One announced store. */
export const ANNOUNCED = 0x2000;
/** The count of announced stores (at most MAX_VCPUS: each slot announces one store at a time). */
export const ANNOUNCEMENTS = 0x1ff * ANNOUNCED;

/** How many stores a live word announces (for tests and assertions). */
export const announcedIn = (live: number): number => (live & ANNOUNCEMENTS) / ANNOUNCED;
