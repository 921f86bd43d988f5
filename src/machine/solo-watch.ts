// The solo phase's time budget, kept by slot 0's worker (solo-phase.ts).
// While the first thread runs on the main thread, nothing there looks at a
// clock between two syscalls (a guest loop without any runs in the cpu loop
// for as long as it likes), so the worker that will take the thread over
// keeps the budget: once its modules are loaded it watches until the solo
// phase ends, and when the budget is used asks the vCPU to leave at its next
// TB boundary (REQ_HANDOVER), where the cpu loop looks at its pending word
// anyway.
//
// The budget is the main thread's own CPU time (host/thread-cpu.ts), so
// that a loaded host, where the main thread waits for a core, does not move
// a short program to its worker; a wall-clock limit (--timeout, which the
// main thread's event loop serves, caps it) ends the phase too.
//
// Layout: Int32 word 0 is the state; Float64s: [1] the wall limit (ms since
// the epoch), [2] the main thread's CPU ns when the phase started (-1: not
// known), [3] the CPU budget in ns.

import { REQ_HANDOVER, VcpuTable } from '../emulator/exec/vcpu-table.js';
import { threadCpu, threadCpuOf } from '../host/thread-cpu.js';

const SOLO_WAITING = 0;
const SOLO_RUNNING = 1;
const SOLO_OVER = 2;
const SOLO_EXPIRED = 3;

/** How often the worker looks at the main thread's CPU time, in ms. */
const POLL_MS = 5;

export function createSoloWatch(): SharedArrayBuffer {
  return new SharedArrayBuffer(32);
}

/** Epoch milliseconds, the same clock on every thread. */
const epochNow = (): number => performance.timeOrigin + performance.now();

/** The solo phase starts now: it may use cpuMs of the main thread's CPU time and last wallMs. */
export function soloStarted(watch: SharedArrayBuffer, cpuMs: number, wallMs: number): void {
  const f = new Float64Array(watch, 8, 3);
  f[0] = epochNow() + wallMs;
  f[1] = threadCpu()?.cpuNs ?? -1;
  f[2] = cpuMs * 1e6;
  const word = new Int32Array(watch, 0, 1);
  Atomics.store(word, 0, SOLO_RUNNING);
  Atomics.notify(word, 0);
}

/** The solo phase is over (handed over, ended, or never started): the worker stops watching. */
export function soloOver(watch: SharedArrayBuffer): void {
  const word = new Int32Array(watch, 0, 1);
  Atomics.compareExchange(word, 0, SOLO_WAITING, SOLO_OVER);
  Atomics.compareExchange(word, 0, SOLO_RUNNING, SOLO_OVER);
  Atomics.notify(word, 0);
}

/** The main thread's CPU time in ns (its tid is the process id), measured as soloStarted measured it there, or -1. */
function mainThreadCpuNs(): number {
  return threadCpuOf(process.pid)?.cpuNs ?? -1;
}

/** True once the running phase has used its budget. */
function used(f: Float64Array): boolean {
  if (epochNow() >= f[0]!) return true;
  if (f[1]! < 0) return false;
  const now = mainThreadCpuNs();
  return now >= 0 && now - f[1]! >= f[2]!;
}

/**
 * Worker side: blocks until the solo phase is over; if it uses its budget
 * first, asks the vCPU in `slot` to hand the thread over and returns.
 */
export function keepSoloBudget(watch: SharedArrayBuffer, vcpus: SharedArrayBuffer, slot: number): void {
  const word = new Int32Array(watch, 0, 1);
  const f = new Float64Array(watch, 8, 3);
  for (;;) {
    const state = Atomics.load(word, 0);
    if (state === SOLO_OVER || state === SOLO_EXPIRED) return;
    if (state === SOLO_WAITING) {
      Atomics.wait(word, 0, SOLO_WAITING);
      continue;
    }
    if (!used(f)) {
      Atomics.wait(word, 0, SOLO_RUNNING, f[1]! < 0 ? Math.max(0, f[0]! - epochNow()) : POLL_MS);
      continue;
    }
    if (Atomics.compareExchange(word, 0, SOLO_RUNNING, SOLO_EXPIRED) === SOLO_RUNNING) {
      new VcpuTable(vcpus).request(slot, REQ_HANDOVER);
    }
    return;
  }
}
