// Entry point of a vCPU worker thread. A worker started for a known thread
// runs it at once; a spare worker (pre-started by the supervisor so that
// pthread_create does not wait for module loading) waits for its assignment.

import { parentPort, workerData } from 'node:worker_threads';
import { runVcpu } from './vcpu-main.js';
import type { VcpuAssignment, VcpuWorkerData } from './run-config.js';

const data = workerData as VcpuWorkerData;
if (data.slot >= 0) {
  runVcpu(data);
} else {
  parentPort!.once('message', (a: VcpuAssignment) => runVcpu({ ...data, ...a }));
}
