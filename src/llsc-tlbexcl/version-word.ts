// The layout of a frame's version word under `--tlbexcl-monitor version`
// (the frame's word in the shared state's `live` table, exclusive-state.ts):
// how many stores to the frame are announced (WRITER each), COMMIT while a
// STREX that won its compare-and-set stores (and, in translated code, while
// the run of stores it starts lasts), V_READY while the frame's mark is
// READY, and a sequence above them that every finished store advances. A
// LDREX reads the word and keeps it (the monitor is private to the vCPU); a
// STREX compare-and-sets exactly that word to word + COMMIT, so it fails
// after any store announced or finished since. docs/strategy-tlbexcl.md
// ("The version monitor").

/** One announced store (at most MAX_VCPUS at a time: each vCPU announces one store at a time). */
export const WRITER = 0x1;
/** The count of announced stores. */
export const WRITERS = 0x1ff;
/** A STREX's commit (or the run it started) is under way: at most one, a compare-and-set from a quiet word sets it. */
export const COMMIT = 0x200;
/** Set (under the frame's lock) once the frame's mark is READY; the lazy unmark takes it off. */
export const V_READY = 0x400;
/** One finished store: a withdrawal adds it, so the word never returns to a value it had (but by wrapping, below). */
export const SEQ = 0x800;

/** A word a monitor may keep: no store announced and no commit under way. */
export const isQuiet = (word: number): boolean => (word & (WRITERS | COMMIT)) === 0;

/**
 * The result of a withdrawal's Atomics.add (the word before it) whose
 * sequence was at its last value: this withdrawal wrapped it to 0. The
 * storer then counts the wrap in the frame's `wraps` word, which a STREX
 * checks after its compare-and-set (a word seen again after 2^21 stores).
 */
export const wrappedBy = (before: number): boolean => (before | (SEQ - 1)) === -1;
