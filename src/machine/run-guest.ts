// The composition root of a run: the core (src/emulator) gets the strategy
// named in the configuration and the vCPU worker module from here, so that it
// never imports a strategy itself.

import type { RunConfig } from '../emulator/process/run-config.js';
import { runProcess, type RunResult } from '../emulator/process/supervisor.js';
import { findStrategy } from './strategy-registry.js';

const VCPU_WORKER_URL = new URL('./vcpu-worker.js', import.meta.url);

export function runGuest(config: RunConfig, onWarning: (message: string) => void): Promise<RunResult> {
  return runProcess(config, { strategy: findStrategy(config.strategy), vcpuWorkerUrl: VCPU_WORKER_URL }, onWarning);
}
