// The table of guest processes, shared by every vCPU worker and the
// supervisor: pids and tids (one number space, as Linux), parent, process
// group and session, the state (alive, zombie) and wait status of each
// process, and the word its parent sleeps on in wait4; --max-procs.
//
// Entries change under the table lock; the words a waiter sleeps on change
// with Atomics.add + notify after the entry is updated, so a parent that
// loads the word, scans its children and then waits on the loaded value
// cannot miss a child's exit.

import { SharedLayout } from '../shared/layout.js';
import { SharedLock } from '../shared/shared-lock.js';

/** Process slots in the table (--max-procs may not exceed it). */
export const MAX_PROCS = 512;
export const DEFAULT_MAX_PROCS = 256;
/** The first process's pid (qemu-arm shows the host's; ours is fixed, tid-compatible). */
export const FIRST_PID = 1000;

const H_LOCK = 0;
const H_NEXT_TID = 1;
const H_LIVE_PROCS = 3; // alive or zombie: slots in use
const H_MAX_PROCS = 4;
/** Bumped (and notified) whenever any process changes state: the supervisor and pollers may watch it. */
const H_EVENTS = 6;
const H_NEXT_SPACE = 7; // address-space ids (ProcessBuffers.spaceId)

const E_PID = 0; // 0 = free slot
const E_PPID = 1;
const E_PGID = 2;
const E_SID = 3;
const E_STATE = 4;
const E_WAIT_STATUS = 5; // Linux wait status of a zombie
const E_CHILD_EVENTS = 6; // bumped when a child of this process exits (wait4 sleeps here)
const E_VFORK_DONE = 7; // 1 once a vfork child has exec'd or exited (its parent sleeps here)
const E_EXIT_SIGNAL = 8; // signal the parent gets when this process ends (SIGCHLD, or 0)
const E_REAPED_BY_INIT = 11; // orphan: reaped automatically when it ends
const ENTRY_WORDS = 16;

export const enum ProcState {
  FREE = 0,
  ALIVE = 1,
  ZOMBIE = 2,
}

const LAYOUT = new SharedLayout([
  { name: 'header', words: 16 },
  { name: 'entries', words: MAX_PROCS * ENTRY_WORDS },
]);

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly sid: number;
  readonly state: ProcState;
}

export class ProcessTable {
  readonly header: Int32Array;
  readonly entries: Int32Array;
  private readonly lock: SharedLock;

  static create(maxProcs: number): SharedArrayBuffer {
    const sab = new SharedArrayBuffer(LAYOUT.totalWords * 4);
    const h = LAYOUT.view(sab, 'header');
    h[H_NEXT_TID] = FIRST_PID;
    h[H_MAX_PROCS] = Math.min(maxProcs, MAX_PROCS);
    h[H_NEXT_SPACE] = 1;
    return sab;
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    this.header = LAYOUT.view(buffer, 'header');
    this.entries = LAYOUT.view(buffer, 'entries');
    this.lock = new SharedLock(this.header, H_LOCK);
  }

  withLock<T>(fn: () => T): T {
    return this.lock.withLock(fn);
  }

  allocTid(): number {
    return Atomics.add(this.header, H_NEXT_TID, 1);
  }

  /** A run-wide number for a new address space. */
  allocSpaceId(): number {
    return Atomics.add(this.header, H_NEXT_SPACE, 1);
  }

  get events(): number {
    return Atomics.load(this.header, H_EVENTS);
  }

  private base(slot: number): number {
    return slot * ENTRY_WORDS;
  }

  /** Processes alive or zombie now (sysinfo's procs). */
  get liveCount(): number {
    return Atomics.load(this.header, H_LIVE_PROCS);
  }

  /** The table slot of a live or zombie pid, or -1. */
  slotOf(pid: number): number {
    if (pid <= 0) return -1;
    for (let s = 0; s < MAX_PROCS; s++) if (Atomics.load(this.entries, s * ENTRY_WORDS + E_PID) === pid) return s;
    return -1;
  }

  /**
   * Adds a process (fork, vfork, the first one) in state ALIVE with one
   * thread. Returns its slot, or -1 when --max-procs processes exist.
   */
  add(pid: number, ppid: number, pgid: number, sid: number, exitSignal: number): number {
    return this.withLock(() => {
      if (this.header[H_LIVE_PROCS]! >= this.header[H_MAX_PROCS]!) return -1;
      for (let s = 0; s < MAX_PROCS; s++) {
        const b = this.base(s);
        if (this.entries[b + E_PID] !== 0) continue;
        this.entries.fill(0, b, b + ENTRY_WORDS);
        this.entries[b + E_PPID] = ppid;
        this.entries[b + E_PGID] = pgid;
        this.entries[b + E_SID] = sid;
        this.entries[b + E_EXIT_SIGNAL] = exitSignal;
        Atomics.store(this.entries, b + E_STATE, ProcState.ALIVE);
        Atomics.store(this.entries, b + E_PID, pid);
        this.header[H_LIVE_PROCS]!++;
        return s;
      }
      return -1;
    });
  }

  /** Takes back an entry add() made for a process that never started. */
  discard(slot: number): void {
    this.withLock(() => this.freeLocked(slot));
  }

  info(slot: number): ProcessInfo {
    const b = this.base(slot);
    const e = this.entries;
    return {
      pid: Atomics.load(e, b + E_PID), ppid: Atomics.load(e, b + E_PPID), pgid: Atomics.load(e, b + E_PGID),
      sid: Atomics.load(e, b + E_SID), state: Atomics.load(e, b + E_STATE) as ProcState,
    };
  }

  /** Every live or zombie process (for kill by group, wait4 and reparenting). */
  list(): (ProcessInfo & { slot: number })[] {
    const out: (ProcessInfo & { slot: number })[] = [];
    for (let s = 0; s < MAX_PROCS; s++) {
      if (Atomics.load(this.entries, s * ENTRY_WORDS + E_PID) !== 0) out.push({ slot: s, ...this.info(s) });
    }
    return out;
  }

  setPgid(slot: number, pgid: number): void {
    Atomics.store(this.entries, this.base(slot) + E_PGID, pgid);
  }

  setSession(slot: number, sid: number): void {
    Atomics.store(this.entries, this.base(slot) + E_SID, sid);
    Atomics.store(this.entries, this.base(slot) + E_PGID, sid);
  }

  /** The word a process's wait4 sleeps on; bumped when one of its children exits. */
  childEventsIndex(slot: number): number {
    return this.base(slot) + E_CHILD_EVENTS;
  }

  vforkDoneIndex(slot: number): number {
    return this.base(slot) + E_VFORK_DONE;
  }

  /** A vfork child exec'd or exited: its parent may go on. */
  releaseVforkParent(slot: number): void {
    const i = this.vforkDoneIndex(slot);
    if (Atomics.exchange(this.entries, i, 1) === 0) Atomics.notify(this.entries, i);
  }

  /** The signal the parent gets when this process ends (SIGCHLD, or what clone asked for). */
  exitSignal(slot: number): number {
    return Atomics.load(this.entries, this.base(slot) + E_EXIT_SIGNAL);
  }

  /**
   * The process has ended with a Linux wait status: it becomes a zombie (or
   * is freed at once if nobody will wait for it), its children are handed to
   * init (mttcg reaps them), and its parent's wait word is bumped. Returns
   * the parent's slot (for SIGCHLD), or -1.
   */
  exit(slot: number, waitStatus: number): number {
    const parent = this.withLock(() => {
      const b = this.base(slot);
      const pid = this.entries[b + E_PID]!;
      for (let s = 0; s < MAX_PROCS; s++) {
        const cb = this.base(s);
        if (this.entries[cb + E_PID] === 0 || this.entries[cb + E_PPID] !== pid) continue;
        this.entries[cb + E_PPID] = 1;
        if (this.entries[cb + E_STATE] === ProcState.ZOMBIE) this.freeLocked(s);
        else this.entries[cb + E_REAPED_BY_INIT] = 1;
      }
      this.entries[b + E_WAIT_STATUS] = waitStatus;
      const ppid = this.entries[b + E_PPID]!;
      const p = this.entries[b + E_REAPED_BY_INIT] ? -1 : this.slotOfLocked(ppid);
      if (p < 0) this.freeLocked(slot);
      else Atomics.store(this.entries, b + E_STATE, ProcState.ZOMBIE);
      return p;
    });
    this.releaseVforkParent(slot);
    if (parent >= 0) {
      Atomics.add(this.entries, this.childEventsIndex(parent), 1);
      Atomics.notify(this.entries, this.childEventsIndex(parent));
    }
    Atomics.add(this.header, H_EVENTS, 1);
    Atomics.notify(this.header, H_EVENTS);
    return parent;
  }

  private slotOfLocked(pid: number): number {
    for (let s = 0; s < MAX_PROCS; s++) if (this.entries[s * ENTRY_WORDS + E_PID] === pid) return s;
    return -1;
  }

  private freeLocked(slot: number): void {
    const b = this.base(slot);
    Atomics.store(this.entries, b + E_STATE, ProcState.FREE);
    Atomics.store(this.entries, b + E_PID, 0);
    this.header[H_LIVE_PROCS]!--;
  }

  /**
   * wait4's look at the children of `parentPid` matching `match`: reaps (frees)
   * the first zombie unless `peek`. Returns the pid and wait status reaped,
   * 'none' when no child matches at all, or 'running' when matches exist but
   * none has ended.
   */
  reapChild(parentPid: number, match: (info: ProcessInfo) => boolean, peek: boolean): { pid: number; status: number } | 'none' | 'running' {
    return this.withLock(() => {
      let any = false;
      for (let s = 0; s < MAX_PROCS; s++) {
        const b = this.base(s);
        if (this.entries[b + E_PID] === 0 || this.entries[b + E_PPID] !== parentPid) continue;
        const info = this.info(s);
        if (!match(info)) continue;
        any = true;
        if (info.state !== ProcState.ZOMBIE) continue;
        const status = this.entries[b + E_WAIT_STATUS]!;
        if (!peek) this.freeLocked(s);
        return { pid: info.pid, status };
      }
      return any ? 'running' : 'none';
    });
  }
}
