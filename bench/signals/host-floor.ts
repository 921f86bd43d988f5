// The host's floor for bench/signals/signal-latency: the same exchange
// between two plain Node threads, with no emulator in between. A worker
// spins on a compute loop that reads one Int32 of a SharedArrayBuffer per
// iteration (as a vCPU tests its pending word); the main thread reads the
// clock, sets the word, and sleeps 1 ms at a time until the worker has
// acknowledged, as the guest's sender does. The worker reads the clock
// first thing when it sees the word. Whatever latency this shows is the
// host scheduling two Node threads (load, core count), not mttcg: the part
// of mttcg's tail above it is mttcg's.
//
//   node dist/bench/signals/host-floor.js [samples] [busy-us]
//
// samples: default 200, after 20 warm-up sends. busy-us (default 0): the
// sender computes for that many microseconds after each send before it
// sleeps, as mttcg's sending thread runs its syscall path (tgkill's return,
// the guest's loop, nanosleep's entry) before it waits: with it the floor
// shows what a longer sender burst alone does to the spinner's latency.
//
// Prints one line in signal-latency's format:
//   BENCH workload=host-floor samples=N busy_us=US p50=NS p90=NS p99=NS max=NS min=NS spins=HEX

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

/** Word indices in the shared Int32Array. */
const W_POSTED = 0; // sequence number of the last send (main writes)
const W_ACKED = 1; // sequence number the worker has seen (worker writes)
const W_STOP = 2;
/** BigInt64 index (bytes 16..23, after the Int32 words): the worker's clock when it saw the send. */
const B_SEEN_NS = 2;

interface Shared {
  readonly words: SharedArrayBuffer;
}

function spinner({ words }: Shared): void {
  const w = new Int32Array(words);
  const seen = new BigInt64Array(words);
  let x = 0x9e3779b9 | 0;
  let n = 0;
  let acked = 0;
  for (;;) {
    // The worker's "pending word", read each iteration. Atomics.load: the compiler may not keep a plain
    // load out of a loop that stores nothing (the sender's store would never be seen).
    if (Atomics.load(w, W_POSTED) !== acked) {
      seen[B_SEEN_NS] = process.hrtime.bigint();
      acked = w[W_POSTED]!;
      // Store the acknowledgement after the time: the sender reads the time once it sees the ack.
      Atomics.store(w, W_ACKED, acked);
      if (Atomics.load(w, W_STOP) !== 0) break;
    }
    x ^= x << 13;
    x ^= x >>> 7;
    x = x & 1 ? (x + 0x9e3779b9) | 0 : x ^ 0x7f4a7c15;
    n++;
  }
  parentPort!.postMessage(n ^ x);
}

/** Computes for about us microseconds (reading the clock, no sleep). */
function busy(us: number): void {
  const end = process.hrtime.bigint() + BigInt(Math.round(us * 1000));
  while (process.hrtime.bigint() < end) {
    // spin
  }
}

async function sender(samples: number, busyUs: number): Promise<void> {
  const words = new SharedArrayBuffer(24);
  const w = new Int32Array(words);
  const seen = new BigInt64Array(words);
  const worker = new Worker(new URL(import.meta.url), { workerData: { words } satisfies Shared });
  const spins = new Promise<number>((resolve) => worker.once('message', resolve));
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  // Sleeps ms milliseconds (nothing ever notifies this word: a timed wait, as nanosleep).
  const sleepMs = (ms: number): void => void Atomics.wait(sleeper, 0, 0, ms);
  // Let the worker start spinning.
  sleepMs(50);
  const warmup = 20;
  const lat: number[] = [];
  for (let i = 1; i <= warmup + samples; i++) {
    const t0 = process.hrtime.bigint();
    // Publish the send; the worker's plain load sees it at its next iteration.
    Atomics.store(w, W_POSTED, i);
    if (busyUs > 0) busy(busyUs);
    while (Atomics.load(w, W_ACKED) !== i) sleepMs(1);
    if (i > warmup) lat.push(Number(seen[B_SEEN_NS]! - t0));
  }
  // Stop: one more send with the stop flag up (the worker acknowledges and leaves).
  Atomics.store(w, W_STOP, 1);
  Atomics.store(w, W_POSTED, warmup + samples + 1);
  const n = await spins;
  await worker.terminate();
  lat.sort((a, b) => a - b);
  const at = (q: number): number => lat[Math.floor(samples * q)]!;
  console.log(`BENCH workload=host-floor samples=${samples} busy_us=${busyUs} p50=${at(0.5)} p90=${at(0.9)} p99=${at(0.99)} ` +
    `max=${lat[samples - 1]} min=${lat[0]} spins=${(n >>> 0).toString(16)}`);
}

if (isMainThread) {
  const samples = Number(process.argv[2] ?? 200);
  const busyUs = Number(process.argv[3] ?? 0);
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`host-floor: bad sample count ${process.argv[2]}`);
  if (!(busyUs >= 0)) throw new Error(`host-floor: bad busy time ${process.argv[3]}`);
  await sender(samples, busyUs);
} else {
  spinner(workerData as Shared);
}
