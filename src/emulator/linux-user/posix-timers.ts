// The timers of one guest process (the kernel's posix-timers.c and
// itimer.c): up to MAX_POSIX_TIMERS timer_create timers, and the three
// interval timers of setitimer/alarm. They live in the process's signal
// buffer (signal-state.ts), so every vCPU of the process and the
// supervisor see the same table.
//
// vCPUs create, arm, read and delete timers (sys-timer.ts); the supervisor
// fires them (process/timer-service.ts): at each expiry it posts the
// timer's signal through the SignalState, unless the previous one is still
// queued, in which case the expiry counts as an overrun (as the kernel
// does); the overrun count freezes into si_overrun when the signal is
// dequeued (timerDequeued) and timer_getoverrun reads it.
//
// Expiry times are nanoseconds on the host's monotonic clock (REALTIME and
// BOOTTIME timers are converted when armed), or of the process's CPU time
// for ITIMER_VIRTUAL (user) and ITIMER_PROF (user + system): all guest
// processes live in the one mttcg host process, so that CPU time is
// mttcg's, as under qemu-arm it is qemu's.

import { SharedLock } from '../shared/shared-lock.js';
import { EAGAIN, EINVAL } from './errno.js';
import { SIGALRM, SIGPROF, SIGVTALRM, SI_KERNEL } from './signal-numbers.js';
import { makeSigInfo, timerInfo, type SigInfo } from './siginfo.js';

export const MAX_POSIX_TIMERS = 32;
export const ITIMER_REAL = 0;
export const ITIMER_VIRTUAL = 1;
export const ITIMER_PROF = 2;
const ITIMER_BASE = MAX_POSIX_TIMERS;

export const SIGEV_SIGNAL = 0;
export const SIGEV_NONE = 1;
export const SIGEV_THREAD_ID = 4;

/** Which clock a timer's expiry is measured on. */
export const enum TimerBase {
  MONOTONIC = 0,
  CPU_USER = 1,
  CPU_TOTAL = 2,
}

const HEADER_WORDS = 16;
const H_LOCK = 0;
const H_CHANGES = 1; // bumped whenever a timer is armed or disarmed
const RECORD_WORDS = 16;
const R_STATE = 0; // 0 free, 1 in use
const R_BASE = 1;
const R_NOTIFY = 2;
const R_SIGNO = 3;
const R_TID = 4;
const R_VALUE = 5;
const R_OVERRUN = 6;
const R_OVERRUN_LAST = 7;
const R_QUEUED = 8; // its signal is queued and not yet taken
const R_ARMED = 9;
const R_CLOCK = 10; // the guest clock id (timer_create)
// float64 slots of a record (record byte offset / 8 + n)
const F_EXPIRY = 5;
const F_INTERVAL = 6;

/** Words the timers take in the signal buffer (signal-state.ts reserves them). */
export const TIMER_REGION_WORDS = HEADER_WORDS + (MAX_POSIX_TIMERS + 3) * RECORD_WORDS;

export interface TimerSetting {
  /** Nanoseconds until the next expiry (0: disarmed). */
  readonly valueNs: number;
  readonly intervalNs: number;
}

/** What firing needs from the process: posting the signal, and the clocks. */
export interface TimerTarget {
  postToProcess(sig: number, info: SigInfo): unknown;
  postToThread(tid: number, sig: number, info: SigInfo): unknown;
}

export interface Clocks {
  readonly monotonicNs: number;
  readonly cpuUserNs: number;
  readonly cpuTotalNs: number;
}

export class PosixTimers {
  private readonly f: Float64Array;
  private readonly lock: SharedLock;

  /** `words` is the region's Int32 view (64-byte aligned), over the same memory as `floats`. */
  constructor(private readonly w: Int32Array, buffer: SharedArrayBuffer) {
    this.f = new Float64Array(buffer, w.byteOffset, w.length / 2);
    this.lock = new SharedLock(w, H_LOCK);
  }

  private rec(id: number): number {
    return HEADER_WORDS + id * RECORD_WORDS;
  }

  private fslot(id: number, n: number): number {
    return this.rec(id) / 2 + n;
  }

  /** Changes whenever a timer is armed or disarmed (the supervisor reschedules on it). */
  get changes(): number {
    return Atomics.load(this.w, H_CHANGES);
  }

  /** timer_create: a new timer id, or -EAGAIN when all are in use. A null value means the id (a NULL sigevent). */
  create(clock: number, base: TimerBase, notify: number, signo: number, tid: number, value: number | null): number {
    return this.lock.withLock(() => {
      for (let id = 0; id < MAX_POSIX_TIMERS; id++) {
        const r = this.rec(id);
        if (this.w[r + R_STATE] !== 0) continue;
        this.w.fill(0, r, r + RECORD_WORDS);
        this.w[r + R_STATE] = 1;
        this.w[r + R_BASE] = base;
        this.w[r + R_NOTIFY] = notify;
        this.w[r + R_SIGNO] = signo;
        this.w[r + R_TID] = tid;
        this.w[r + R_VALUE] = value ?? id;
        this.w[r + R_CLOCK] = clock;
        return id;
      }
      return -EAGAIN;
    });
  }

  exists(id: number): boolean {
    return Number.isInteger(id) && id >= 0 && id < MAX_POSIX_TIMERS && Atomics.load(this.w, this.rec(id) + R_STATE) === 1;
  }

  delete(id: number): number {
    if (!this.exists(id)) return -EINVAL;
    this.lock.withLock(() => this.w.fill(0, this.rec(id), this.rec(id) + RECORD_WORDS));
    Atomics.add(this.w, H_CHANGES, 1);
    return 0;
  }

  /** The guest clock id the timer was created on. */
  clockOf(id: number): number {
    return this.w[this.rec(id) + R_CLOCK]!;
  }

  /** The timer's clock base (for converting a setting). */
  baseOf(id: number): TimerBase {
    return this.w[this.rec(id) + R_BASE]! as TimerBase;
  }

  /** Arms (valueNs > 0: expiry at `now` + valueNs on its base clock) or disarms; returns the old setting. */
  set(id: number, valueNs: number, intervalNs: number, now: Clocks): TimerSetting {
    const old = this.lock.withLock(() => {
      const prev = this.settingLocked(id, now);
      const r = this.rec(id);
      this.w[r + R_ARMED] = valueNs > 0 ? 1 : 0;
      this.w[r + R_OVERRUN] = 0;
      this.f[this.fslot(id, F_EXPIRY)] = valueNs > 0 ? clockOf(this.baseOf(id), now) + valueNs : 0;
      this.f[this.fslot(id, F_INTERVAL)] = valueNs > 0 ? intervalNs : 0;
      return prev;
    });
    Atomics.add(this.w, H_CHANGES, 1);
    return old;
  }

  get(id: number, now: Clocks): TimerSetting {
    return this.lock.withLock(() => this.settingLocked(id, now));
  }

  private settingLocked(id: number, now: Clocks): TimerSetting {
    const r = this.rec(id);
    const interval = this.f[this.fslot(id, F_INTERVAL)]!;
    if (this.w[r + R_ARMED] === 0) return { valueNs: 0, intervalNs: interval };
    const left = this.f[this.fslot(id, F_EXPIRY)]! - clockOf(this.baseOf(id), now);
    // An expiry the supervisor has not handled yet reads as just about due, as the kernel's would.
    return { valueNs: Math.max(left, 1), intervalNs: interval };
  }

  /** timer_getoverrun: the overruns of the last expiry delivered. */
  overrun(id: number): number {
    return Atomics.load(this.w, this.rec(id) + R_OVERRUN_LAST);
  }

  /** Interval timer `which` (ITIMER_*) as a timer id. */
  static itimer(which: number): number {
    return ITIMER_BASE + which;
  }

  /** Makes sure the three interval timers exist (they are not timer_create timers). */
  initItimers(): void {
    this.lock.withLock(() => {
      const sigs = [SIGALRM, SIGVTALRM, SIGPROF];
      const bases = [TimerBase.MONOTONIC, TimerBase.CPU_USER, TimerBase.CPU_TOTAL];
      for (let which = 0; which < 3; which++) {
        const r = this.rec(ITIMER_BASE + which);
        if (this.w[r + R_STATE] !== 0) continue;
        this.w[r + R_STATE] = 1;
        this.w[r + R_BASE] = bases[which]!;
        this.w[r + R_NOTIFY] = SIGEV_SIGNAL;
        this.w[r + R_SIGNO] = sigs[which]!;
      }
    });
  }

  /** True if any timer is armed (the run cannot be deadlocked while one may still fire). */
  anyArmed(): boolean {
    for (let id = 0; id < ITIMER_BASE + 3; id++) if (Atomics.load(this.w, this.rec(id) + R_ARMED) !== 0) return true;
    return false;
  }

  /**
   * Fires every due timer (the supervisor): posts its signal or counts an
   * overrun, and re-arms interval timers. Returns the next monotonic expiry
   * (Infinity if none) and whether a CPU-time timer is armed (polled).
   */
  expire(now: Clocks, target: TimerTarget): { nextMonotonicNs: number; cpuArmed: boolean } {
    const due: { id: number; r: number }[] = [];
    let next = Infinity;
    let cpuArmed = false;
    this.lock.withLock(() => {
      for (let id = 0; id < ITIMER_BASE + 3; id++) {
        const r = this.rec(id);
        if (this.w[r + R_ARMED] === 0) continue;
        const base = this.baseOf(id);
        const t = clockOf(base, now);
        let expiry = this.f[this.fslot(id, F_EXPIRY)]!;
        if (expiry <= t) {
          const interval = this.f[this.fslot(id, F_INTERVAL)]!;
          if (interval > 0) {
            const periods = Math.floor((t - expiry) / interval) + 1;
            expiry += periods * interval;
            this.f[this.fslot(id, F_EXPIRY)] = expiry;
            // Periods that passed unseen count as overruns of this expiry.
            this.w[r + R_OVERRUN] = this.w[r + R_OVERRUN]! + periods - 1;
          } else {
            this.w[r + R_ARMED] = 0;
          }
          if (this.w[r + R_QUEUED] !== 0) {
            this.w[r + R_OVERRUN] = this.w[r + R_OVERRUN]! + 1;
          } else if (this.w[r + R_NOTIFY] !== SIGEV_NONE) {
            this.w[r + R_QUEUED] = id < ITIMER_BASE ? 1 : 0;
            due.push({ id, r });
          }
        }
        if (this.w[r + R_ARMED] === 0) continue;
        if (base === TimerBase.MONOTONIC) next = Math.min(next, expiry);
        else cpuArmed = true;
      }
    });
    // Post outside the timer lock: posting takes the signal lock, and dequeue takes them the other way round.
    for (const { id, r } of due) {
      const sig = this.w[r + R_SIGNO]!;
      if (id >= ITIMER_BASE) {
        target.postToProcess(sig, makeSigInfo(sig, SI_KERNEL));
        continue;
      }
      const info = timerInfo(sig, id, 0, this.w[r + R_VALUE]!);
      const posted = this.w[r + R_NOTIFY] === SIGEV_THREAD_ID
        ? target.postToThread(this.w[r + R_TID]!, sig, info)
        : target.postToProcess(sig, info);
      // Not queued (ignored, or its thread is gone): no overrun accounting waits on it.
      if (typeof posted === 'number' && posted <= 0) Atomics.store(this.w, r + R_QUEUED, 0);
    }
    return { nextMonotonicNs: next, cpuArmed };
  }

  /**
   * A timer's signal was dequeued for delivery: its overrun count freezes
   * into si_overrun (and timer_getoverrun), and the next expiry may queue
   * the signal again.
   */
  timerDequeued(info: SigInfo): void {
    const id = info[3]!;
    if (!this.exists(id) || id >= ITIMER_BASE) return;
    this.lock.withLock(() => {
      const r = this.rec(id);
      this.w[r + R_OVERRUN_LAST] = this.w[r + R_OVERRUN]!;
      this.w[r + R_OVERRUN] = 0;
      this.w[r + R_QUEUED] = 0;
      info[4] = this.w[r + R_OVERRUN_LAST]!;
    });
  }
}

function clockOf(base: TimerBase, now: Clocks): number {
  return base === TimerBase.MONOTONIC ? now.monotonicNs : base === TimerBase.CPU_USER ? now.cpuUserNs : now.cpuTotalNs;
}

/** The host clocks now (a vCPU arming a timer, or the supervisor firing them). */
export function hostClocks(): Clocks {
  const u = process.cpuUsage();
  return { monotonicNs: Number(process.hrtime.bigint()), cpuUserNs: u.user * 1000, cpuTotalNs: (u.user + u.system) * 1000 };
}
