// One guest thread's side of the deterministic scheduler (sched-board.ts):
// it runs only while it holds the baton, asks the board at every scheduling
// point who runs next, and hands the baton over. While it waits for the baton
// its vCPU counts as blocked in the kernel (quiescent), so TLB shootdowns and
// stop-the-world sections of the holder never wait for it.
//
// The kernel services whose result depends on time or on host scheduling
// are answered here instead: futex wait/wake (a wait queue on the board),
// sched_yield, sleeps and timeouts (virtual time: STEP_NS per step, and a
// jump to the next deadline when nothing can run), clocks and getrandom.

import { appendFileSync } from 'node:fs';
import type { VcpuControl } from '../exec/vcpu-control.js';
import { ProcessExit } from '../linux-user/guest-exit.js';
import { type Decision, H_CURRENT, SchedBoard, ScheduleDiverged, WakeReason } from './sched-board.js';
import { scheduleLine } from './sched-spec.js';

/** Exit status of a run the scheduler found deadlocked (as the supervisor's EXIT_DEADLOCK). */
const EXIT_DEADLOCK = 125;
/** CLOCK_REALTIME under --sched: 2026-01-01T00:00:00Z plus virtual time. */
const EPOCH_NS = 1_767_225_600n * 1_000_000_000n;
/** CLOCK_MONOTONIC under --sched starts at one second (as after a fast boot). */
const BOOT_NS = 1_000_000_000n;

/** Bits of TranslationBlock.schedEvents (exec/sched-events.ts). */
export const SCHED_EVENT_MEMORY = 1;
export const SCHED_EVENT_ATOMIC = 2;
export const SCHED_EVENT_SYSCALL = 4;
/** Instructions (single-step TBs) without an event after which the next one is a scheduling point anyway. */
export const SCHED_QUIET_TBS = 256;

export class SchedThread {
  /** The TB event bits that are scheduling points here. */
  readonly eventMask: number;

  constructor(
    private readonly board: SchedBoard,
    readonly index: number,
    private readonly control: Pick<VcpuControl, 'enterBlocking' | 'leaveBlocking'>,
  ) {
    this.eventMask = board.spec.events === 'memory'
      ? SCHED_EVENT_MEMORY | SCHED_EVENT_ATOMIC | SCHED_EVENT_SYSCALL
      : SCHED_EVENT_ATOMIC | SCHED_EVENT_SYSCALL;
  }

  /** Waits until this thread holds the baton (a new thread's first wait, too). */
  waitTurn(): void {
    const words = this.board.words;
    let c = this.board.current();
    if (c === this.index) return;
    this.control.enterBlocking(false);
    // Atomics.wait compares and sleeps atomically: a hand-over after our load wakes us at once.
    while (c !== this.index) {
      Atomics.wait(words, H_CURRENT, c);
      c = this.board.current();
    }
    this.control.leaveBlocking();
  }

  /** Gives the baton to thread `next` (recording the switch) and returns without waiting. */
  private handOver(next: number): void {
    const file = this.board.spec.recordFile;
    if (file !== null) appendFileSync(file, scheduleLine(this.board.steps, next));
    // seq-cst store then notify: everything this thread wrote to the board and guest memory happens before the next holder runs.
    Atomics.store(this.board.words, H_CURRENT, next);
    Atomics.notify(this.board.words, H_CURRENT);
  }

  /** The board's decision at a scheduling point; a replay that no longer fits ends the run with its reason. */
  private decide(guestEvent: boolean): Decision {
    try {
      return this.board.decide(this.index, guestEvent);
    } catch (e) {
      if (e instanceof ScheduleDiverged) throw new ProcessExit(1, e.message);
      throw e;
    }
  }

  /** Follows a decision: returns true if another thread ran meanwhile. */
  private follow(d: Decision): boolean {
    if (d.kind === 'deadlock') throw new ProcessExit(EXIT_DEADLOCK, d.report);
    if (d.index === this.index) return false;
    this.handOver(d.index);
    this.waitTurn();
    return true;
  }

  /** A scheduling point before a guest instruction: true if other threads ran before it. */
  step(): boolean {
    return this.follow(this.decide(true));
  }

  /** FUTEX_WAIT after the value matched: WOKEN or TIMEOUT (deadline in virtual ns; Infinity: none). */
  futexWait(addr: number, deadlineNs: number): WakeReason {
    this.board.blockOnFutex(this.index, addr, deadlineNs);
    this.follow(this.decide(false));
    return this.board.wakeReason(this.index);
  }

  futexWake(addr: number, n: number): number {
    return this.board.wakeFutex(addr, n);
  }

  /** sched_yield, and each round of a polling wait: every other runnable thread goes first. False if none ran. */
  yield(): boolean {
    this.board.demote(this.index);
    return this.follow(this.decide(false));
  }

  /** Sleeps until virtual time deadlineNs. */
  sleepUntil(deadlineNs: number): void {
    if (deadlineNs <= this.board.nowNs) return;
    this.board.sleep(this.index, deadlineNs);
    this.follow(this.decide(false));
  }

  /** clone: the new thread's index (it waits for the baton when its worker starts). */
  spawn(tid: number): number {
    return this.board.addThread(tid);
  }

  /**
   * The thread ends: the baton goes to the next thread. Returns a deadlock
   * report if no other thread can ever run, else null.
   */
  exit(): string | null {
    this.board.exit(this.index);
    let d: Decision;
    try {
      d = this.decide(false);
    } catch (e) {
      if (e instanceof ProcessExit) return e.report;
      throw e;
    }
    if (d.kind === 'deadlock') return d.report;
    this.handOver(d.index);
    return null;
  }

  /** Virtual time now, in ns since the run started. */
  nowNs(): number {
    return this.board.nowNs;
  }

  /** A guest clock under --sched (guest-clock.ts clockNs), or null for an unknown clock id. */
  clockNs(clock: number): bigint | null {
    const now = BigInt(this.board.nowNs);
    switch (clock) {
      case 0: case 5: case 8: return EPOCH_NS + now;
      case 1: case 4: case 6: case 7: case 9: return BOOT_NS + now;
      case 2: case 3: return now;
      default: return null;
    }
  }

  /** getrandom: bytes from the seed's own stream. */
  randomFill(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i += 4) {
      const r = this.board.randomWord();
      for (let j = 0; j < 4 && i + j < bytes.length; j++) bytes[i + j] = (r >>> (8 * j)) & 0xff;
    }
  }
}
