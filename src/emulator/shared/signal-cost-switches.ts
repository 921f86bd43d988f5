// Measurement switches for the cost of signal support in code that takes no
// signal (bench/signals/poll-cost.ts). Both are on in every normal run; the
// environment variables exist only so that the benchmark can compare.
//
// MTTCG_NO_PENDING_POLL=1: compiled regions do not test the vCPU's pending-
// request word at block boundaries, and the cpu loop does not test it
// between chained TBs. Signals and cross-vCPU requests (TLB flushes,
// stop-the-world) then reach a thread only when it leaves to the cpu loop
// (a syscall, an indirect jump out of its code): correct only for a single
// thread that receives no signal.
//
// MTTCG_NO_FAULT_LIVENESS=1: liveness may drop a register or flag write
// that a later instruction overwrites even across a memory access, so a
// signal handler for a fault at that access may see a stale value.

export const PENDING_POLL = process.env.MTTCG_NO_PENDING_POLL !== '1';
export const FAULT_LIVENESS = process.env.MTTCG_NO_FAULT_LIVENESS !== '1';

/**
 * Compiled regions read the pending word at one back-edge in this many (a
 * power of two; the others test the budget's low bits, in a register): a
 * request waits at most this many more region blocks, a few microseconds.
 */
export const PENDING_POLL_INTERVAL = 16;

/** The pending word the cpu loop and regions read when the poll is off: never set. */
export const NEVER_PENDING = new Int32Array(1);
