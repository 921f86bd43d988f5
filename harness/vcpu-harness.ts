// A vCPU without translated code, for unit tests of the atomic strategies and
// of the cross-vCPU protocols: the same GuestMemory, Mmu, HostViews, env,
// VcpuTable slot and SlotControl that machine/vcpu-main.ts builds in a real
// vCPU worker, then `strategy.attach(...)`. Everything shared travels as
// SharedArrayBuffers, so the same harness works in the main thread and in
// worker_threads (HarnessBuffers is structured-cloneable).

import { createEnv, Env } from '../src/emulator/arm/cpu-state.js';
import type { HostViews } from '../src/emulator/atomics/host-views.js';
import { attachStrategy, vcpuServices } from '../src/machine/attach-strategy.js';
import { findStrategy } from '../src/machine/strategy-registry.js';
import type { AtomicVcpu, StrategyOptions } from '../src/emulator/atomics/strategy.js';
import { createVcpuEnv } from '../src/emulator/exec/vcpu-env.js';
import { type SlotControl, VcpuTable } from '../src/emulator/exec/vcpu-table.js';
import { GuestMemory, type GuestMemoryBuffers } from '../src/emulator/softmmu/guest-memory.js';
import { Mmu } from '../src/emulator/softmmu/mmu.js';
import { PAGE_SIZE, PTE_READ, PTE_WRITE } from '../src/emulator/softmmu/page-bits.js';
import { LoweredAtomics } from './lowered-atomics.js';

/** First guest address of the mapped test pages (read/write, frames allocated on first touch). */
export const DATA_BASE = 0x10000;
export const DATA_PAGES = 8;
/** Per-vCPU scratch area (cas64's expected/replacement pairs): one 64-byte block per slot on the last page. */
export const SCRATCH_BASE = DATA_BASE + (DATA_PAGES - 1) * PAGE_SIZE;

export interface HarnessBuffers {
  readonly strategyName: string;
  readonly options: StrategyOptions;
  readonly memory: GuestMemoryBuffers;
  readonly vcpus: SharedArrayBuffer;
  readonly strategy: SharedArrayBuffer | null;
}

/** Creates guest memory with the test pages mapped, a vCPU table and the strategy's shared state (main thread). */
export function createHarness(strategyName: string, options: StrategyOptions = {}): HarnessBuffers {
  // No spare address spaces: a harness never forks, and a test file may make
  // hundreds of harnesses (16 spares of 16 MiB each, cleared by glibc once its
  // mmap threshold has risen, took one test process to 24 GiB and the OOM killer).
  const memory = GuestMemory.create(16, 0);
  new GuestMemory(memory).map(DATA_BASE, DATA_PAGES * PAGE_SIZE, PTE_READ | PTE_WRITE);
  const strategy = findStrategy(strategyName).createShared(options);
  return { strategyName, options: { ...options }, memory, vcpus: VcpuTable.create(), strategy };
}

/**
 * Claims n vCPU slots (state STARTING, as the supervisor does before a worker
 * runs). A STARTING slot is quiescent, so sections and flushes never wait for
 * a worker that is still loading.
 */
export function allocateSlots(buffers: HarnessBuffers, n: number): number[] {
  const table = new VcpuTable(buffers.vcpus);
  const slots: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = table.allocate(1000 + i);
    if (s < 0) throw new Error('harness: no free vCPU slot');
    slots.push(s);
  }
  return slots;
}

/** One vCPU attached to the shared buffers, in the calling thread. */
export class HarnessVcpu {
  readonly mem: GuestMemory;
  readonly table: VcpuTable;
  readonly mmu: Mmu;
  readonly views: HostViews;
  readonly env: Int32Array;
  readonly control: SlotControl;
  readonly atomics: AtomicVcpu;
  /** The strategy's lowering strings compiled as the backend compiles a TB. */
  readonly ops: LoweredAtomics;

  constructor(
    readonly buffers: HarnessBuffers,
    readonly slot: number,
  ) {
    this.mem = new GuestMemory(buffers.memory);
    this.table = new VcpuTable(buffers.vcpus);
    this.mmu = new Mmu(this.mem);
    this.mmu.tlbUserId = slot + 1; // as vcpu-main.ts does
    // With the interpreter's temp slots after it, as vcpu-main.ts makes it, so that a Vcpu can run on it.
    this.env = createVcpuEnv(Env.SIZE);
    this.env.set(createEnv());
    this.control = this.table.control(slot, this.mmu.tlb);
    const services = vcpuServices(slot, this.env, this.mmu, this.mem, this.control);
    this.views = services.views;
    this.atomics = attachStrategy(findStrategy(buffers.strategyName), buffers.strategy, services, buffers.options);
    this.ops = new LoweredAtomics(this.atomics, this.env, this.mmu, this.control, SCRATCH_BASE + 64 * slot);
  }

  /** STARTING -> RUNNING, waiting out any exclusive section (vcpu-main does this before vcpu.run()). */
  start(): void {
    this.control.leaveBlocking();
  }

  /** The cpu loop's TB-boundary check: serve pending requests (flush, park). */
  boundary(): void {
    if (Atomics.load(this.control.pending, this.control.pendingIndex) !== 0) this.control.serveRequests();
  }

  /** Frees the slot: sections and flushes stop waiting for this vCPU (as a thread's exit does). */
  release(): void {
    this.table.release(this.slot);
  }
}

/** A single vCPU in the calling thread, started (tests of one vCPU's semantics). */
export function singleVcpu(strategyName: string, options: StrategyOptions = {}): HarnessVcpu {
  const buffers = createHarness(strategyName, options);
  const v = new HarnessVcpu(buffers, allocateSlots(buffers, 1)[0]!);
  v.start();
  return v;
}

/**
 * Several vCPUs in the calling thread, taking turns: the one that is not
 * running is blocked (enterBlocking), as a thread sleeping in the kernel is,
 * so flushes and exclusive sections started by the running one never wait
 * for it, and on its turn it serves what it missed (leaveBlocking).
 * Deterministic interleavings of two vCPUs without threads.
 */
export class TakingTurns {
  private current: HarnessVcpu;

  constructor(readonly vcpus: readonly HarnessVcpu[]) {
    for (const v of vcpus) v.start();
    for (const v of vcpus.slice(1)) v.control.enterBlocking(false);
    this.current = vcpus[0]!;
  }

  /** Runs fn on vCPU v (index into vcpus), blocking the one that ran before. */
  on<T>(index: number, fn: (v: HarnessVcpu) => T): T {
    const v = this.vcpus[index]!;
    if (v !== this.current) {
      this.current.control.enterBlocking(false);
      v.control.leaveBlocking();
      this.current = v;
    }
    return fn(v);
  }
}

/** n vCPUs of one strategy in the calling thread, taking turns (vCPU 0 runs first). */
export function vcpusTakingTurns(strategyName: string, n: number, options: StrategyOptions = {}): TakingTurns {
  const buffers = createHarness(strategyName, options);
  return new TakingTurns(allocateSlots(buffers, n).map((s) => new HarnessVcpu(buffers, s)));
}
