// Entry point of a pooled vCPU worker thread. It waits for its first guest
// thread, builds its vCPU for good (see vcpu-main.ts), and after each thread
// that ends while its process goes on, waits for the next. A worker the
// command's entry started before the run existed (early-worker.ts) first
// waits for its vCPU's data, which the pool posts when it adopts it.

import { parentPort, workerData } from 'node:worker_threads';
import { PooledVcpu } from './vcpu-main.js';
import type { ThreadAssignment, VcpuWorkerData } from '../emulator/process/run-config.js';
import { coldMark, coldTraceLabel } from '../host/cold-trace.js';
import { optimiseOnTheRunningThread } from '../host/v8-compile-mode.js';
import { isEarlyWorkerData } from './early-worker.js';
import { keepSoloBudget } from './solo-watch.js';

let vcpu: PooledVcpu | null = null;

function serveWith(data: VcpuWorkerData): void {
  // The first thread runs on the main thread first: keep its time budget until it comes here (or ends there).
  // The main thread's isolate runs the translator meanwhile: V8's flags are process-wide, so the switch
  // below waits for the phase's end, where the main thread makes it (machine/solo-phase.ts).
  if (data.soloWatch) keepSoloBudget(data.soloWatch, data.run.vcpus, data.slot);
  else optimiseOnTheRunningThread();
  const serve = (thread: ThreadAssignment): void => {
    coldMark('thread received');
    vcpu ??= new PooledVcpu(data, thread);
    coldMark('vCPU ready');
    if (vcpu.runThread(thread)) parentPort!.once('message', serve);
  };
  parentPort!.once('message', serve);
}

if (isEarlyWorkerData(workerData)) {
  // Fault injection for the robustness tests: the early worker fails before the pool adopts it.
  if (process.env.MTTCG_INJECT_FAULT === 'early-worker-crash') throw new Error('fault injected by MTTCG_INJECT_FAULT=early-worker-crash');
  coldTraceLabel(`vcpu${workerData.earlySlot}`);
  coldMark('worker modules evaluated');
  parentPort!.once('message', (data: VcpuWorkerData) => {
    coldMark('vCPU data received');
    serveWith(data);
  });
} else {
  const data = workerData as VcpuWorkerData;
  coldTraceLabel(`vcpu${data.slot}`);
  coldMark('worker modules evaluated');
  serveWith(data);
}
