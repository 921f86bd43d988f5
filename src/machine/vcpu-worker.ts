// Entry point of a pooled vCPU worker thread. It waits for its first guest
// thread, builds its vCPU for good (see vcpu-main.ts), and after each thread
// that ends while its process goes on, waits for the next.

import { parentPort, workerData } from 'node:worker_threads';
import { PooledVcpu } from './vcpu-main.js';
import type { ThreadAssignment, VcpuWorkerData } from '../emulator/process/run-config.js';
import { coldMark, coldTraceLabel } from '../host/cold-trace.js';
import { optimiseOnTheRunningThread } from '../host/v8-compile-mode.js';

optimiseOnTheRunningThread();

const data = workerData as VcpuWorkerData;
coldTraceLabel(`vcpu${data.slot}`);
coldMark('worker modules evaluated');
let vcpu: PooledVcpu | null = null;

function serve(thread: ThreadAssignment): void {
  coldMark('thread received');
  vcpu ??= new PooledVcpu(data, thread);
  coldMark('vCPU ready');
  if (vcpu.runThread(thread)) parentPort!.once('message', serve);
}

parentPort!.once('message', serve);
