// Measurement switches for the cost of signal support in code that takes no
// signal (bench/signals/poll-cost.ts). Every normal run has them at their
// defaults; the environment variables exist only so that the benchmark can
// compare.
//
// MTTCG_NO_PENDING_POLL=1: compiled regions poll the code epoch at a
// back-edge instead of the vCPU's pending-request word (one load either
// way: what a translator without cross-vCPU requests would still need to
// see code changes), and the cpu loop does not test the word between
// chained TBs. Signals and cross-vCPU requests (TLB flushes, stop-the-world)
// then reach a thread only when it leaves to the cpu loop (a syscall, an
// indirect jump out of its code): correct only for a single thread that
// receives no signal.
//
// MTTCG_NO_FAULT_LIVENESS=1: liveness may drop a register or flag write
// that a later instruction overwrites even across a memory access, so a
// signal handler for a fault at that access may see a stale value.

export const PENDING_POLL = process.env.MTTCG_NO_PENDING_POLL !== '1';
export const FAULT_LIVENESS = process.env.MTTCG_NO_FAULT_LIVENESS !== '1';

/** The pending word the cpu loop and regions read when the poll is off: never set. */
export const NEVER_PENDING = new Int32Array(1);
