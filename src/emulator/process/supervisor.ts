// The main thread of a run: loads the program, starts one worker per guest
// thread, and ends the run on exit_group, a fault, a crashed worker, a guest
// deadlock or --timeout, always with a clear message and an exit status.

import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { createEnv } from '../arm/cpu-state.js';
import type { AtomicStrategy } from '../atomics/strategy.js';
import { StatsBoard } from '../exec/stats-board.js';
import { REQ_STATS, VcpuState, VcpuTable } from '../exec/vcpu-table.js';
import { ElfError } from '../linux-user/elf-file.js';
import { FdTable } from '../linux-user/fd-table.js';
import { GUEST_PID, KernelState } from '../linux-user/kernel-state.js';
import { loadProgram } from '../linux-user/loader.js';
import { SignalState } from '../linux-user/signal-state.js';
import { attachSignalState } from './process-signals.js';
import { GuestMemory } from '../softmmu/guest-memory.js';
import { KernelAccess } from '../softmmu/kernel-access.js';
import { sleepMs } from '../shared/host-sleep.js';
import type { ProcessBuffers, RunConfig, VcpuWorkerData, WorkerMessage } from './run-config.js';

export const EXIT_TIMEOUT = 124;
export const EXIT_DEADLOCK = 125;
export const EXIT_INTERNAL = 70;

export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunError';
  }
}

export interface RunResult {
  readonly status: number;
  /** Why the run ended, when not a plain exit (fault, deadlock, timeout, crash). */
  readonly report: string;
  /** Per-thread --stats records, in tid order. */
  readonly stats: Record<string, number | string>[];
  readonly process: Record<string, number>;
}

/** What the composition root (src/machine/) chooses for a run: the core never picks a strategy itself. */
export interface MachineParts {
  readonly strategy: AtomicStrategy;
  /** The module each vCPU worker thread runs (src/machine/vcpu-worker.ts). */
  readonly vcpuWorkerUrl: URL;
}

export function prepareProcess(config: RunConfig, strategy: AtomicStrategy): { buffers: ProcessBuffers; env: Int32Array; mem: GuestMemory } {
  let file: Uint8Array;
  try {
    file = readFileSync(config.exePath);
  } catch (e) {
    throw new RunError(`cannot read ${config.exePath}: ${(e as Error).message}`);
  }
  const memory = GuestMemory.create(config.memoryMb);
  const mem = new GuestMemory(memory);
  let loaded;
  try {
    loaded = loadProgram(mem, new KernelAccess(mem), file, { argv: config.argv, envp: config.envp, execfn: config.exePath });
  } catch (e) {
    if (e instanceof ElfError) throw new RunError(`${config.exePath}: ${e.message}`);
    throw e;
  }
  const buffers: ProcessBuffers = {
    memory,
    kernel: KernelState.create(loaded.brkStart),
    signals: SignalState.create(GUEST_PID),
    fds: FdTable.create(),
    vcpus: VcpuTable.create(),
    stats: StatsBoard.create(),
    strategy: strategy.createShared(config.strategyOptions),
  };
  const env = createEnv();
  env.set(loaded.regs.subarray(0, 16));
  return { buffers, env, mem };
}

export function runProcess(config: RunConfig, parts: MachineParts, onWarning: (message: string) => void): Promise<RunResult> {
  const { buffers, env, mem } = prepareProcess(config, parts.strategy);
  const table = new VcpuTable(buffers.vcpus);
  const signals = attachSignalState(buffers.signals, table, mem);
  const board = new StatsBoard(buffers.stats);
  const workers = new Map<number, Worker>();
  const allWorkers: Worker[] = [];
  const finishedStats: Record<string, number | string>[] = [];
  const warned = new Set<string>();
  let done = false;

  return new Promise<RunResult>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (status: number, report: string): void => {
      if (done) return;
      done = true;
      for (const t of timers) clearInterval(t);
      const stats = config.stats ? gatherStats() : [];
      const counters = table.counters();
      void Promise.all(allWorkers.map((w) => w.terminate())).then(() =>
        resolve({ status, report, stats, process: { ...counters, peakFrames: mem.frameStats().peak } }));
    };

    const gatherStats = (): Record<string, number | string>[] => {
      table.requestAll(REQ_STATS);
      const deadline = Date.now() + 300;
      const live = table.snapshot().filter((s) => s.state === VcpuState.RUNNING);
      const seen = new Map<number, Record<string, number | string>>();
      for (const r of finishedStats) seen.set(Number(r.tid), r);
      while (Date.now() < deadline && live.some((s) => board.read(s.slot)?.tid !== s.tid)) {
        sleepMs(5);
      }
      for (const s of table.snapshot()) {
        const r = board.read(s.slot);
        if (r && r.tid === s.tid) seen.set(s.tid, r);
      }
      return [...seen.values()].sort((a, b) => Number(a.tid) - Number(b.tid));
    };

    // One spare worker is kept loaded so that a new thread starts without
    // waiting for module loading; workers whose thread exited wait (idle) to
    // be reused before a new one is launched.
    const owner = new Map<Worker, { slot: number; tid: number }>();
    const idle: Worker[] = [];
    const launch = (data: VcpuWorkerData): Worker => {
      const w = new Worker(parts.vcpuWorkerUrl, { workerData: data, stdout: false, stderr: false });
      allWorkers.push(w);
      w.on('message', (m: WorkerMessage) => onMessage(m, w));
      w.on('error', (err: Error) => {
        const who = owner.get(w);
        finish(EXIT_INTERNAL, `internal error in the vCPU of thread ${who?.tid ?? '(spare)'}: ${err.message}` +
          (process.env.MTTCG_DEBUG ? `\n${err.stack}` : ' (set MTTCG_DEBUG=1 for the host stack)'));
      });
      w.on('exit', (code) => {
        const who = owner.get(w);
        if (who && workers.get(who.slot) === w) workers.delete(who.slot);
        if (code !== 0 && !done) finish(EXIT_INTERNAL, `the vCPU worker of thread ${who?.tid ?? '(spare)'} stopped unexpectedly (code ${code})`);
      });
      return w;
    };
    let spare: Worker | null = null;
    const start = (slot: number, tid: number, initial: Int32Array, clearChildTid: number): void => {
      let w = idle.pop() ?? spare;
      if (w) {
        if (w === spare) spare = null;
        w.postMessage({ slot, tid, env: initial, clearChildTid });
      } else {
        w = launch({ config, buffers, slot, tid, env: initial, clearChildTid });
      }
      owner.set(w, { slot, tid });
      workers.set(slot, w);
      if (!spare && idle.length === 0) spare = launch({ config, buffers, slot: -1, tid: 0, env: initial, clearChildTid: 0 });
    };

    const onMessage = (m: WorkerMessage, from: Worker): void => {
      switch (m.type) {
        case 'warn':
          if (!warned.has(m.key)) {
            warned.add(m.key);
            onWarning(m.message);
          }
          break;
        case 'spawn':
          start(m.slot, m.tid, m.env, m.clearChildTid);
          break;
        case 'thread-exit':
          if (m.stats) finishedStats.push(m.stats);
          break;
        case 'process-exit':
          finish(m.status, m.report);
          break;
        case 'idle': {
          const who = owner.get(from);
          if (who && workers.get(who.slot) === from) workers.delete(who.slot);
          owner.delete(from);
          idle.push(from);
          break;
        }
      }
    };

    const slot = table.allocate(GUEST_PID);
    signals.attachThread(slot, GUEST_PID, 0, 0);
    start(slot, GUEST_PID, env, 0);
    if (config.timeoutSeconds > 0) {
      timers.push(setTimeout(() => finish(EXIT_TIMEOUT, `timed out after ${config.timeoutSeconds} s (--timeout)`),
        config.timeoutSeconds * 1000));
    }
    timers.push(deadlockMonitor(table, config.deadlockSeconds, (report) => finish(EXIT_DEADLOCK, report)));
  });
}

/** Reports when every thread has sat in an untimed futex wait, with no wake-up, for the grace period. */
function deadlockMonitor(table: VcpuTable, graceSeconds: number, report: (text: string) => void): NodeJS.Timeout {
  let since = 0;
  let lastKey = '';
  return setInterval(() => {
    const snap = table.snapshot();
    const allBlocked = snap.length > 0 && snap.every((s) => s.state === VcpuState.BLOCKED && s.blockKind === 1);
    const key = snap.map((s) => `${s.slot}:${s.blockSeq}`).join(',');
    if (!allBlocked || key !== lastKey) {
      since = allBlocked ? Date.now() : 0;
      lastKey = key;
      return;
    }
    if (since && Date.now() - since >= graceSeconds * 1000) {
      const who = snap.map((s) => `thread ${s.tid} waits on futex 0x${(s.blockAddr >>> 0).toString(16)}`).join('; ');
      report(`guest deadlock: every thread is blocked in a futex wait with no timeout (${who})`);
    }
  }, 100);
}

