// The pool of vCPU workers (main thread). A worker is a host CPU for guest
// threads: it owns one vCPU slot for its whole life, keeps its loaded modules,
// its TB cache and its JIT-compiled code, and runs one guest thread after
// another. Loading a worker costs tens of milliseconds of CPU, so the pool
// keeps as many as the host has cores (at least two) and a spare: a free
// slot whose worker is started. A thread's creator claims the slot itself
// (VcpuTable.allocate prefers slots with a started worker that last ran the
// same address space) and the pool hands the thread to that slot's worker,
// starting one if the slot has none yet.
//
// Cold start (docs/translator.md): the first worker is started before the
// program is loaded (startFirst), so that it loads while the main thread
// reads the ELF, and the spares wait for the run's second thread (a
// pthread_create or a fork): a run that never makes one (most runs) never
// pays for a spare's load, which on a small host would also take CPU from
// the first worker's start and run. From the second thread on the pool
// keeps its size and a spare as before, so pthread_create and fork find a
// warm worker.
//
// The first worker may have been started even earlier, by the command's
// entry before the run command loaded (machine/early-worker.ts): the pool
// then adopts it for slot 0 and posts it its vCPU's data (which such a
// worker waits for as its first message) instead of starting one. With the
// solo phase (machine/solo-phase.ts) slot 0's worker is made only when the
// phase asks for it (startWorker), or at the hand-over.
//
// After shutdown() nothing is started or handed over any more, so a spawn
// that arrives while the run is ending cannot start a worker nobody ends.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MAX_VCPUS, VcpuState, type VcpuTable } from '../exec/vcpu-table.js';
import type { RunBuffers, RunConfig, ThreadAssignment, VcpuWorkerData, WorkerMessage } from './run-config.js';
import { vcpuWorkerOptions } from './vcpu-worker-options.js';

/** How long shutdown waits for workers to stop before giving up on them (a worker blocked in a host read). */
const TERMINATE_GRACE_MS = 2000;

export interface PoolEvents {
  message(m: WorkerMessage): void;
  /** A worker failed on the host side (an emulator bug): the run must end. */
  crash(message: string): void;
}

export class WorkerPool {
  private readonly workers = new Map<number, Worker>();
  private closed = false;
  private readonly target: number;
  /** The run has made a second thread: spares may start. */
  private sparesWanted = false;
  /** Threads handed over so far. */
  private handedOver = 0;
  /** The first thread runs on the main thread first (machine/solo-phase.ts): VcpuWorkerData.soloPhase for slot 0. */
  soloPhase = false;

  constructor(
    private readonly config: RunConfig,
    private readonly run: RunBuffers,
    private readonly workerUrl: URL,
    private readonly table: VcpuTable,
    private readonly events: PoolEvents,
    size = availableParallelism(),
    /**
     * Slot 0's worker, started before the run and waiting for its VcpuWorkerData (machine/early-worker.ts);
     * adopted by the first launch of slot 0, before the event loop delivers any of its events.
     */
    private early: Worker | null = null,
  ) {
    this.target = Math.max(2, Math.min(size, MAX_VCPUS));
  }

  get size(): number {
    return this.workers.size;
  }

  private launch(slot: number): Worker | null {
    if (this.closed) return null;
    const existing = this.workers.get(slot);
    if (existing) return existing;
    this.table.markWorkerStarted(slot);
    const data: VcpuWorkerData = slot === 0 && this.soloPhase
      ? { config: this.config, run: this.run, slot, soloPhase: true }
      : { config: this.config, run: this.run, slot };
    const early = slot === 0 ? this.early : null;
    if (early) this.early = null;
    const worker = early ?? new Worker(this.workerUrl, vcpuWorkerOptions(data));
    if (early) {
      worker.ref(); // keeps the process alive from now on, as the pool's own workers do
      worker.postMessage(data);
    }
    this.workers.set(slot, worker);
    const who = (): string => {
      const st = this.table.state(slot);
      return st === VcpuState.FREE ? '(spare)' : String(this.table.tid(slot));
    };
    worker.on('message', (m: WorkerMessage) => this.events.message(m));
    worker.on('error', (err: Error) => {
      if (this.closed) return;
      this.events.crash(`internal error in the vCPU of thread ${who()}: ${err.message}` +
        (process.env.MTTCG_DEBUG ? `\n${err.stack}` : ' (set MTTCG_DEBUG=1 for the host stack)'));
    });
    worker.on('exit', (code) => {
      if (!this.closed && code !== 0) this.events.crash(`the vCPU worker of thread ${who()} stopped unexpectedly (code ${code})`);
    });
    return worker;
  }

  /** Starts the first vCPU's worker before its thread exists (slot 0 of a fresh table, which allocate picks first). */
  startFirst(): void {
    if (this.workers.size === 0 && this.table.state(0) === VcpuState.FREE) this.launch(0);
  }

  /** Starts the worker of `slot` before its thread is handed over (the solo phase's slot 0). */
  startWorker(slot: number): void {
    this.launch(slot);
  }

  /** Starts spare workers until the pool has its initial size (once the run has a second thread). */
  prestart(): void {
    if (!this.sparesWanted) return;
    for (let s = 0; s < MAX_VCPUS && this.workers.size < this.target && !this.closed; s++) {
      if (!this.workers.has(s) && this.table.state(s) === VcpuState.FREE) this.launch(s);
    }
  }

  /** Hands a thread to the worker of the slot its creator claimed. False once the pool is shut down. */
  start(slot: number, thread: ThreadAssignment): boolean {
    const w = this.launch(slot);
    if (!w) return false;
    w.postMessage(thread);
    if (++this.handedOver === 2) {
      this.sparesWanted = true;
      this.prestart();
    }
    this.keepSpare();
    return true;
  }

  /** Grows the pool on demand: a free slot with a started worker is always there for the next thread. */
  private keepSpare(): void {
    if (!this.sparesWanted) return;
    let free = -1;
    for (let s = 0; s < MAX_VCPUS; s++) {
      if (this.table.state(s) !== VcpuState.FREE) continue;
      if (this.workers.has(s)) return;
      if (free < 0) free = s;
    }
    if (free >= 0) this.launch(free);
  }

  /** Terminates every worker; resolves when all have stopped or after a grace period. */
  shutdown(): Promise<void> {
    this.closed = true;
    const all = Promise.all([...this.workers.values()].map((w) => w.terminate().catch(() => 0)));
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, TERMINATE_GRACE_MS);
      void all.then(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
