// The signal state of one guest process, in shared memory (the kernel's
// sighand_struct + signal_struct + each task's pending/blocked/sas_ss_*):
//
//   - dispositions: one struct sigaction per signal, for the whole process
//     (signal-actions.ts);
//   - per thread: the blocked mask, the thread's own pending set and queue,
//     the sigaltstack, a wake-up word for interruptible waits
//     (signal-threads.ts);
//   - per process: the shared pending set and queue (kill(2) targets), and
//     the pool of queued siginfo entries (signal-queue.ts).
//
// Every vCPU worker of the process (and the supervisor, for host signals and
// timers) attaches to the same buffer. Mutations happen under one lock (the
// kernel's siglock); the owning thread reads its own mask without it.
//
// One SignalState per guest process: a process table holds one per process
// (fork copies the dispositions with copyDispositionsFrom; execve calls
// resetForExec). Threads are identified by their vCPU slot (0..MAX_THREADS-1)
// and carry their tid, so a signal can be posted by tid.
//
// How a posted signal reaches its thread: the poster sets the signal's bit
// in the target's pending set, then "kicks" a thread that does not block it:
// it sets the "signal pending" request bit in that vCPU's pending-request
// word (served by the cpu loop at its next TB boundary; translated code
// polls the same word, so a thread spinning in a loop without syscalls is
// reached within one TB), bumps its wake-up word (interrupting a sleep or a
// signal wait) and notifies the guest word it may be waiting on in a futex.

import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';
import { ESRCH } from './errno.js';
import { bitOf, firstSignal, NSIG, SI_TIMER, SS_DISABLE, UNBLOCKABLE_LO } from './signal-numbers.js';
import { MAX_POSIX_TIMERS, PosixTimers, TIMER_REGION_WORDS } from './posix-timers.js';
import { infoCode, type SigInfo } from './siginfo.js';
import { ACTION_TABLE_WORDS, SignalActions, type SigAction } from './signal-actions.js';
import { PEND_HI, PEND_LO, PENDING_SET_END, QUEUE_POOL_WORDS, SignalQueue } from './signal-queue.js';
import { type AltStack, MAX_THREADS, SignalThreads, THREAD_RECORDS_WORDS } from './signal-threads.js';

// The process record holds a pending set in words 1..PENDING_SET_END-1 (signal-queue.ts), as each thread record does.

const P_LOCK = 0;
const P_FREE = PENDING_SET_END; // head of the free entry list
const P_NEXT_TARGET = 6; // where the search for a thread to take a process signal starts
const P_PID = 7;
const P_HANDLERS = 8; // signals whose action is a handler
const P_WORDS = 16;

const LAYOUT = new SharedLayout([
  { name: 'process', words: P_WORDS },
  { name: 'actions', words: ACTION_TABLE_WORDS },
  { name: 'threads', words: THREAD_RECORDS_WORDS },
  { name: 'queue', words: QUEUE_POOL_WORDS },
  { name: 'timers', words: TIMER_REGION_WORDS },
]);

/** A thread's blocking wait sleeps on a word of guest memory (FUTEX_WAIT). */
export const WAIT_WORD_GUEST_MEMORY = 1;

/** How the state reaches vCPUs; implemented by the process wiring (vCPU worker or supervisor). */
export interface SignalWakeups {
  /** Sets the "signal pending" request bit of the vCPU in slot (served at its next TB boundary). */
  requestSignal(slot: number): void;
  /**
   * Wakes the waiters on the Int32 word `index` of the shared buffer `kind`
   * names (WAIT_WORD_GUEST_MEMORY: guest memory, for a futex wait). New
   * blocking waits on other buffers (pipes, wait4) add a kind here and in
   * process/process-signals.ts.
   */
  notifyWaitWord(kind: number, index: number): void;
}

/** What became of a posted signal. */
export const enum PostOutcome {
  /** Discarded: the target ignores it (SIG_IGN, or SIG_DFL whose default is to ignore). */
  IGNORED = 0,
  /** Pending (queued, or merged with the same standard signal already pending); a thread was kicked if one accepts it. */
  PENDING = 1,
  /**
   * Its default action ends the process and a thread accepts it now: the
   * caller should end the process with status 128+sig (the kernel kills the
   * whole group at once). The signal is also pending and its thread kicked,
   * so the target ends itself at its next TB boundary if the caller does not.
   */
  FATAL = 2,
}

function sigOk(sig: number): boolean {
  return Number.isInteger(sig) && sig >= 1 && sig <= NSIG;
}

export class SignalState {
  /** The whole buffer; records are addressed by absolute word offsets. */
  private readonly w: Int32Array;
  private readonly pBase: number;
  private readonly lock: SharedLock;
  /** The dispositions (signal-actions.ts), in the same buffer. */
  private readonly actions: SignalActions;
  /** The pending sets' queues (signal-queue.ts), in the same buffer. */
  private readonly queue: SignalQueue;
  /** The thread records (signal-threads.ts), in the same buffer. */
  private readonly threads: SignalThreads;
  /** The process's POSIX and interval timers (posix-timers.ts), in the same buffer. */
  readonly timers: PosixTimers;

  /** A fresh state: every action SIG_DFL, no thread, an empty queue. */
  static create(pid: number): SharedArrayBuffer {
    const sab = new SharedArrayBuffer(LAYOUT.totalWords * 4);
    const w = new Int32Array(sab);
    const p = LAYOUT.region('process').offset;
    const queue = new SignalQueue(w, LAYOUT.region('queue').offset, p + P_FREE);
    queue.initSet(p);
    w[p + P_PID] = pid;
    queue.initPool();
    new PosixTimers(LAYOUT.view(sab, 'timers'), sab).initItimers();
    return sab;
  }

  constructor(readonly buffer: SharedArrayBuffer, private readonly wakeups: SignalWakeups) {
    this.w = new Int32Array(buffer);
    this.pBase = LAYOUT.region('process').offset;
    this.lock = new SharedLock(this.w, this.pBase + P_LOCK);
    this.actions = new SignalActions(this.w, LAYOUT.region('actions').offset, this.pBase + P_HANDLERS);
    this.queue = new SignalQueue(this.w, LAYOUT.region('queue').offset, this.pBase + P_FREE);
    this.threads = new SignalThreads(this.w, LAYOUT.region('threads').offset);
    this.timers = new PosixTimers(LAYOUT.view(buffer, 'timers'), buffer);
  }

  get pid(): number {
    return this.w[this.pBase + P_PID]!;
  }

  // ---- dispositions ----

  action(sig: number): SigAction {
    return this.actions.get(sig);
  }

  /** The handler word alone (SIG_DFL, SIG_IGN or a guest address); lock-free. */
  handler(sig: number): number {
    return this.actions.handler(sig);
  }

  /** True if sig is discarded when it arrives: SIG_IGN, or SIG_DFL with "ignore" as its default. */
  isIgnored(sig: number): boolean {
    return this.actions.isIgnored(sig);
  }

  /** rt_sigaction: installs act (if given) and returns the previous action. */
  setAction(sig: number, act: SigAction | null): SigAction {
    return this.lock.withLock(() => {
      const old = this.actions.get(sig);
      if (act) {
        this.actions.installLocked(sig, act);
        // POSIX: setting a pending signal's action to ignore discards it.
        if (this.isIgnored(sig)) this.discardLocked(sig);
      }
      return old;
    });
  }

  /** SA_RESETHAND after delivery, and a forced synchronous fault: back to SIG_DFL. */
  resetToDefault(sig: number): void {
    this.lock.withLock(() => this.actions.resetToDefaultLocked(sig));
  }

  /** True if some signal has a handler: only then can a signal interrupt a wait without ending the process. */
  hasHandlers(): boolean {
    return this.actions.hasHandlers();
  }

  /** fork: the child starts with the parent's dispositions. */
  copyDispositionsFrom(parent: SignalState): void {
    this.lock.withLock(() => this.actions.copyFromLocked(parent.actions));
  }

  /**
   * execve: caught signals go back to SIG_DFL (ignored ones stay ignored),
   * the thread's alternate stack and the POSIX timers are dropped; masks,
   * pending sets and the interval timers (alarm) are kept.
   */
  resetForExec(slot: number): void {
    this.lock.withLock(() => {
      this.actions.resetForExecLocked();
      for (let id = 0; id < MAX_POSIX_TIMERS; id++) this.timers.delete(id);
      this.threads.setAltStack(slot, 0, SS_DISABLE, 0);
    });
  }

  // ---- threads ----

  /** A new thread in slot (clone or the first thread): its mask, nothing pending, no alternate stack. */
  attachThread(slot: number, tid: number, blockedLo: number, blockedHi: number): void {
    this.lock.withLock(() => {
      this.threads.attachLocked(slot, blockedLo, blockedHi);
      this.queue.initSet(this.threads.record(slot));
      this.threads.setTid(slot, tid);
    });
  }

  /** The thread exits: its own pending signals go, process signals it would have taken go to another thread. */
  detachThread(slot: number): void {
    this.lock.withLock(() => {
      this.queue.free(this.threads.record(slot));
      this.threads.setTid(slot, 0);
      this.retargetLocked(this.w[this.pBase + PEND_LO]!, this.w[this.pBase + PEND_HI]!);
    });
  }

  /** The slot of the live thread with this tid, or -1. */
  slotOfTid(tid: number): number {
    return this.threads.slotOfTid(tid);
  }

  tidOf(slot: number): number {
    return this.threads.tidOf(slot);
  }

  // ---- masks ----

  blockedLo(slot: number): number {
    return this.threads.blockedLo(slot);
  }

  blockedHi(slot: number): number {
    return this.threads.blockedHi(slot);
  }

  /**
   * Sets the thread's blocked mask (SIGKILL and SIGSTOP stay unblocked).
   * Newly unblocked pending signals make this thread's vCPU deliver them;
   * newly blocked process signals are handed to another thread that accepts them.
   */
  setBlocked(slot: number, lo: number, hi: number): void {
    this.lock.withLock(() => this.setBlockedLocked(slot, lo, hi));
  }

  private setBlockedLocked(slot: number, lo: number, hi: number): void {
    const t = this.threads.record(slot);
    const w = this.w;
    const oldLo = this.threads.blockedLo(slot);
    const oldHi = this.threads.blockedHi(slot);
    lo &= ~UNBLOCKABLE_LO;
    this.threads.storeBlockedLocked(slot, lo, hi);
    const p = this.pBase;
    const pendLo = w[t + PEND_LO]! | w[p + PEND_LO]!;
    const pendHi = w[t + PEND_HI]! | w[p + PEND_HI]!;
    if ((pendLo & oldLo & ~lo) !== 0 || (pendHi & oldHi & ~hi) !== 0) this.kickLocked(slot);
    const nowBlockedLo = w[p + PEND_LO]! & lo & ~oldLo;
    const nowBlockedHi = w[p + PEND_HI]! & hi & ~oldHi;
    if (nowBlockedLo !== 0 || nowBlockedHi !== 0) this.retargetLocked(nowBlockedLo, nowBlockedHi);
  }

  /**
   * rt_sigsuspend / rt_sigtimedwait: put a temporary mask in force, keeping
   * the real one to come back to (restoreMask), or to save in the signal
   * frame if a handler runs first (takeSavedMask).
   */
  setTemporaryMask(slot: number, lo: number, hi: number): void {
    this.lock.withLock(() => {
      this.threads.saveMaskLocked(slot);
      this.setBlockedLocked(slot, lo, hi);
    });
  }

  /** The mask saved by setTemporaryMask (kept), or null. */
  savedMask(slot: number): [number, number] | null {
    return this.threads.savedMask(slot);
  }

  /** The mask saved by setTemporaryMask (and forgets it), or null. */
  takeSavedMask(slot: number): [number, number] | null {
    return this.lock.withLock(() => this.threads.takeSavedMaskLocked(slot));
  }

  /** Puts back the mask saved by setTemporaryMask, if any. */
  restoreMask(slot: number): void {
    const saved = this.takeSavedMask(slot);
    if (saved) this.setBlocked(slot, saved[0], saved[1]);
  }

  // ---- alternate signal stack ----

  altStack(slot: number): AltStack {
    return this.threads.altStack(slot);
  }

  setAltStack(slot: number, sp: number, flags: number, size: number): void {
    this.threads.setAltStack(slot, sp, flags, size);
  }

  // ---- pending sets ----

  /** Signals pending for the thread or the process (either set), as [lo, hi]. */
  pending(slot: number): [number, number] {
    const t = this.threads.record(slot);
    const p = this.pBase;
    const w = this.w;
    return [Atomics.load(w, t + PEND_LO) | Atomics.load(w, p + PEND_LO), Atomics.load(w, t + PEND_HI) | Atomics.load(w, p + PEND_HI)];
  }

  /** True if a signal pending for this thread (or its process) is not blocked by it. Lock-free. */
  hasDeliverable(slot: number): boolean {
    const [lo, hi] = this.pending(slot);
    return (lo & ~this.blockedLo(slot)) !== 0 || (hi & ~this.blockedHi(slot)) !== 0;
  }

  /**
   * Takes the next signal pending for the thread among those allowed
   * (synchronous faults first, then the lowest number; the thread's own set
   * before the process's), with its siginfo. Null if none.
   */
  dequeue(slot: number, allowLo: number, allowHi: number): SigInfo | null {
    return this.lock.withLock(() => {
      for (const base of [this.threads.record(slot), this.pBase]) {
        const sig = firstSignal(this.w[base + PEND_LO]! & allowLo, this.w[base + PEND_HI]! & allowHi);
        if (sig !== 0) return this.takeLocked(base, sig);
      }
      return null;
    });
  }

  // ---- posting ----

  /**
   * Posts sig to the whole process (kill(2), a host signal, a timer, SIGCHLD
   * from a child). Any thread that does not block it may take it; one such
   * thread is kicked. info is the siginfo the handler will see (see
   * siginfo.ts for constructors). Returns a PostOutcome, or -EAGAIN when a
   * real-time signal cannot be queued (only for si_code other than SI_USER,
   * as the kernel does). sig must be 1..64 (the caller validates; 0 means
   * "check only" in kill(2) and is not posted).
   */
  postToProcess(sig: number, info: SigInfo): PostOutcome | number {
    if (!sigOk(sig)) throw new Error(`internal: postToProcess with signal ${sig}`);
    return this.lock.withLock(() => {
      const main = this.slotOfTid(this.pid);
      if (this.isIgnored(sig) && (main < 0 || !this.threads.blocksEver(main, sig))) return PostOutcome.IGNORED;
      const queued = this.queue.enqueue(this.pBase, sig, info);
      if (queued < 0) return queued;
      const target = this.chooseTargetLocked(sig);
      if (target < 0) return PostOutcome.PENDING;
      this.kickLocked(target);
      return this.isFatal(sig) && !this.threads.blocksEver(target, sig) ? PostOutcome.FATAL : PostOutcome.PENDING;
    });
  }

  /**
   * Posts sig to one thread of this process, by tid (tkill, tgkill,
   * rt_tgsigqueueinfo, SIGEV_THREAD_ID timers). Returns a PostOutcome,
   * -ESRCH if no live thread has that tid, or -EAGAIN as postToProcess.
   */
  postToThread(tid: number, sig: number, info: SigInfo): PostOutcome | number {
    if (!sigOk(sig)) throw new Error(`internal: postToThread with signal ${sig}`);
    return this.lock.withLock(() => {
      const slot = this.slotOfTid(tid);
      if (slot < 0) return -ESRCH;
      if (this.isIgnored(sig) && !this.threads.blocksEver(slot, sig)) return PostOutcome.IGNORED;
      const queued = this.queue.enqueue(this.threads.record(slot), sig, info);
      if (queued < 0) return queued;
      if (this.threads.blocks(slot, sig)) return PostOutcome.PENDING;
      this.kickLocked(slot);
      return this.isFatal(sig) && !this.threads.blocksEver(slot, sig) ? PostOutcome.FATAL : PostOutcome.PENDING;
    });
  }

  /** Its action is SIG_DFL and the default ends the process (or it is SIGKILL). */
  isFatal(sig: number): boolean {
    return this.actions.isFatal(sig);
  }

  /** Wakes a thread so that it looks at its pending signals (kick without posting). */
  kick(slot: number): void {
    this.lock.withLock(() => this.kickLocked(slot));
  }

  private kickLocked(slot: number): void {
    this.threads.bumpWake(slot);
    this.wakeups.requestSignal(slot);
    const kind = this.threads.waitKind(slot);
    if (kind !== 0) this.wakeups.notifyWaitWord(kind, this.threads.waitIndex(slot));
  }

  /** A live thread not blocking sig, searched round-robin as the kernel does; -1 if none. */
  private chooseTargetLocked(sig: number): number {
    const start = this.w[this.pBase + P_NEXT_TARGET]!;
    for (let i = 0; i < MAX_THREADS; i++) {
      const s = (start + i) % MAX_THREADS;
      if (this.threads.isLive(s) && !this.threads.blocks(s, sig)) {
        this.w[this.pBase + P_NEXT_TARGET] = s;
        return s;
      }
    }
    return -1;
  }

  /** Process signals in the given set find a (new) thread that accepts them. */
  private retargetLocked(lo: number, hi: number): void {
    for (let sig = firstSignal(lo, hi); sig !== 0; sig = firstSignal(lo, hi)) {
      if (sig <= 32) lo &= ~bitOf(sig);
      else hi &= ~bitOf(sig);
      const target = this.chooseTargetLocked(sig);
      if (target >= 0) this.kickLocked(target);
    }
  }

  // ---- interruptible waits (the waiting thread's side) ----

  /** The thread's wake-up word: read it, check for signals, then Atomics.wait on it with that value. */
  wakeWord(slot: number): { array: Int32Array; index: number } {
    return this.threads.wakeWord(slot);
  }

  /**
   * Publishes the word a blocking wait of the thread sleeps on (kind: a
   * WAIT_WORD_* buffer; 0 clears it), so that a kick notifies it.
   */
  setWaitWord(slot: number, kind: number, index: number): void {
    this.threads.setWaitWord(slot, kind, index);
  }

  // ---- queue (under the lock) ----

  /** Removes the first queued sig from the set at base and returns its info. */
  private takeLocked(base: number, sig: number): SigInfo {
    const info = this.queue.take(base, sig);
    if (infoCode(info) === SI_TIMER) this.timers.timerDequeued(info);
    return info;
  }

  /** Drops every pending instance of sig, in every thread and the process. */
  private discardLocked(sig: number): void {
    const bases = [this.pBase];
    for (let s = 0; s < MAX_THREADS; s++) if (this.threads.isLive(s)) bases.push(this.threads.record(s));
    this.queue.discard(bases, sig);
  }
}
