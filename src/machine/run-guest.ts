// The composition root of a run: the core (src/emulator) gets the strategy
// named in the configuration and the vCPU worker module from here, so that it
// never imports a strategy itself; the first vCPU's worker when the
// command's entry started it before the run command loaded; and the solo
// phase that runs the first thread on the main thread first.

import type { RunConfig } from '../emulator/process/run-config.js';
import { runProcess, type RunResult } from '../emulator/process/supervisor.js';
import { findStrategy } from './strategy-registry.js';
import { takeEarlyWorker } from './early-worker.js';
import { soloPhase } from './solo-phase.js';

const VCPU_WORKER_URL = new URL('./vcpu-worker.js', import.meta.url);

export function runGuest(config: RunConfig, onWarning: (message: string) => void): Promise<RunResult> {
  const parts = { strategy: findStrategy(config.strategy), vcpuWorkerUrl: VCPU_WORKER_URL, earlyWorker: takeEarlyWorker(VCPU_WORKER_URL), solo: soloPhase };
  return runProcess(config, parts, onWarning);
}
