// The barrier flavours the `mb` IR op carries.

export const enum BarrierKind {
  DMB = 0,
  DSB = 1,
  ISB = 2,
  /** The kuser memory-barrier helper at 0xffff0fa0. */
  KUSER = 3,
}
