// The solo phase's time budget and the first worker's start, kept by the
// main thread itself (solo-phase.ts). Nothing interrupts a guest loop
// without syscalls on the main thread (its event loop does not turn while the
// guest runs there), so the cpu loop calls tick() every few thousand guest
// blocks (Vcpu.tickEvery), a few times per ms of guest time. A tick reads
// the wall clock; every CPU_READ_MS of it, the thread's own CPU time too (a
// read of /proc, host/thread-cpu.ts).
//
// The budget is the main thread's CPU time, so that a loaded host, where the
// main thread waits for a core, does not move a short program to its worker;
// a wall-clock limit (--timeout, which the main thread's event loop serves,
// caps it) ends the phase too. Once either is used the watch asks the vCPU
// to hand the thread over (REQ_HANDOVER on its own slot), served at the same
// TB boundary.
//
// Slot 0's worker is not made before the thread needs it (a program that
// ends in the phase never pays for a worker's start, nor for its teardown at
// the exit), but a phase that runs long makes it at WORKER_AT of either
// limit, so that the move at the budget finds it loaded.

import { REQ_HANDOVER, VcpuTable } from '../emulator/exec/vcpu-table.js';
import { threadCpu } from '../host/thread-cpu.js';

/** How often a tick reads the thread's CPU time, in ms of wall time. */
const CPU_READ_MS = 5;
/** The part of the budget (or of the wall-clock limit) after which the worker is made, unless the phase asks for its own. */
export const WORKER_AT = 0.75;

export interface SoloLimits {
  /** The budget, in ms of the main thread's CPU time. */
  readonly cpuMs: number;
  /** The phase's wall-clock limit in ms. */
  readonly wallMs: number;
  /** The worker is made once the phase has used this much of the main thread's CPU time, in ms. */
  readonly workerCpuMs: number;
}

export class SoloWatch {
  private readonly startWall = performance.now();
  private readonly startCpuNs = threadCpu()?.cpuNs ?? -1;
  private nextCpuRead = this.startWall + CPU_READ_MS;
  private workerMade = false;
  private expired = false;

  /**
   * vcpus and slot: the run's vCPU table and the phase's slot; startWorker
   * makes slot 0's worker (`why` is for the cold trace).
   */
  constructor(
    private readonly limits: SoloLimits,
    private readonly vcpus: SharedArrayBuffer,
    private readonly slot: number,
    private readonly startWorker: (why: string) => void,
  ) {}

  /** Called by the cpu loop at a TB boundary, a few times per ms. */
  readonly tick = (): void => {
    if (this.expired) return;
    const wall = performance.now() - this.startWall;
    if (wall >= this.limits.wallMs) return this.expire();
    if (!this.workerMade && wall >= this.limits.wallMs * WORKER_AT) this.makeWorker(`solo phase at ${Math.round(wall)} ms wall`);
    if (this.startWall + wall < this.nextCpuRead || this.startCpuNs < 0) return;
    this.nextCpuRead = this.startWall + wall + CPU_READ_MS;
    const cpuMs = this.phaseCpuMs();
    if (cpuMs < 0) return;
    if (cpuMs >= this.limits.cpuMs) return this.expire();
    if (!this.workerMade && cpuMs >= this.limits.workerCpuMs) this.makeWorker(`solo phase at ${Math.round(cpuMs)} ms CPU`);
  };

  /** The phase's CPU time so far in ms (the main thread's), or -1 where the clock is missing. */
  phaseCpuMs(): number {
    const now = threadCpu()?.cpuNs ?? -1;
    return now < 0 || this.startCpuNs < 0 ? -1 : (now - this.startCpuNs) / 1e6;
  }

  private makeWorker(why: string): void {
    this.workerMade = true;
    this.startWorker(why);
  }

  private expire(): void {
    this.expired = true;
    new VcpuTable(this.vcpus).request(this.slot, REQ_HANDOVER);
  }
}
