// A LDREX that has counted its reservation waits for other vCPUs' short
// windows to close before it loads: a store announced under tlbexcl or aie
// (inline-flagged-store.ts), or tlbexcl's unlocked STREX holding its range.
// Such a window never blocks and is closed before its vCPU leaves the block,
// so it lasts nanoseconds, or a host time slice when its thread is
// descheduled. One that stays open is a translator bug (a withdrawal the
// backend dropped); without a bound the LDREX would spin for ever, a guest
// hang that the deadlock detector does not see because no thread sleeps in a
// futex. After WINDOW_WAIT_LIMIT_MS the wait throws instead: the vCPU
// worker's error ends the run as an internal error that names the window.
// The same holds for a store that waits for another vCPU's window: tlbexcl's
// locked store for a held range, aie's settling entry for hazard words.

/** Far above any host descheduling of the window's owner (load 30 on 2 cores gives time slices of tens of ms). */
export const WINDOW_WAIT_LIMIT_MS = 10_000;

/** Spins before the wait starts to sleep (0.05 ms a time) between reads. */
const SPINS_BEFORE_SLEEP = 100;

/** Why a window was awaited, for the error: e.g. `vCPU slot 1's store announcement on frame 0x12`. */
export type WindowName = () => string;

/**
 * One turn of a wait for a window: nothing for the first spins, then a
 * 0.05 ms sleep on `words[index]` while it holds `value`. `deadline` is what
 * the previous turn returned (0 at first); throws once it has passed.
 */
export function pauseInWindow(
  words: Int32Array, index: number, value: number, spins: number, deadline: number,
  name: WindowName, limitMs: number = WINDOW_WAIT_LIMIT_MS,
): number {
  if (spins <= SPINS_BEFORE_SLEEP) return deadline;
  const now = performance.now();
  if (deadline === 0) deadline = now + limitMs;
  else if (now > deadline) {
    throw new Error(`${name()} stayed open for ${limitMs} ms while a LDREX or a store waited for it ` +
      '(a window of a few instructions that was never closed: an emulator bug)');
  }
  Atomics.wait(words, index, value, 0.05);
  return deadline;
}

/**
 * Waits while `stillOpen()` (which reads `words[index]` with Atomics) holds,
 * pausing as pauseInWindow does on the value `sleepValue()` names. Returns
 * whether it waited at all; throws after `limitMs`.
 */
export function awaitWindow(
  words: Int32Array, index: number, stillOpen: () => boolean, sleepValue: () => number,
  name: WindowName, limitMs: number = WINDOW_WAIT_LIMIT_MS,
): boolean {
  if (!stillOpen()) return false;
  let deadline = 0;
  for (let spins = 1; stillOpen(); spins++) deadline = pauseInWindow(words, index, sleepValue(), spins, deadline, name, limitMs);
  return true;
}
