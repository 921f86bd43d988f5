// The supervisor's side of guest timers (linux-user/posix-timers.ts): it
// fires every process's due timers and sleeps until the next expiry (a
// Node.js timer on the main thread's event loop). vCPUs tell it when they
// arm or disarm one ('timers-changed'); CPU-time timers (ITIMER_VIRTUAL,
// ITIMER_PROF, CPU-clock POSIX timers) are checked every CPU_POLL_MS.

import { hostClocks } from '../linux-user/posix-timers.js';
import type { SignalState } from '../linux-user/signal-state.js';

/** How often CPU-time timers are checked while one is armed. */
export const CPU_POLL_MS = 10;

export class TimerService {
  private pending: NodeJS.Timeout | null = null;
  private stopped = false;

  /** `processes` lists the signal state of every live guest process. */
  constructor(private readonly processes: () => Iterable<SignalState>) {}

  /** Fires what is due and waits for the next expiry (call when timers change). */
  reschedule(): void {
    if (this.stopped) return;
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
    const now = hostClocks();
    let next = Infinity;
    let cpu = false;
    for (const s of this.processes()) {
      const r = s.timers.expire(now, s);
      next = Math.min(next, r.nextMonotonicNs);
      cpu ||= r.cpuArmed;
    }
    let delayMs = next === Infinity ? Infinity : Math.ceil((next - now.monotonicNs) / 1e6);
    if (cpu) delayMs = Math.min(delayMs, CPU_POLL_MS);
    if (delayMs !== Infinity) this.pending = setTimeout(() => this.reschedule(), Math.max(0, delayMs));
  }

  /** True if some process has a timer armed (a run waiting on one is not deadlocked). */
  anyArmed(): boolean {
    for (const s of this.processes()) if (s.timers.anyArmed()) return true;
    return false;
  }

  stop(): void {
    this.stopped = true;
    if (this.pending) clearTimeout(this.pending);
  }
}
