// The main thread of a run: loads the program, starts one worker per guest
// thread, and ends the run on exit_group, a fault, a crashed worker, a guest
// deadlock or --timeout, always with a clear message and an exit status.

import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { createEnv } from '../arm/cpu-state.js';
import type { AtomicStrategy } from '../atomics/strategy.js';
import { StatsBoard } from '../exec/stats-board.js';
import { REQ_STATS, VcpuState, VcpuTable } from '../exec/vcpu-table.js';
import { FIRST_PID, ProcessTable } from '../linux-user/process-table.js';
import { ElfError } from '../linux-user/elf-file.js';
import { ResourceExhausted } from '../resource-exhausted.js';
import { FdTable } from '../linux-user/fd-table.js';
import { GUEST_PID, KernelState } from '../linux-user/kernel-state.js';
import { interpreterReader } from '../linux-user/exec-file.js';
import { loadProgram, startAtEntry } from '../linux-user/loader.js';
import { SignalState } from '../linux-user/signal-state.js';
import { ShmTable } from '../linux-user/shm-table.js';
import { attachSignalState } from './process-signals.js';
import { forwardHostSignals } from './host-signals.js';
import { TimerService } from './timer-service.js';
import { GuestMemory } from '../softmmu/guest-memory.js';
import { KernelAccess } from '../softmmu/kernel-access.js';
import { sleepMs } from '../shared/host-sleep.js';
import type { ProcessBuffers, RunBuffers, RunConfig, ThreadAssignment, VcpuWorkerData, WorkerMessage } from './run-config.js';
import { WorkerPool, type PoolEvents } from './worker-pool.js';
import { SchedBoard } from '../sched/sched-board.js';
import { scheduleHeader, type SchedSpec } from '../sched/sched-spec.js';
import { seedRandom, nextRandom } from '../sched/sched-random.js';
import { coldMark } from '../../host/cold-trace.js';

export const EXIT_TIMEOUT = 124;
export const EXIT_DEADLOCK = 125;
export const EXIT_INTERNAL = 70;

/** The run could not start; `status` is the exit status (1: a bad program, 137: out of guest memory). */
export class RunError extends Error {
  constructor(message: string, readonly status = 1) {
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
  /** The run ended in the solo phase and did not wait for the workers to stop (they are being terminated). */
  readonly workersStopping: boolean;
}

/** What the composition root (src/machine/) chooses for a run: the core never picks a strategy itself. */
export interface MachineParts {
  readonly strategy: AtomicStrategy;
  /** The module each vCPU worker thread runs (src/machine/vcpu-worker.ts). */
  readonly vcpuWorkerUrl: URL;
  /** The first vCPU's worker when the command's entry started it already (src/machine/early-worker.ts; not with a solo phase). */
  readonly earlyWorker?: Worker | null;
  /** Runs the first thread on the main thread first (src/machine/solo-phase.ts), or null. */
  readonly solo?: SoloPhase | null;
}

/**
 * The first thread's solo phase on the main thread: the run's time budget
 * for it (0: none), and the phase itself, which returns the thread for its
 * worker, or null when the thread ended the run (its messages already given
 * to `post`). The phase makes slot 0's worker through startWorker when it
 * wants it, at the latest when it returns a thread.
 */
export interface SoloPhase {
  budgetMs(config: RunConfig): number;
  run(
    data: VcpuWorkerData, thread: ThreadAssignment, post: (m: WorkerMessage) => void, budgetMs: number,
    startWorker: (why: string) => void,
  ): ThreadAssignment | null;
}

/** The run's shared tables (vCPUs, stats, the strategy's, processes, --sched): nothing here depends on the program. */
export function createRunBuffers(config: RunConfig, strategy: AtomicStrategy): RunBuffers {
  const sched = config.sched ?? null;
  const run: RunBuffers = {
    vcpus: VcpuTable.create(),
    stats: StatsBoard.create(),
    strategy: strategy.createShared(config.strategyOptions),
    processes: ProcessTable.create(config.maxProcs),
    sched: sched ? SchedBoard.create(sched, FIRST_PID) : null,
  };
  if (sched?.recordFile) writeFileSync(sched.recordFile, scheduleHeader(sched));
  return run;
}

/** Reads and loads the program into a new guest memory: the first process, its registers and the loader's warnings. */
export function prepareProcess(
  config: RunConfig,
): { first: ProcessBuffers; env: Int32Array; mem: GuestMemory; warnings: readonly string[] } {
  let file: Uint8Array;
  let programFd = -1;
  try {
    programFd = openSync(config.exePath, 'r');
    file = readFileSync(programFd);
  } catch (e) {
    if (programFd >= 0) closeSync(programFd);
    throw new RunError(`cannot read ${config.exePath}: ${(e as Error).message}`);
  }
  const sched = config.sched ?? null;
  const memory = GuestMemory.create(config.memoryMb);
  const mem = new GuestMemory(memory);
  const pathWarnings = new Map<string, string>();
  const paths = {
    options: {
      allowDirs: config.allowDirs, sysroot: config.sysroot, readOnlyDirs: config.readOnlyDirs,
      exePath: config.exePath, guestExePath: config.argv[0] ?? config.exePath,
    },
    warnOnce: (key: string, message: string) => void pathWarnings.set(key, message),
  };
  let loaded;
  try {
    loaded = loadProgram(mem, new KernelAccess(mem), file, {
      argv: config.argv, envp: config.envp, execfn: config.exePath, random16: sched ? schedAtRandom(sched) : null,
      programFd, readInterpreter: interpreterReader(paths),
    });
  } catch (e) {
    if (e instanceof ElfError) throw new RunError(`${config.exePath}: ${e.message}`);
    if (e instanceof ResourceExhausted) throw new RunError(`${config.exePath}: ${e.message}`, 137);
    throw e;
  } finally {
    closeSync(programFd);
  }
  const first: ProcessBuffers = {
    pid: FIRST_PID,
    spaceId: 1,
    borrowsMemory: false,
    exePath: config.exePath,
    guestExePath: config.argv[0] ?? config.exePath,
    memory,
    kernel: KernelState.create(loaded.layout),
    signals: SignalState.create(GUEST_PID),
    shm: ShmTable.create(),
    fds: FdTable.create(),
  };
  const env = createEnv();
  startAtEntry(env, loaded.regs);
  const warnings = [
    ...loaded.elf.warnings.map((w) => `mttcg: ${config.exePath}: ${w}`),
    ...(loaded.interp?.warnings ?? []).map((w) => `mttcg: ${loaded.elf.interp}: ${w}`),
    ...pathWarnings.values(),
  ];
  return { first, env, mem, warnings };
}

export function runProcess(config: RunConfig, parts: MachineParts, onWarning: (message: string) => void): Promise<RunResult> {
  const startedAt = Date.now();
  const run = createRunBuffers(config, parts.strategy);
  const table = new VcpuTable(run.vcpus);
  // The pool's events are handled from below; none can arrive before (they come
  // from the event loop, and everything up to the handlers is synchronous).
  let events: PoolEvents | null = null;
  const pool = new WorkerPool(config, run, parts.vcpuWorkerUrl, table, {
    message: (m) => events!.message(m),
    crash: (message) => events!.crash(message),
  }, undefined, parts.earlyWorker ?? null);
  const soloMs = parts.solo ? parts.solo.budgetMs(config) : 0;
  pool.soloPhase = soloMs > 0;
  if (soloMs === 0) {
    // Cold start: the first vCPU's worker loads while this thread reads and maps the program.
    pool.startFirst();
    coldMark(parts.earlyWorker ? 'first worker started (adopted)' : 'first worker started');
  }
  let prepared;
  try {
    prepared = prepareProcess(config);
  } catch (e) {
    void pool.shutdown();
    throw e;
  }
  const { first, env, mem, warnings } = prepared;
  coldMark('program loaded (ELF, guest memory)');
  for (const w of warnings) onWarning(w);
  const signals = attachSignalState(first.signals, table, mem);
  /** Every live process's signal state, by pid: kill between processes and SIGCHLD go through here. */
  const signalsByPid = new Map<number, SignalState>([[FIRST_PID, signals]]);
  const board = new StatsBoard(run.stats);
  const procs = new ProcessTable(run.processes);
  const finishedStats: Record<string, number | string>[] = [];
  const warned = new Set<string>();
  let done = false;
  /** The first thread runs on this thread: a run that ends now does not wait for the worker to stop. */
  let inSolo = false;
  /** The first process's exit has arrived (with --stats, finish waits one turn of the event loop for records). */
  let exiting = false;

  return new Promise<RunResult>((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (status: number, report: string): void => {
      if (done) return;
      done = true;
      for (const t of timers) clearInterval(t);
      stopForwarding();
      timerService.stop();
      const stats = config.stats ? gatherStats() : [];
      // vcpuWorkers: how many workers the pool started (it grows when a thread finds no free warm one).
      const counters = { ...table.counters(), ...schedCounters(run.sched, config.sched ?? null), vcpuWorkers: pool.size };
      const result = { status, report, stats, process: { ...counters, peakFrames: mem.frameStats().peak }, workersStopping: inSolo };
      const stopped = pool.shutdown();
      if (inSolo) resolve(result);
      else void stopped.then(() => resolve(result));
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

    const stopForwarding = forwardHostSignals(signals, (status, report) => finish(status, report));
    const timerService = new TimerService(() => signalsByPid.values());
    events = {
      message: (m: WorkerMessage) => {
        if (done) return; // the run is over: no new thread, no new worker
        if (exiting && m.type !== 'thread-exit') return; // the exit is decided: only the records still count
        switch (m.type) {
          case 'warn':
            if (!warned.has(m.key)) {
              warned.add(m.key);
              onWarning(m.message);
            }
            break;
          case 'spawn':
            if (m.thread.tid === m.thread.process.pid) {
              signalsByPid.set(m.thread.tid, attachSignalState(m.thread.process.signals, table, mem));
            }
            pool.start(m.slot, m.thread);
            break;
          case 'signal': {
            const target = signalsByPid.get(m.pid);
            if (!target) break;
            // A fatal default action is carried out by the target itself, at its next TB boundary.
            if (m.tid !== 0) target.postToThread(m.tid, m.sig, m.info);
            else target.postToProcess(m.sig, m.info);
            break;
          }
          case 'process-gone':
            signalsByPid.delete(m.pid);
            break;
          case 'timers-changed':
            timerService.reschedule();
            break;
          case 'thread-exit':
            if (m.stats) finishedStats.push(m.stats);
            break;
          case 'process-exit':
            coldMark('guest exit reported');
            if (!config.stats || inSolo) finish(m.status, m.report);
            else {
              // A thread that ended before this exit posted its record first, but from its own worker: Node
              // delivers the workers' messages port by port, so it may come later in this same turn of the
              // event loop. Finish after the turn, taking only those records meanwhile (nothing lost).
              exiting = true;
              setImmediate(() => finish(m.status, m.report));
            }
            break;
        }
      },
      crash: (message) => finish(EXIT_INTERNAL, message),
    };

    const pid = procs.allocTid();
    procs.allocSpaceId();
    procs.add(pid, 1, pid, pid, 0);
    const slot = table.allocate(pid, first.spaceId, pid);
    signals.attachThread(slot, pid, 0, 0);
    let thread: ThreadAssignment | null = { process: first, tid: pid, env, clearChildTid: 0, schedIndex: run.sched ? 0 : -1 };
    if (soloMs > 0 && parts.solo) {
      inSolo = true;
      // The phase makes slot 0's worker when the thread will need it (machine/solo-watch.ts).
      const startWorker = (why: string): void => {
        pool.startWorker(slot);
        coldMark(`first worker created (${why})`);
      };
      try {
        thread = parts.solo.run({ config, run, slot, soloPhase: true }, thread, (m) => events!.message(m), soloMs, startWorker);
      } catch (e) {
        // A host error in the solo phase is a crashed vCPU, as in its worker (an emulator bug).
        const err = e as Error;
        finish(EXIT_INTERNAL, `internal error in the vCPU of thread ${pid}: ${err.message}` +
          (process.env.MTTCG_DEBUG ? `\n${err.stack}` : ' (set MTTCG_DEBUG=1 for the host stack)'));
        return;
      } finally {
        inSolo = false;
      }
      if (thread === null) {
        if (!done) finish(EXIT_INTERNAL, `internal error: the first thread left its solo phase without an exit`);
        return;
      }
    }
    pool.start(slot, thread);
    pool.prestart();
    coldMark('first thread handed over');
    if (config.timeoutSeconds > 0) {
      timers.push(setTimeout(() => finish(EXIT_TIMEOUT, `timed out after ${config.timeoutSeconds} s (--timeout)`),
        Math.max(0, config.timeoutSeconds * 1000 - (Date.now() - startedAt))));
    }
    timers.push(deadlockMonitor(table, config.deadlockSeconds, () => timerService.anyArmed(),
      (report) => finish(EXIT_DEADLOCK, report)));
  });
}

/**
 * Reports when every thread has sat in an untimed futex wait, with no
 * wake-up, for the grace period, and no timer is armed (its signal may yet
 * run a handler that wakes a thread).
 */
function deadlockMonitor(
  table: VcpuTable, graceSeconds: number, timerArmed: () => boolean, report: (text: string) => void,
): NodeJS.Timeout {
  let since = 0;
  let lastKey = '';
  return setInterval(() => {
    const snap = table.snapshot();
    const allBlocked = snap.length > 0 && snap.every((s) => s.state === VcpuState.BLOCKED && s.blockKind === 1) && !timerArmed();
    const key = snap.map((s) => `${s.slot}:${s.blockSeq}`).join(',');
    if (!allBlocked || key !== lastKey) {
      since = allBlocked ? Date.now() : 0;
      lastKey = key;
      return;
    }
    if (since && Date.now() - since >= graceSeconds * 1000) {
      const who = snap.map((s) => `thread ${s.tid} of process ${s.pid} waits on futex 0x${(s.blockAddr >>> 0).toString(16)}`).join('; ');
      report(`guest deadlock: every thread is blocked in a futex wait with no timeout (${who})`);
    }
  }, 100);
}

/** AT_RANDOM under --sched: 16 bytes from the seed (a stream of their own). */
function schedAtRandom(spec: SchedSpec): Uint8Array {
  const state = new Int32Array(4);
  seedRandom(state, 0, spec.seed, 2);
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i += 4) new DataView(bytes.buffer).setUint32(i, nextRandom(state, 0), true);
  return bytes;
}

/** The scheduler's counters for the run's --stats totals. */
function schedCounters(buffer: SharedArrayBuffer | null, spec: SchedSpec | null): Record<string, number> {
  if (buffer === null || spec === null) return {};
  // The run is over (or ending): nobody hands the baton on any more.
  const board = new SchedBoard(buffer, spec);
  return { schedSteps: board.steps, schedSwitches: board.switches, schedThreads: board.threads };
}
