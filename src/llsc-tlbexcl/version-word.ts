// The version words of `--tlbexcl-monitor version` (version-monitor.ts): one
// per 64-byte line of guest memory, the live table (exclusive-state.ts)
// indexed by a hash of the line, so lines that collide share a word (which
// only fails more STREXes and makes more stores wait). A word holds how many
// stores to its lines are announced (WRITER each), COMMIT while a STREX that
// won its compare-and-set stores (and, in translated code, while the run of
// stores it starts lasts), and a sequence above them that every finished
// store advances. A LDREX reads the word and keeps it (the monitor is
// private to the vCPU); a STREX compare-and-sets exactly that word to word +
// COMMIT, so it fails after any store to the line announced or finished
// since. Whether the frame is READY is in its mark word, read after the
// version word. docs/strategy-tlbexcl.md ("The version monitor").

import { FRAME_SLOTS } from './frame-slots.js';

/** One announced store (at most MAX_VCPUS at a time: each vCPU announces one store at a time). */
export const WRITER = 0x1;
/** The count of announced stores. */
export const WRITERS = 0x1ff;
/** A STREX's commit (or the run it started) is under way: at most one, a compare-and-set from a quiet word sets it. */
export const COMMIT = 0x200;
/** One finished store: a withdrawal adds it, so the word never returns to a value it had (but by wrapping, below). */
export const SEQ = 0x400;

/** A word a monitor may keep: no store announced and no commit under way. */
export const isQuiet = (word: number): boolean => (word & (WRITERS | COMMIT)) === 0;

/**
 * The result of a withdrawal's Atomics.add (the word before it) whose
 * sequence was at its last value: this withdrawal wrapped it to 0. The
 * storer then counts the wrap in the word's `wraps` entry, which a STREX
 * checks after its compare-and-set (a word seen again after 2^22 stores).
 */
export const wrappedBy = (before: number): boolean => (before | (SEQ - 1)) === -1;

/** A version word's granule: a 64-byte line, the usual exclusives reservation granule of ARM cores. */
export const LINE_BITS = 6;
/** Lines per guest frame. */
export const LINES_PER_FRAME = 64;

const SHIFT = 32 - Math.log2(FRAME_SLOTS);
/** Fibonacci hashing: neighbouring lines land far apart (no host cache line shared by a frame's neighbouring lines). */
const GOLDEN = 0x9e3779b1 | 0;

/** The version word (index into the live table) of host line `line` (a host offset >>> LINE_BITS). */
export const lineWord = (line: number): number => Math.imul(line, GOLDEN) >>> SHIFT;

/** lineWord as a JavaScript expression over the expression `line` (translated code). */
export const lineWordExpr = (line: string): string => `(Math.imul(${line}, ${GOLDEN}) >>> ${SHIFT})`;
