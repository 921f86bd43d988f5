// The host's own counters around one benchmark run, from /proc/stat: time
// the hypervisor stole from this machine's cores, time spent in interrupt
// handlers, and the interrupts and context switches of the whole machine.
// A run that was slower than its neighbours can then be set beside what
// the host did during it (the spread target of issue 14: a slow run whose
// counters jumped was disturbed by the host, not by the translator).

import { readFileSync } from 'node:fs';

/** Counters of the whole machine, cumulative since boot. */
export interface HostCounters {
  /** Milliseconds of steal, irq and softirq time, all cores (USER_HZ ticks of 10 ms). */
  readonly stealMs: number;
  readonly irqMs: number;
  readonly softirqMs: number;
  readonly interrupts: number;
  readonly contextSwitches: number;
}

const TICK_MS = 10;

/** The counters now, or undefined where /proc/stat is not readable (not Linux). */
export function readHostCounters(): HostCounters | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/stat', 'utf8');
  } catch {
    return undefined;
  }
  const line = (name: string): number[] => {
    const l = text.split('\n').find((s) => s.startsWith(`${name} `));
    return l ? l.trim().split(/\s+/).slice(1).map(Number) : [];
  };
  // cpu  user nice system idle iowait irq softirq steal ...
  const cpu = line('cpu');
  return {
    irqMs: (cpu[5] ?? 0) * TICK_MS,
    softirqMs: (cpu[6] ?? 0) * TICK_MS,
    stealMs: (cpu[7] ?? 0) * TICK_MS,
    interrupts: line('intr')[0] ?? 0,
    contextSwitches: line('ctxt')[0] ?? 0,
  };
}

/** What the counters grew by between two readings. */
export function counterGrowth(before: HostCounters, after: HostCounters): HostCounters {
  return {
    stealMs: after.stealMs - before.stealMs,
    irqMs: after.irqMs - before.irqMs,
    softirqMs: after.softirqMs - before.softirqMs,
    interrupts: after.interrupts - before.interrupts,
    contextSwitches: after.contextSwitches - before.contextSwitches,
  };
}

/** "steal 0 ms, irq 0, softirq 10, 1234 interrupts, 567 switches" (or "no /proc/stat"). */
export function describeGrowth(g: HostCounters | undefined): string {
  if (!g) return 'no /proc/stat';
  return `steal ${g.stealMs} ms, irq ${g.irqMs}, softirq ${g.softirqMs}, ${g.interrupts} interrupts, ${g.contextSwitches} switches`;
}
