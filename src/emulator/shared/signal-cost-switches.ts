// Measurement switches for the cost of signal support in code that takes no
// signal (bench/signals/poll-cost.ts). Every normal run has them at their
// defaults; the environment variables exist only so that the benchmark can
// compare.
//
// MTTCG_NO_PENDING_POLL=1: compiled regions do not test the vCPU's pending-
// request word at block boundaries, and the cpu loop does not test it
// between chained TBs. Signals and cross-vCPU requests (TLB flushes,
// stop-the-world) then reach a thread only when it leaves to the cpu loop
// (a syscall, an indirect jump out of its code): correct only for a single
// thread that receives no signal.
//
// MTTCG_PENDING_POLL_INTERVAL=N (a power of two): regions read the pending
// word at one back-edge in N instead of 16 (1: at every back-edge, as before
// the sampling), for the benchmark's comparison.
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
export const PENDING_POLL_INTERVAL = pollInterval(process.env.MTTCG_PENDING_POLL_INTERVAL);

/** 16, or a measurement's power of two from MTTCG_PENDING_POLL_INTERVAL (1: read at every back-edge). */
function pollInterval(text: string | undefined): number {
  if (text === undefined) return 16;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1 || v > 1 << 16 || (v & (v - 1)) !== 0) {
    throw new Error(`MTTCG_PENDING_POLL_INTERVAL must be a power of two from 1 to 65536, not ${JSON.stringify(text)}`);
  }
  return v;
}

/** The pending word the cpu loop and regions read when the poll is off: never set. */
export const NEVER_PENDING = new Int32Array(1);
