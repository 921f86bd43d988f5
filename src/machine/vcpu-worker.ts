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

let vcpu: PooledVcpu | null = null;

function serveWith(data: VcpuWorkerData): void {
  // The first thread runs on the main thread first: its isolate may run the translator yet (this worker can
  // be made during the phase). V8's flags are process-wide, so the switch below waits for the phase's end,
  // where the main thread makes it (machine/solo-phase.ts).
  if (!data.soloPhase) optimiseOnTheRunningThread();
  const serve = (thread: ThreadAssignment): void => {
    coldMark('thread received');
    vcpu ??= new PooledVcpu(data, thread);
    coldMark('vCPU ready');
    if (vcpu.runThread(thread)) parentPort!.once('message', serve);
  };
  parentPort!.once('message', serve);
}

// Fault injection for the robustness tests: the first vCPU's worker fails as it loads (an early one before the
// pool adopts it; the solo phase's when the phase makes it).
if (process.env.MTTCG_INJECT_FAULT === 'early-worker-crash' && (isEarlyWorkerData(workerData) || (workerData as VcpuWorkerData).slot === 0)) {
  throw new Error('fault injected by MTTCG_INJECT_FAULT=early-worker-crash');
}

if (isEarlyWorkerData(workerData)) {
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
