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
  /**
   * The globals of the N, Z, C and V flags when they are kept as QEMU keeps
   * them (N: bit 31 of NF, Z: ZF == 0, C: CF 0 or 1, V: bit 31 of VF): a
   * region may then hold a flag-setting subtraction's operands instead of
   * the four flags (backend/lazy-flags.ts).
   */
  readonly nzcv?: readonly [n: number, z: number, c: number, v: number];
}
