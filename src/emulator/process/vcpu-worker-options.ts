// How every vCPU worker thread is made: by the pool (worker-pool.ts) and by
// the command's entry before the run command loads (machine/early-worker.ts).
// Its own module so that the entry's small bundle need not carry the pool.

import type { WorkerOptions } from 'node:worker_threads';

/**
 * The guest's output goes to the host's fds directly, not through the
 * worker's streams; and host fds belong to the process, not to the worker
 * that opened them (guest fds and file mappings outlive it and are closed by
 * another vCPU), so a worker's exit closes none of them.
 */
export function vcpuWorkerOptions(workerData: unknown): WorkerOptions {
  return { workerData, stdout: false, stderr: false, trackUnmanagedFds: false };
}
