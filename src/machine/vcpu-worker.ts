// Entry point of a vCPU worker thread. A worker started for a known thread
// runs it at once; a spare worker (pre-started by the supervisor so that
// pthread_create does not wait for module loading) waits for its assignment.
// When its guest thread exits while the process goes on, the worker offers
// itself for the next thread: loading the modules and warming V8 up again
// costs about 200 ms, which made create/join-heavy programs crawl.

import { parentPort, workerData } from 'node:worker_threads';
import { runVcpu } from './vcpu-main.js';
import type { VcpuAssignment, VcpuWorkerData } from '../emulator/process/run-config.js';

const data = workerData as VcpuWorkerData;

function serve(assignment: VcpuAssignment | null): void {
  if (runVcpu(assignment ? { ...data, ...assignment } : data)) {
    parentPort!.postMessage({ type: 'idle' });
    parentPort!.once('message', serve);
  }
}

if (data.slot >= 0) serve(null);
else parentPort!.once('message', serve);
