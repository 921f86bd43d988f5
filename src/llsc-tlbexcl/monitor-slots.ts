// Where a vCPU's version monitor (version-monitor.ts) keeps its state: one
// private Int32Array per vCPU, which the monitor's helpers and translated
// code share (bound as a_xk: the inline LDREX and STREX of
// inline-version-exclusives.ts write and read the monitor there, and a run's
// withdrawal counts the vCPU's own stores there, inline-version-stores.ts).
// Nothing in it is shared with other vCPUs.

/** The slots (indices into the array). */
export const MonitorSlot = {
  /** The monitored line's version word index + 1, or 0 with no monitor open: a withdrawal there is an own store. */
  OWN_WORD: 0,
  /** The vCPU's own finished stores under that word since the LDREX (its STREX expects them on the kept word). */
  OWN_STORES: 1,
  /** The monitored bytes [START, END) as host offsets; START -1: no monitor. */
  START: 2,
  END: 3,
  /** The quiet version word the LDREX read. */
  WORD: 4,
  /** The word's wrap count, read before the word. */
  WRAPS_SEEN: 5,
  /**
   * The quiet word a STREX that starts a run committed from (its compare-and-set made it + COMMIT): under the plain
   * withdrawal nothing else writes the word while COMMIT is up, so the run's withdrawal writes this + SEQ.
   */
  COMMIT_WORD: 6,
  /** The word a store's inline announcement read (plain withdrawal: its compare-and-set expects it). */
  SCRATCH: 7,
} as const;

/** The array's length. */
export const MONITOR_SLOTS = 8;

/** A vCPU's monitor state, closed. */
export function newMonitorSlots(): Int32Array {
  const s = new Int32Array(MONITOR_SLOTS);
  s[MonitorSlot.START] = -1;
  return s;
}
