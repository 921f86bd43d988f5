// One vCPU inside its worker: attaches to the shared process buffers, builds
// the vCPU (MMU, TLB, strategy, TB cache) and runs the guest thread until it
// exits, the process exits, or it faults.

import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { Env } from '../emulator/arm/cpu-state.js';
import { attachStrategy, vcpuServices } from './attach-strategy.js';
import { findStrategy } from './strategy-registry.js';
import { StatsBoard } from '../emulator/exec/stats-board.js';
import { UnsupportedGuestCode, Vcpu } from '../emulator/exec/vcpu.js';
import { VcpuTable } from '../emulator/exec/vcpu-table.js';
import { FdTable } from '../emulator/linux-user/fd-table.js';
import { ProcessExit, ThreadExit } from '../emulator/linux-user/guest-exit.js';
import { KernelState } from '../emulator/linux-user/kernel-state.js';
import { signalName } from '../emulator/linux-user/signal-numbers.js';
import { SyscallDispatcher } from '../emulator/linux-user/syscall-dispatch.js';
import { futexIndex } from '../emulator/linux-user/sys-futex.js';
import { GuestFault, hex } from '../emulator/softmmu/guest-fault.js';
import { GuestMemory } from '../emulator/softmmu/guest-memory.js';
import { ResourceExhausted } from '../emulator/resource-exhausted.js';
import { threadCpu, threadCpuSince } from '../host/thread-cpu.js';
import { KernelAccess } from '../emulator/softmmu/kernel-access.js';
import { Mmu } from '../emulator/softmmu/mmu.js';
import { GuestThread } from '../emulator/process/guest-thread.js';
import { attachSignalState } from '../emulator/process/process-signals.js';
import { SignalDelivery } from '../emulator/linux-user/signal-delivery.js';
import type { VcpuWorkerData, WorkerMessage } from '../emulator/process/run-config.js';
import { collectStats } from '../emulator/process/vcpu-stats.js';

/** Runs one guest thread; true if it exited alone (the worker may take another thread). */
export function runVcpu(data: VcpuWorkerData): boolean {
  const { config, buffers, slot, tid } = data;
  // this vCPU's own CPU time for --stats (a pooled worker may have run another thread before)
  const cpuAtStart = config.stats ? threadCpu() : null;
  const wallAtStart = process.hrtime.bigint();
  const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

  const mem = new GuestMemory(buffers.memory);
  const kernel = new KernelState(buffers.kernel);
  const fds = new FdTable(buffers.fds);
  const table = new VcpuTable(buffers.vcpus);
  const board = new StatsBoard(buffers.stats);
  const mmu = new Mmu(mem);
  const control = table.control(slot, mmu.tlb);
  const signals = attachSignalState(buffers.signals, table, mem);
  const env = new Int32Array(Env.SIZE);
  env.set(data.env);
  const access = new KernelAccess(mem);
  const thread = new GuestThread(
    tid, slot, env, access,
    { allowDirs: config.allowDirs, exePath: config.exePath, guestExePath: config.argv[0] ?? config.exePath },
    kernel, signals, mem, mmu, fds, table, control, data.clearChildTid,
  );
  const delivery = new SignalDelivery(thread);
  control.deliverSignals = () => delivery.deliverPending();

  const services = vcpuServices(slot, env, mmu, mem, control);
  const atomics = attachStrategy(findStrategy(config.strategy), buffers.strategy, services, config.strategyOptions);

  const dispatcher = new SyscallDispatcher(fds);
  const traceFd = config.traceFile ? openSync(config.traceFile, slot === 0 ? 'w' : 'a') : -1;
  const vcpu = new Vcpu(env, mmu, atomics, control, () => {
    atomics.onSyscall();
    dispatcher.dispatch(thread);
  }, {
    maxInsns: config.maxInsns,
    chaining: config.chaining,
    trace: traceFd >= 0 ? (text) => writeSync(traceFd, text) : null,
    dumpJs: config.dumpJsDir ? (pc, src) => writeFileSync(join(config.dumpJsDir!, `tb_${slot}_${hex(pc)}.js`), src) : null,
  });

  function stats(): Record<string, number | string> {
    return { ...collectStats(tid, vcpu, mmu, atomics, dispatcher, control), ...threadCpuSince(cpuAtStart, wallAtStart) };
  }
  if (config.stats) control.publishStats = () => board.publish(slot, stats());

  /** exit(2) of one thread: clear and wake child_tid, free the slot. True if other threads go on. */
  function endThread(code: number): boolean {
    if (thread.clearChildTid !== 0) {
      try {
        access.writeU32(thread.clearChildTid, 0);
        const idx = futexIndex(thread, thread.clearChildTid);
        if (idx >= 0) Atomics.notify(mem.i32, idx, 1);
      } catch {
        // An unmapped clear_child_tid is ignored, as the kernel does.
      }
    }
    const s = config.stats ? stats() : null;
    if (s) board.publish(slot, s);
    signals.detachThread(slot);
    const left = kernel.threadExited();
    // Publish before releasing the slot: a flush or exclusive section no longer waits for us.
    table.release(slot);
    if (left === 0) {
      post({ type: 'process-exit', status: code & 0xff, report: '', slot });
      return false;
    }
    post({ type: 'thread-exit', slot, tid, stats: s });
    return true;
  }

  function endProcess(status: number, report: string): void {
    if (config.stats) board.publish(slot, stats());
    if (kernel.beginExit(status)) post({ type: 'process-exit', status, report, slot });
  }

  // Fault injection for the robustness tests: a host error inside a vCPU worker.
  if (process.env.MTTCG_INJECT_FAULT === 'worker-crash' && slot > 0) {
    throw new Error('fault injected by MTTCG_INJECT_FAULT=worker-crash');
  }

  try {
    control.leaveBlocking(); // wait out any exclusive section before running guest code
    vcpu.run();
  } catch (e) {
    if (traceFd >= 0) closeSync(traceFd);
    if (e instanceof ThreadExit) return endThread(e.code);
    if (e instanceof ProcessExit) endProcess(e.status, e.report);
    else if (e instanceof GuestFault) {
      endProcess(128 + e.signal, `thread ${tid}: ${signalName(e.signal)}: ${e.message}`);
    } else if (e instanceof UnsupportedGuestCode) {
      endProcess(132, `thread ${tid}: ${e.message}`);
    } else if (e instanceof ResourceExhausted) {
      endProcess(137, `thread ${tid}: ${e.message}`);
    } else {
      throw e; // a host error: the supervisor reports the crash
    }
  }
  return false;
}
