// Blocks the calling host thread (a worker or the supervisor) for a while.
// Atomics.wait on a private word nobody notifies is the synchronous sleep
// Node.js offers; it is allowed on the main thread too.

const word = new Int32Array(new SharedArrayBuffer(4));

export function sleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(word, 0, 0, ms);
}
