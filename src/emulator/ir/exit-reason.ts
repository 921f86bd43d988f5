// Why a TB returned to the cpu loop. Values 0 and 1 are the direct-jump exit
// slots of goto_tb (chainable); everything else is an exit reason.

export const enum ExitReason {
  /** goto_tb slot 0: direct jump, next pc in R15. */
  JUMP0 = 0,
  /** goto_tb slot 1: direct jump, next pc in R15. */
  JUMP1 = 1,
  /** Indirect jump (BX, LDR pc, POP {pc}): next pc in R15. */
  INDIRECT = 2,
  /** SVC: R15 holds the address of the next instruction. */
  SYSCALL = 3,
  /** UDF or an unallocated encoding at R15. */
  UNDEFINED = 4,
  /** An instruction the project does not emulate (e.g. a switch to Thumb) at R15. */
  UNSUPPORTED = 5,
  /** BKPT at R15 (SIGTRAP). */
  BREAKPOINT = 6,
  /** Leave translated code so that the cpu loop sees a request (ISB, safe work). */
  EXIT_REQUEST = 7,
}
