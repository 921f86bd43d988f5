// The guest state a front end hands to the IR builder, the liveness pass and
// the backend. IR temps 0..count-1 are the globals: env slots 0..count-1, held
// in JavaScript locals inside a TB, loaded at entry and written back at every
// exit. The IR and the backend know the guest only through this set.

export interface IrGlobals {
  /** Number of globals; temps from here on are TB-local. */
  readonly count: number;
  /** Per global, its guest name (for comments in the emitted code). */
  readonly names: readonly string[];
  /** Env slot where every TB exit leaves the next guest pc. */
  readonly pcSlot: number;
}
