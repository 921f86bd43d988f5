// The solo phase (cold start, docs/translator.md "Start-up"): the first
// guest thread runs on the main thread first, and moves to its worker only
// when it needs to. A short program (busybox `true`, most conformance
// programs) then never waits for a worker's start (an isolate, Node's worker
// bootstrap, its bundle: about as long as Node's own start), which the main
// thread used to wait for after loading the program.
//
// The main thread's event loop serves the pool, host signals, --timeout, the
// guest's timers and deadlock detection, and stops while the guest runs here.
// So the thread moves to slot 0's worker at the first syscall that is not
// local (solo-syscalls.ts: clone, fork, execve, anything that waits or
// signals, timers), or at a TB boundary once the time budget is used, which
// the main thread keeps itself through the cpu loop's tick (solo-watch.ts),
// with its registers exact: the local monitor cleared as on any exception or
// context switch, the signal state and the process in shared memory as for
// any thread, and an SVC it stopped at run first by the worker. Slot 0's
// worker is made at the move, or once the phase has used three quarters of
// its budget (so that a move at the budget finds it loaded), or earlier when
// the program's last run moved at a syscall (solo-hint.ts): a program that
// ends here with local syscalls only never makes a worker, and its exit
// waits for none.
//
// MTTCG_SOLO=0 turns it off (the thread goes to its worker at once, as
// before); MTTCG_SOLO_MS sets the budget, in ms of the main thread's CPU
// time; the phase also ends after WALL_FACTOR times that in wall time, or
// half of --timeout, whichever is first (the event loop serves --timeout,
// host signals and the guest's timers). MTTCG_SOLO_WORKER_MS sets when the
// worker is made, in ms of the main thread's CPU time (default: the hint's,
// else WORKER_AT of the budget, solo-watch.ts).

import { availableParallelism, loadavg } from 'node:os';
import type { ThreadAssignment, VcpuWorkerData, WorkerMessage, RunConfig } from '../emulator/process/run-config.js';
import type { SoloPhase } from '../emulator/process/supervisor.js';
import { coldMark } from '../host/cold-trace.js';
import { optimiseOnTheRunningThread } from '../host/v8-compile-mode.js';
import { SoloGate } from './solo-gate.js';
import { HintSlot, LEAD_MS, hintedWorkerCpuMs, spareCore, type SoloHint } from './solo-hint.js';
import { SoloWatch, WORKER_AT } from './solo-watch.js';
import { PooledVcpu } from './vcpu-main.js';

export const SOLO_ENV = 'MTTCG_SOLO';
export const SOLO_MS_ENV = 'MTTCG_SOLO_MS';
export const SOLO_WORKER_MS_ENV = 'MTTCG_SOLO_WORKER_MS';
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
 * When the worker is made during a phase with budget `budget`, in ms of the
 * main thread's CPU time: MTTCG_SOLO_WORKER_MS, else LEAD_MS before the
 * last run's move (solo-hint.ts), else WORKER_AT of the budget.
 */
function workerCpuMs(budget: number, hint: SoloHint | null): { readonly ms: number; readonly hinted: boolean } {
  const text = process.env[SOLO_WORKER_MS_ENV];
  const ms = text === undefined || text === '' ? NaN : Number(text);
  if (Number.isFinite(ms) && ms >= 0) return { ms, hinted: false };
  return hint ? { ms: Math.min(hintedWorkerCpuMs(hint), budget * WORKER_AT), hinted: true } : { ms: budget * WORKER_AT, hinted: false };
}

/** Keeps the program's hint for its next run: a move at a syscall, or an end in the phase. */
function learn(slot: HintSlot | null, hint: SoloHint | null, handed: boolean, why: string, watch: SoloWatch): void {
  if (slot === null) return;
  if (!handed) {
    if (hint) slot.remove();
    return;
  }
  if (!why.startsWith('syscall ')) return; // the budget: the watch makes that worker by its own rule
  const cpuMs = watch.phaseCpuMs();
  // Rewritten only when the move is new, or its time far from the hint's (another input, another host).
  if (cpuMs >= 0 && (!hint || Math.abs(hint.moveCpuMs - cpuMs) > LEAD_MS)) slot.write({ moveCpuMs: cpuMs, why });
}

/**
 * Runs the first thread on this (the main) thread: returns the thread to hand
 * to its worker, or null when it ended here (its messages went to `post`).
 * startWorker makes slot 0's worker (`why`: for the cold trace), at most once.
 */
function run(
  data: VcpuWorkerData, thread: ThreadAssignment, post: (m: WorkerMessage) => void, ms: number,
  startWorker: (why: string) => void,
): ThreadAssignment | null {
  let made = false;
  const makeWorker = (why: string): void => {
    if (made) return;
    made = true;
    startWorker(why);
  };
  const hintSlot = HintSlot.of(data.config);
  const hint = hintSlot?.read() ?? null;
  const useHint = hint !== null && spareCore();
  if (hint && !useHint) coldMark(`solo: hint not used (load ${loadavg()[0].toFixed(1)}, ${availableParallelism()} cores)`);
  let vcpu: PooledVcpu;
  let watch: SoloWatch;
  try {
    vcpu = new PooledVcpu(data, thread, { post, solo: new SoloGate() });
    coldMark('solo: vCPU ready');
    const worker = workerCpuMs(ms, useHint ? hint : null);
    const limits = { cpuMs: ms, wallMs: wallLimitMs(data.config, ms), workerCpuMs: worker.ms };
    const hinted = worker.hinted && hint ? `; hint: the last run moved at ${hint.why} after ${hint.moveCpuMs} ms` : '';
    watch = new SoloWatch(limits, data.run.vcpus, data.slot, (why) => makeWorker(why + hinted));
    if (limits.workerCpuMs === 0) makeWorker(`solo phase start${hinted}`);
    vcpu.tickEvery(watch.tick);
    vcpu.runThread(thread);
  } finally {
    // What slot 0's worker does when there is no solo phase, now that this isolate is done with the
    // guest: the workers made from here on optimise on their own thread (host/v8-compile-mode.ts).
    optimiseOnTheRunningThread();
  }
  const handed = vcpu.handedOver;
  coldMark(handed ? `solo: handed over (${vcpu.handOverReason})` : 'solo: guest ended');
  if (handed) makeWorker(`hand-over: ${vcpu.handOverReason}`);
  learn(hintSlot, hint, handed !== null, vcpu.handOverReason, watch);
  return handed;
}

export const soloPhase: SoloPhase = { budgetMs, run };
