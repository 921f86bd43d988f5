// One pooled vCPU inside its worker. The worker owns a vCPU slot for good and
// builds the vCPU once: register file, MMU and TLB, the strategy's per-vCPU
// half and the cpu loop with its TB cache. Each guest thread it is given runs
// on that same vCPU, so translations made for one thread serve the next;
// only the registers, the TLB, the local monitor and the per-thread counters
// start afresh.
//
// The first thread may run on the main thread first (solo-phase.ts): a
// PooledVcpu built there with a SoloGate posts its messages to the
// supervisor directly and leaves the thread, by a HandOver, as the
// assignment its worker goes on with (handedOver), with the record of the
// TBs it translated, which its worker translates after a clone (solo-warm.ts).

import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { createEnv, Env } from '../emulator/arm/cpu-state.js';
import type { AtomicVcpu } from '../emulator/atomics/strategy.js';
import { StatsBoard } from '../emulator/exec/stats-board.js';
import { UnsupportedGuestCode, Vcpu } from '../emulator/exec/vcpu.js';
import { createVcpuEnv } from '../emulator/exec/vcpu-env.js';
import { type SlotControl, VcpuTable } from '../emulator/exec/vcpu-table.js';
import { FdTable } from '../emulator/linux-user/fd-table.js';
import { ImageReplaced, ProcessExit, ThreadExit } from '../emulator/linux-user/guest-exit.js';
import { KernelState } from '../emulator/linux-user/kernel-state.js';
import { FIRST_PID, ProcessTable } from '../emulator/linux-user/process-table.js';
import { SIGILL, SIGKILL, signalName } from '../emulator/linux-user/signal-numbers.js';
import type { SignalState } from '../emulator/linux-user/signal-state.js';
import { SyscallDispatcher } from '../emulator/linux-user/syscall-dispatch.js';
import { futexIndex } from '../emulator/linux-user/sys-futex.js';
import { GuestThread } from '../emulator/process/guest-thread.js';
import { attachSignalState } from '../emulator/process/process-signals.js';
import type { ProcessBuffers, ThreadAssignment, VcpuWorkerData, WorkerMessage } from '../emulator/process/run-config.js';
import type { ProcessImage } from '../emulator/linux-user/thread-context.js';
import { endProcess, killOtherThreads } from '../emulator/process/process-exit.js';
import { collectStats } from '../emulator/process/vcpu-stats.js';
import { ResourceExhausted } from '../emulator/resource-exhausted.js';
import { GuestFault, hex } from '../emulator/softmmu/guest-fault.js';
import { isThumb } from '../emulator/arm/exec-state.js';
import { startAtEntry } from '../emulator/linux-user/loader.js';
import { GuestMemory } from '../emulator/softmmu/guest-memory.js';
import { KernelAccess } from '../emulator/softmmu/kernel-access.js';
import { Mmu } from '../emulator/softmmu/mmu.js';
import { threadCpu, threadCpuSince, type ThreadCpuSample } from '../host/thread-cpu.js';
import { attachStrategy, vcpuServices } from './attach-strategy.js';
import { findStrategy } from './strategy-registry.js';
import { SchedBoard } from '../emulator/sched/sched-board.js';
import { StrexFailInjector } from '../emulator/atomics/strex-fail.js';
import { SchedThread } from '../emulator/sched/sched-thread.js';
import { continueThreadClock, threadClockNs, useVirtualClock } from '../emulator/linux-user/guest-clock.js';
import { EXIT_DEADLOCK } from '../emulator/process/supervisor.js';
import { coldMark } from '../host/cold-trace.js';
import { saveCodeCaches } from '../host/code-cache.js';
import { probeSections } from './section-probe.js';
import { HandOver, type SoloGate } from './solo-gate.js';
import { SoloTbRecord, SoloWarmth } from './solo-warm.js';
import { decodeSvc } from '../emulator/linux-user/oabi.js';

/** How a PooledVcpu is built off its worker (the main thread's solo phase). */
export interface PooledVcpuOptions {
  /** Where its messages to the supervisor go. */
  readonly post: (m: WorkerMessage) => void;
  /** The solo phase's gate: the thread leaves at a syscall that is not local or when the budget is used. */
  readonly solo: SoloGate | null;
}

/** The thread a pooled vCPU runs now. */
interface Current {
  readonly thread: GuestThread;
  readonly signals: SignalState;
  readonly dispatcher: SyscallDispatcher;
  /** Counter values when the thread started (the vCPU's counters run on across threads). */
  readonly baseline: Record<string, number | string>;
  readonly cpuAtStart: ThreadCpuSample | null;
  readonly wallAtStart: bigint;
  /** The main thread's solo phase's counters when this thread came from there, else null. */
  readonly carried: Record<string, number | string> | null;
}

export class PooledVcpu {
  private readonly env = createVcpuEnv(Env.SIZE);
  private readonly table: VcpuTable;
  private readonly board: StatsBoard;
  private readonly procs: ProcessTable;
  private readonly control: SlotControl;
  private readonly mmu: Mmu;
  private readonly atomics: AtomicVcpu;
  private readonly vcpu: Vcpu;
  private readonly post: (m: WorkerMessage) => void;
  private readonly solo: SoloGate | null;
  /** The thread as its worker goes on with it, once the solo phase has handed it over. */
  handedOver: ThreadAssignment | null = null;
  handOverReason = '';
  private current: Current | null = null;
  /** --strex-fail's draws, or null. */
  private readonly strexFail: StrexFailInjector | null;
  /** The --sched board, or null. */
  private readonly schedBoard: SchedBoard | null;
  private spaceId: number;
  private traceFd = -1;
  private traceLabel = '';
  private traceStarted = false;
  /** In the solo phase: the TBs translated there, for the worker. */
  private readonly soloTbs: SoloTbRecord | null;
  /** On the worker, for the thread from the solo phase: its translations ahead and their counters. */
  private warmth: SoloWarmth | null = null;
  /** TBs translated ahead so far (tbsTranslated counts only those the cpu loop asked for). */
  private tbsAhead = 0;

  constructor(private readonly data: VcpuWorkerData, first: ThreadAssignment, options: PooledVcpuOptions | null = null) {
    const { config, run, slot } = data;
    this.post = options?.post ?? ((m) => parentPort!.postMessage(m));
    this.solo = options?.solo ?? null;
    this.table = new VcpuTable(run.vcpus);
    this.schedBoard = run.sched && config.sched ? new SchedBoard(run.sched, config.sched) : null;
    this.board = new StatsBoard(run.stats);
    this.procs = new ProcessTable(run.processes);
    const mem = new GuestMemory(first.process.memory);
    this.spaceId = first.process.spaceId;
    const mmu = new Mmu(mem);
    mmu.tlbUserId = slot + 1;
    const control = this.table.control(slot, mmu.tlb);
    this.mmu = mmu;
    this.control = control;
    const services = vcpuServices(slot, this.env, mmu, mem, control);
    const attached = attachStrategy(findStrategy(config.strategy), run.strategy, services, config.strategyOptions);
    this.strexFail = config.strexFail ? new StrexFailInjector(config.strexFail) : null;
    const atomics = this.strexFail ? this.strexFail.wrap(attached) : attached;
    this.atomics = atomics;
    this.vcpu = new Vcpu(this.env, mmu, atomics, control, () => {
      atomics.onSyscall();
      const c = this.current!;
      this.solo?.beforeSyscall(c.thread, c.dispatcher);
      c.dispatcher.dispatch(c.thread);
    }, {
      maxInsns: config.maxInsns,
      chaining: config.chaining,
      hotThreshold: config.hotThreshold,
      timing: config.stats,
      // Each step's PSR line ends with the process and thread it belongs to (threads and processes share the file).
      trace: config.traceFile ? (text) => writeSync(this.traceFd, `${text.slice(0, -1)}${this.traceLabel}\n`) : null,
      dumpJs: config.dumpJsDir ? (pc, src) => writeFileSync(join(config.dumpJsDir!, `region_${slot}_${hex(pc)}.js`), src) : null,
    });
    this.soloTbs = this.solo ? new SoloTbRecord() : null;
    this.vcpu.onTranslated = this.soloTbs?.add ?? null;
  }

  private stats(): Record<string, number | string> {
    const c = this.current!;
    const now = collectStats(c.thread.tid, this.vcpu, this.mmu, this.atomics, c.dispatcher, this.control);
    if (typeof now.tbsTranslated === 'number') now.tbsTranslated -= this.tbsAhead;
    for (const [k, v] of Object.entries(now)) {
      const b = c.baseline[k];
      if (k !== 'tid' && typeof v === 'number' && typeof b === 'number') now[k] = v - b;
    }
    const out: Record<string, number | string> = { pid: c.thread.kernel.pid, ...now, ...threadCpuSince(c.cpuAtStart, c.wallAtStart) };
    // A thread from the solo phase: its counters there count as this vCPU's; what the move cost is told.
    if (c.carried) {
      out.tbsAhead = this.warmth?.ahead ?? 0;
      out.tbsAgain = this.warmth?.again ?? 0;
      for (const [k, v] of Object.entries(c.carried)) {
        const o = out[k];
        if (k !== 'tid' && k !== 'pid' && typeof v === 'number') out[k] = (typeof o === 'number' ? o : 0) + v;
      }
    }
    return out;
  }

  /** The solo phase's clock: `tick` runs at a TB boundary a few times per ms of guest time (Vcpu.tickEvery). */
  tickEvery(tick: () => void): void {
    this.vcpu.tickEvery(tick);
  }

  /** Runs one guest thread (and, after an execve, the image it became); true if the worker may take another thread. */
  runThread(first: ThreadAssignment): boolean {
    let a: ThreadAssignment | null = first;
    while (a) a = this.runImage(a);
    return this.workerFree;
  }

  private workerFree = false;

  /** Runs a thread until it ends (null) or execs (the assignment it goes on with). */
  private runImage(a: ThreadAssignment): ThreadAssignment | null {
    const { config, slot } = this.data;
    if (a.process.spaceId !== this.spaceId) {
      // Another process (or execve): same frames, another page table; this vCPU's TBs were for the old one.
      this.mmu.switchSpace(new GuestMemory(a.process.memory));
      this.vcpu.switchAddressSpace();
      this.spaceId = a.process.spaceId;
    }
    const mem = this.mmu.mem;
    mem.onFrameMoved = (page) => this.mmu.tlb.flushPage(page);
    mem.onCodeInvalidated = () => this.table.requestCodeCheck();
    const access = new KernelAccess(mem);
    const kernel = new KernelState(a.process.kernel);
    const fds = new FdTable(a.process.fds);
    const signals = attachSignalState(a.process.signals, this.table, mem);
    this.env.set(a.env);
    this.mmu.tlb.flushAll();
    this.atomics.onSyscall(); // a context switch clears the local monitor, as an exception return does
    const thread = new GuestThread(
      a.tid, slot, this.env, access,
      {
        allowDirs: config.allowDirs, sysroot: config.sysroot, readOnlyDirs: config.readOnlyDirs,
        exePath: a.process.exePath, guestExePath: a.process.guestExePath,
      },
      kernel, this.procs, signals, mem, this.mmu, fds, this.table, this.control, a.process, a.clearChildTid, this.post,
    );
    // Taking a signal is an exception entry and return: the local monitor is cleared, as on a syscall.
    thread.delivery.onException = () => this.atomics.onSyscall();
    this.control.deliverSignals = () => thread.delivery.deliverPending();
    this.vcpu.onFault = (fault) => thread.delivery.deliverFault(fault);
    // Each thread draws its own spurious failures: from the seed under --sched, so that a seeded run repeats.
    this.strexFail?.reseed(config.sched ? config.sched.seed : Math.floor(Math.random() * 2 ** 32), a.tid);
    if (this.schedBoard !== null) {
      const sched = new SchedThread(this.schedBoard, a.schedIndex, this.control);
      thread.sched = sched;
      this.vcpu.sched = sched;
      useVirtualClock((clock) => sched.clockNs(clock));
    }
    const dispatcher = new SyscallDispatcher(fds);
    if (this.solo === null) {
      this.warmth = a.soloTbs ? new SoloWarmth(a.soloTbs, this.vcpu) : null;
      this.vcpu.onTranslated = config.stats ? this.warmth?.count ?? null : null;
    }
    continueThreadClock(a.threadClockNs ?? null);
    const cpuAtStart = config.stats ? threadCpu() : null;
    const wallAtStart = process.hrtime.bigint();
    this.current = { thread, signals, dispatcher, baseline: {}, cpuAtStart, wallAtStart, carried: null };
    // The counters' values at the start (only --stats reads them: the baseline costs a /proc read).
    if (config.stats) this.current = { thread, signals, dispatcher, baseline: this.stats(), cpuAtStart, wallAtStart, carried: a.carried ?? null };
    const solo = this.solo;
    this.control.handOver = solo ? () => solo.handOver() : null;
    if (config.stats) this.control.publishStats = () => this.board.publish(slot, this.stats());
    // MTTCG_SECTION_PROBE: counters at each read of the thread's CPU clock (a benchmark's section ends).
    probeSections(a.tid, slot, () => collectStats(a.tid, this.vcpu, this.mmu, this.atomics, dispatcher, this.control));
    if (config.traceFile) {
      // The first thread empties the file once; every thread then appends (O_APPEND: no thread
      // writes over another's lines, as one with its own file offset would).
      if (a.tid === FIRST_PID && !this.traceStarted) closeSync(openSync(config.traceFile, 'w'));
      this.traceStarted = true;
      this.traceFd = openSync(config.traceFile, 'a');
      this.traceLabel = ` pid=${a.process.pid} tid=${a.tid}`;
    }

    // Fault injection for the robustness tests: a host error inside a vCPU worker.
    if (process.env.MTTCG_INJECT_FAULT === 'worker-crash' && slot > 0) {
      throw new Error('fault injected by MTTCG_INJECT_FAULT=worker-crash');
    }
    this.workerFree = false;
    try {
      this.control.leaveBlocking(); // wait out any exclusive section before running guest code
      thread.sched?.waitTurn(); // --sched: this thread runs when the scheduler hands it the baton
      if (a.pendingSyscall) {
        const nr = decodeSvc(thread).nr;
        this.runPendingSyscall();
        this.warmAfter(nr);
      }
      this.vcpu.run();
    } catch (e) {
      if (this.traceFd >= 0) closeSync(this.traceFd);
      this.traceFd = -1;
      if (e instanceof HandOver) {
        this.handedOver = this.handOver(a, e.pendingSyscall);
        this.handOverReason = e.why;
        return null;
      }
      if (e instanceof ImageReplaced) return this.becomeImage(thread, e.image);
      if (e instanceof ThreadExit) this.workerFree = this.endThread(e.code);
      // A child killed by a signal dies silently (its parent's wait4 tells); faults are reported.
      else if (e instanceof ProcessExit) this.workerFree = this.exitProcess(e.status & 0xff, e.signal, e.report, false);
      else if (e instanceof GuestFault) {
        const state = isThumb(this.vcpu.env) ? ' in Thumb state' : '';
        this.workerFree = this.exitProcess(0, e.signal, `thread ${a.tid}: ${signalName(e.signal)}: ${e.message}${state}`);
      } else if (e instanceof UnsupportedGuestCode) {
        this.workerFree = this.exitProcess(0, SIGILL, `thread ${a.tid}: ${e.message}`);
      } else if (e instanceof ResourceExhausted) {
        this.workerFree = this.exitProcess(0, SIGKILL, `thread ${a.tid}: ${e.message}`);
      } else {
        throw e; // a host error: the supervisor reports the crash
      }
    }
    return null;
  }

  /** The thread from the solo phase has run its pending syscall `nr`: after a clone, its TBs are translated (solo-warm.ts). */
  private warmAfter(nr: number): void {
    const w = this.warmth;
    if (!w) return;
    const before = w.ahead;
    w.arrived(nr);
    this.tbsAhead += w.ahead - before;
  }

  /**
   * The SVC the solo phase stopped at (the pc is past it): its syscall runs
   * first, as the cpu loop would have run it; a fault it raises goes to the
   * thread's handler as the cpu loop's would.
   */
  private runPendingSyscall(): void {
    const c = this.current!;
    this.atomics.onSyscall();
    try {
      c.dispatcher.dispatch(c.thread);
    } catch (e) {
      if (!(e instanceof GuestFault) || !this.vcpu.onFault(e)) throw e;
    }
  }

  /**
   * The solo phase leaves the thread (HandOver): the assignment its worker
   * goes on with. No reservation survives the move (a context switch clears
   * the local monitor); the registers, clear_child_tid and the counters go
   * with it; everything else is the process's, in shared memory.
   */
  private handOver(a: ThreadAssignment, pendingSyscall: boolean): ThreadAssignment {
    this.atomics.onSyscall();
    const carried = this.data.config.stats ? this.stats() : null;
    const { thread } = this.current!;
    const clock = threadClockNs();
    return {
      ...a, env: this.env.slice(), clearChildTid: thread.clearChildTid, pendingSyscall, carried,
      threadClockNs: clock === null ? undefined : Number(clock), soloTbs: this.soloTbs?.take(),
    };
  }

  /** execve succeeded: the other threads go, the old image is released, and this thread starts the new one. */
  private becomeImage(thread: GuestThread, image: ProcessImage): ThreadAssignment {
    // Claim the old image's end first: the other threads, killed, then only leave.
    thread.kernel.beginExit(0);
    killOtherThreads(thread);
    const old = thread.process;
    const procSlot = this.procs.slotOf(old.pid);
    thread.kernel.withLock(() => thread.kernel.fileMappings.closeAll());
    if (old.borrowsMemory) this.procs.releaseVforkParent(procSlot);
    else {
      thread.mem.releaseFrames(thread.shm.dropSpace(thread.spaceId, old.pid));
      thread.mem.retire();
    }
    thread.signals.resetForExec(this.data.slot);
    thread.fds.closeOnExec();
    const env = createEnv();
    startAtEntry(env, image.regs);
    const process: ProcessBuffers = {
      ...old,
      spaceId: this.procs.allocSpaceId(),
      borrowsMemory: false,
      memory: image.memory,
      kernel: KernelState.create(image.layout, old.pid),
      exePath: image.exePath,
      guestExePath: image.guestExePath,
    };
    return { process, tid: thread.tid, env, clearChildTid: 0, schedIndex: thread.sched?.index ?? -1 };
  }

  /** exit(2) of one thread: free the slot, then clear and wake child_tid. True if the worker is free. */
  private endThread(code: number): boolean {
    const { config, slot } = this.data;
    const { thread, signals } = this.current!;
    // The count decides (two threads exiting at once cannot both think another goes on).
    if (thread.kernel.threadExited() === 0) return this.exitProcess(code, 0, '', true, true);
    const s = config.stats ? this.stats() : null;
    if (s) this.board.publish(slot, s);
    signals.detachThread(slot);
    this.post({ type: 'thread-exit', tid: thread.tid, stats: s });
    let wake = -1;
    if (thread.clearChildTid !== 0) {
      try {
        thread.access.writeU32(thread.clearChildTid, 0);
        wake = futexIndex(thread, thread.clearChildTid);
      } catch {
        // An unmapped clear_child_tid is ignored, as the kernel does.
      }
    }
    // Release before waking the joiner, so that a thread it creates next can
    // claim this warm vCPU. (A flush or exclusive section no longer waits for us.)
    this.table.release(slot);
    if (thread.sched) {
      // --sched: the wake goes through the scheduler's wait queue, then the baton moves on.
      if (wake >= 0) thread.sched.futexWake(thread.clearChildTid, 1);
      const deadlock = thread.sched.exit();
      if (deadlock !== null) this.post({ type: 'process-exit', status: EXIT_DEADLOCK, report: deadlock });
      return true;
    }
    if (wake >= 0) Atomics.notify(thread.mem.i32, wake, 1);
    return true;
  }

  /**
   * The process ends (exit_group, the last exit, a fatal signal or fault).
   * A thread killed because a sibling ends the process just leaves. The
   * first process's end ends the run; any other is torn down here.
   */
  private exitProcess(code: number, signal: number, report: string, reportChild = true, counted = false): boolean {
    const { config, slot } = this.data;
    const { thread, signals } = this.current!;
    const s = config.stats ? this.stats() : null;
    if (s) this.board.publish(slot, s);
    const shellStatus = signal !== 0 ? 128 + signal : code & 0xff;
    if (!thread.kernel.beginExit(shellStatus)) {
      // Another thread is ending the process (or execing): this one only leaves.
      signals.detachThread(slot);
      if (!counted) thread.kernel.threadExited();
      this.table.release(slot);
      return true;
    }
    if (thread.kernel.pid === FIRST_PID) {
      coldMark('guest process ended');
      saveCodeCaches(); // this worker's bundle, with what the whole run compiled (when it had no usable cache)
      this.post({ type: 'process-exit', status: shellStatus, report });
      return false;
    }
    if (s) this.post({ type: 'thread-exit', tid: thread.tid, stats: s });
    // endProcess waits for the others to leave: this thread counts as the last one until it is done.
    if (counted) thread.kernel.threadStarted();
    endProcess(thread, code, signal, reportChild ? report : '', () => {
      signals.detachThread(slot);
      thread.kernel.threadExited();
      this.table.release(slot);
    });
    return true;
  }
}
