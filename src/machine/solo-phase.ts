// The solo phase (cold start, docs/translator.md "Start-up"): the first
// guest thread runs on the main thread first, and moves to its worker only
// when it needs to. A short program (busybox `true`, most conformance
// programs) then never waits for a worker's start (an isolate, Node's worker
// bootstrap, its bundle: about as long as Node's own start), which the main
// thread used to wait for after loading the program.
//
// The main thread's event loop serves the pool, host signals, --timeout, the
// guest's timers and deadlock detection, and stops while the guest runs here.
// So the thread moves to slot 0's worker, started in the background as before,
// at the first syscall that is not local (solo-syscalls.ts: clone, fork,
// execve, anything that waits or signals, timers), or at a TB boundary once
// the time budget is used (solo-watch.ts), with its registers exact: the
// local monitor cleared as on any exception or context switch, the signal
// state and the process in shared memory as for any thread, and an SVC it
// stopped at run first by the worker. A program that ends in the budget with
// local syscalls only ends here: the run's exit does not wait for the worker.
//
// MTTCG_SOLO=0 turns it off (the thread goes to its worker at once, as
// before); MTTCG_SOLO_MS sets the budget, in ms of the main thread's CPU
// time; the phase also ends after WALL_FACTOR times that in wall time, or
// half of --timeout, whichever is first (the event loop serves --timeout,
// host signals and the guest's timers).

import type { ThreadAssignment, VcpuWorkerData, WorkerMessage, RunConfig } from '../emulator/process/run-config.js';
import type { SoloPhase } from '../emulator/process/supervisor.js';
import { coldMark } from '../host/cold-trace.js';
import { optimiseOnTheRunningThread } from '../host/v8-compile-mode.js';
import { SoloGate } from './solo-gate.js';
import { createSoloWatch, soloOver, soloStarted } from './solo-watch.js';
import { PooledVcpu } from './vcpu-main.js';

export const SOLO_ENV = 'MTTCG_SOLO';
export const SOLO_MS_ENV = 'MTTCG_SOLO_MS';
/**
 * The default time budget, in ms of the main thread's CPU time. A move costs
 * the worker every translation again (its TB cache starts empty): with 200 ms
 * conf-arith and conf-libc, which take 300-650 ms, moved and used 24-43% more
 * CPU; 1000 ms lets every conformance program end here (session 11,
 * reports/measurements/speed.md). The price: host signals, which the main
 * thread's event loop forwards, reach a guest that runs on here up to the
 * budget late.
 */
export const DEFAULT_SOLO_MS = 1000;
/** The wall-clock limit of the phase, in budgets (a loaded host, where the main thread waits for a core). */
const WALL_FACTOR = 3;

/** The budget for this run in ms, 0 for none (off, or a run whose options need the worker from the start). */
function budgetMs(config: RunConfig): number {
  if (process.env[SOLO_ENV] === '0') return 0;
  // --sched hands the baton between workers; --trace labels the lines by thread.
  if (config.sched || config.traceFile) return 0;
  const text = process.env[SOLO_MS_ENV];
  const ms = text === undefined || text === '' ? DEFAULT_SOLO_MS : Number(text);
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return ms;
}

/** The phase's wall-clock limit: --timeout is served by the event loop, which must not wait for the phase. */
function wallLimitMs(config: RunConfig, budget: number): number {
  const wall = budget * WALL_FACTOR;
  return config.timeoutSeconds > 0 ? Math.min(wall, config.timeoutSeconds * 500) : wall;
}

/**
 * Runs the first thread on this (the main) thread: returns the thread to hand
 * to its worker, or null when it ended here (its messages went to `post`).
 */
function run(data: VcpuWorkerData, thread: ThreadAssignment, post: (m: WorkerMessage) => void, ms: number): ThreadAssignment | null {
  const watch = data.soloWatch!;
  try {
    const wall = wallLimitMs(data.config, ms);
    const gate = new SoloGate(performance.now() + wall);
    const vcpu = new PooledVcpu(data, thread, { post, solo: gate });
    coldMark('solo: vCPU ready');
    soloStarted(watch, ms, wall);
    vcpu.runThread(thread);
    const handed = vcpu.handedOver;
    coldMark(handed ? `solo: handed over (${vcpu.handOverReason})` : 'solo: guest ended');
    return handed;
  } finally {
    soloOver(watch);
    // What slot 0's worker does when there is no solo phase, now that this isolate is done with the
    // guest: the workers made from here on optimise on their own thread (host/v8-compile-mode.ts).
    optimiseOnTheRunningThread();
  }
}

export const soloPhase: SoloPhase = { budgetMs, createWatch: createSoloWatch, run };
