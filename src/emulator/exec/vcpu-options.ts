// What a vCPU is configured with and what it counts (exec/vcpu.ts).

export interface VcpuOptions {
  /** Guest instructions per TB at most (1 = single-step, as qemu -singlestep). */
  readonly maxInsns: number;
  /** Direct TB chaining (off = qemu's -d nochain). */
  readonly chaining: boolean;
  /** Interpreted runs after which a TB heads a compiled region; 0 = never (interpreter only). */
  readonly hotThreshold: number;
  /** Called with a qemu-style register dump before each TB runs. */
  readonly trace: ((text: string) => void) | null;
  /** Called with each compiled region's JavaScript. */
  readonly dumpJs: ((pc: number, source: string) => void) | null;
  /** Measure where the time goes (--stats). */
  readonly timing: boolean;
}

export interface VcpuCounters {
  /**
   * Guest instructions run in the interpreter, per interpreter tier
   * (backend/interp-tb.ts INTERP_FIRST, INTERP_REWRITTEN, INTERP_INNER);
   * regions count theirs in regionCounters.
   */
  readonly interpInsns: Float64Array;
  /** TB executions in the interpreter (not a region's blocks). */
  tbExecs: number;
  chainedJumps: number;
  indirectJumps: number;
  syscalls: number;
  regionEntries: number;
  /** Region returns at a block boundary inside the region (budget, request or code change). */
  regionPollExits: number;
}
