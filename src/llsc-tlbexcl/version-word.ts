// The version words of `--tlbexcl-monitor version` (version-monitor.ts): one
// per 64-byte line of guest memory, the live table (exclusive-state.ts)
// indexed by a hash of the line, so lines that collide share a word (which
// only fails more STREXes and makes more stores wait). A word holds a
// sequence in its low bits that every finished store advances; COMMIT right
// above it while a STREX that won its compare-and-set stores (and, in
// translated code, while the run of stores it starts lasts) or while a wrap
// of the sequence is being counted; and above that how many stores to its
// lines are announced (WRITER each). A LDREX reads the word and keeps it
// (the monitor is private to the vCPU); a STREX compare-and-sets exactly
// that word to word + COMMIT, so it fails after any store to the line
// announced or finished since. Whether the frame is READY is in its mark
// word, read after the version word. docs/strategy-tlbexcl.md ("The version
// monitor").

import { FRAME_SLOTS } from './frame-slots.js';

/** One finished store: a withdrawal adds it, so the word never returns to a value it had (but by wrapping, below). */
export const SEQ = 0x1;
/** The sequence: the word's low 21 bits. */
export const SEQS = 0x1fffff;
/**
 * A STREX's commit (or the run it started) is under way: at most one, a
 * compare-and-set from a quiet word sets it. It sits right above the
 * sequence, so the add that wraps the sequence carries into it: the word
 * then shows a commit under way until the wrap is counted (wrappedBy).
 */
export const COMMIT = 0x200000;
/** One announced store (at most MAX_VCPUS at a time: each vCPU announces one store at a time). */
export const WRITER = 0x400000;
/** The count of announced stores (9 bits; the word's sign bit stays 0). */
export const WRITERS = 0x7fc00000;

/** A word a monitor may keep: no store announced and no commit under way. */
export const isQuiet = (word: number): boolean => (word & (WRITERS | COMMIT)) === 0;

/**
 * The result of a withdrawal's Atomics.add (the word before it) that
 * advanced a sequence at its last value: this add wrapped it to 0 and
 * carried into COMMIT. The withdrawer then counts the wrap in the word's
 * `wraps` entry and only then takes that COMMIT off: until it does, no
 * compare-and-set from a quiet word succeeds and every store announced
 * meanwhile waits, so a STREX that succeeds after a wrap finds it counted
 * (a word seen again after 2^21 stores).
 */
export const wrappedBy = (before: number): boolean => (before & SEQS) === SEQS;

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
